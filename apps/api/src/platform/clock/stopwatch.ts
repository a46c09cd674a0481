import { performance } from 'node:perf_hooks';

/**
 * Elapsed real time, for budgets of actual waiting (a write's retry budget, how long a request waits for
 * its idempotent twin). These are not the time of day a service reads (that is the Clock): they bound
 * sleeps and polls that run on Node's timers, so they must be measured on the same real, monotonic time
 * (a Clock a test has stopped would wait forever; a wall clock stepped by NTP would cut a budget short).
 */
export function stopwatch(): () => number {
  const started = performance.now();
  return () => performance.now() - started;
}
