import { Clock } from '../../apps/api/src/platform/clock/clock.js';

/**
 * A Clock the test moves: `startTestApp(target, env, { clock })` runs the API on it, so a test of time
 * (an offer's expiry, a token's lifetime, a session that has started) sets or advances it instead of waiting.
 * It stands still between moves.
 */
export class ManualClock extends Clock {
  private current: number;

  /** starts at `iso` (default: the real time when it is made) */
  constructor(iso?: string) {
    super();
    this.current = iso === undefined ? Date.now() : parse(iso);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(iso: string): void {
    this.current = parse(iso);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

function parse(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`ManualClock: not an instant: ${iso}`);
  return ms;
}
