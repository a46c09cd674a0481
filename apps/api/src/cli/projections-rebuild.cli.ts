import { loadConfig } from '../platform/config/app-config.js';
import { Persistence } from '../platform/persistence/persistence.js';
import { allProjections } from '../read-models.js';
import { runRebuild } from './projections-rebuild.js';

/**
 * npm run projections:rebuild -- [name | all]
 *
 * Rebuilds one projection (e.g. `calendars.v1` or `calendars`) or all of them from position 0 into shadow
 * tables and swaps them in, while the API keeps running and serving (libs/projections rebuild.ts). Uses
 * DATABASE_URL / DATA_DIR / EVENTSTORE_URL like the API. No Nest container: plain functions only.
 * With the embedded database (no DATABASE_URL) this process opens the data folder itself, and PGlite
 * serves one process: stop the API first in that mode.
 */
const args = process.argv.slice(2).filter((a) => a !== '--');
if (args.includes('--help') || args.includes('-h') || args.length > 1) {
  process.stderr.write('Usage: npm run projections:rebuild -- [name | all]\n');
  process.exit(args.length > 1 ? 2 : 0);
}
const config = loadConfig();
if (!config.DATABASE_URL) {
  process.stderr.write(`Embedded database in ${config.DATA_DIR}: make sure the API is not running on it (PGlite serves one process).\n`);
}
const persistence = await Persistence.open(config);
let code = 0;
try {
  await runRebuild({
    source: persistence.eventStore,
    dataSource: persistence.database.dataSource,
    projections: allProjections(),
    target: args[0],
    out: process.stderr,
  });
} catch (error) {
  process.stderr.write(`\nRebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
  code = 1;
} finally {
  await persistence.onApplicationShutdown();
}
process.exit(code);
