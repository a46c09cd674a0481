import { CI_FORM, formatReport, runChaos, type ChaosReport } from '../../chaos/chaos.js';
import { ThrowawayPostgres } from '../../chaos/pg-cluster.js';
// type-only: brings the two command lines' modules into `npm run typecheck` (tsconfig.json includes test/, not workload/ or chaos/)
import type { chaosCli } from '../../chaos/main.js';
import type { runWorkloadCli } from '../../workload/run.js';

export type CommandLines = typeof chaosCli | typeof runWorkloadCli;

/**
 * The reduced fault test (`npm run chaos` runs the full one with the same code): ~100 concurrent
 * enrolments, cancellations, rebookings and offer answers while the API (compiled, a child process) is
 * SIGKILLed 3 times and its own throwaway PostgreSQL crashes once (`pg_ctl stop -m immediate`). Clients
 * retry with their Idempotency-Keys until a non-5xx answer. The shared PostgreSQL is never touched.
 */
const unavailable = ThrowawayPostgres.unavailable();
if (unavailable && process.env.CI) throw new Error(`The fault test needs a PostgreSQL of its own: ${unavailable}.`);
if (unavailable) console.warn(`fault test skipped: ${unavailable}`);

(unavailable ? describe.skip : describe)('faults: API SIGKILLs and a PostgreSQL crash under concurrent bookings', () => {
  let report: ChaosReport;
  const lines: string[] = [];

  beforeAll(async () => {
    report = await runChaos({ ...CI_FORM, log: (line) => lines.push(line) });
    console.info(`${lines.join('\n')}\n${formatReport(report)}`);
  }, 240_000);

  it('injected every fault while requests were in flight, and every request got a non-5xx answer', () => {
    expect(report.apiKills).toBe(CI_FORM.apiKills);
    expect(report.pgStops).toBe(CI_FORM.pgStops);
    expect(report.operations).toBe(CI_FORM.courses * CI_FORM.perCourse);
    expect(Object.keys(report.answers).filter((k) => / 5\d\d/.test(k))).toEqual([]);
    expect(report.retriedRequests).toBeGreaterThan(0);
  });

  it('loses no booking, duplicates none, overfills no team, agrees with itself and with its rebuilt read models', () => {
    expect(report.violations).toEqual([]);
  });
});
