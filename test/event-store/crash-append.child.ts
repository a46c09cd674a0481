/**
 * Child process for crash-safety.int-spec.ts, run with `node --import tsx`: appends one large batch
 * through the real PostgresEventStore and is killed with SIGKILL somewhere along the way.
 * Prints "started" just before the append, "inserted" when every row is written but not committed
 * (HOLD=1: then it waits to be killed), and "committed <ms>" when the append returned.
 */
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../libs/database/src/index.js';
import { migrations } from '../../migrations/index.js';
import { PostgresEventStore } from '../../libs/event-store/src/postgres/postgres-event-store.js';

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const count = Number(env('CRASH_COUNT'));
const hold = process.env.CRASH_HOLD === '1';
const db = await openDatabase({
  migrations,
  databaseUrl: process.env.CRASH_DATABASE_URL || undefined,
  dataDir: process.env.CRASH_DATA_DIR ?? 'unused',
  schema: env('CRASH_SCHEMA'),
  migrate: process.env.CRASH_MIGRATE === '1',
  poolSize: 1,
  applicationName: process.env.CRASH_APP,
});
const store = new PostgresEventStore(db.dataSource, {
  beforeCommit: async () => {
    process.stdout.write('inserted\n');
    if (hold) {
      // wait to be killed; never outlive a test run that forgot to
      await new Promise<never>(() => setTimeout(() => process.exit(3), 60_000));
    }
  },
});
const events = Array.from({ length: count }, (_, i) => ({
  id: randomUUID(),
  type: 'BulkImported',
  data: { i, note: 'en lang række med data æøå'.repeat(4) },
  metadata: { batch: 'crash-test' },
}));
process.stdout.write('started\n');
const startedAt = Date.now();
await store.appendToStream(env('CRASH_STREAM'), events, 'no_stream');
process.stdout.write(`committed ${Date.now() - startedAt}\n`);
await db.close();
