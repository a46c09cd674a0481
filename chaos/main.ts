import { parseArgs } from 'node:util';
import { CI_FORM, FULL_FORM, formatReport, runChaos } from './chaos.js';

/**
 * `npm run chaos` (the full form) or `npm run chaos -- --ci` (the reduced form `npm test` runs). Options:
 * --keep (keep the cluster folder with postgres.log, api.log and data/), --seed, --kills, --pg-stops,
 * --courses, --per-course, --twins (share sent twice at once with one key), --twin-next-rebooks. Returns the exit code: 0 when every invariant holds.
 */
export async function chaosCli(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ci: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      seed: { type: 'string', default: '7' },
      kills: { type: 'string' },
      'pg-stops': { type: 'string' },
      courses: { type: 'string' },
      'per-course': { type: 'string' },
      twins: { type: 'string' },
      'twin-next-rebooks': { type: 'boolean', default: false },
    },
  });
  const options = {
    ...(values.ci ? CI_FORM : FULL_FORM),
    seed: Number(values.seed),
    keep: values.keep,
    ...(values.kills ? { apiKills: Number(values.kills) } : {}),
    ...(values['pg-stops'] ? { pgStops: Number(values['pg-stops']) } : {}),
    ...(values.courses ? { courses: Number(values.courses) } : {}),
    ...(values['per-course'] ? { perCourse: Number(values['per-course']) } : {}),
    ...(values.twins ? { twins: Number(values.twins) } : {}),
    twinNextRebooks: values['twin-next-rebooks'],
    log: (line: string) => process.stdout.write(`  ${line}\n`),
  };
  try {
    const report = await runChaos(options);
    process.stdout.write(formatReport(report));
    if (options.keep) process.stdout.write(`Kept ${report.dir} (postgres.log, api.log, data/).\n`);
    return report.violations.length === 0 ? 0 : 1;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
