import { runWorkloadCli } from './run.js';

// `npm run workload -- --scale 1 --seed 42` (see workload/run.ts for the options)
try {
  const result = await runWorkloadCli(process.argv.slice(2));
  process.exitCode = Object.keys(result.unexpected).length === 0 ? 0 : 1;
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
