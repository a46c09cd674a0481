/**
 * tsx test/bench/store-quick.ts [perWriter=150] [batches=15] [rounds=2]
 * Only the event-store append figures of `npm run bench` (same StoreBench, same baselines, same run), for a
 * quick look while working on the write path. Fresh schema, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '#app/database';
import { migrations } from '../../migrations/index.js';
import { prng } from './bench-data.js';
import { StoreBench, WRITERS, type Rate } from './store-bench.js';

const [perWriter = 150, batches = 15, rounds = 2] = process.argv.slice(2).map(Number);
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `benchq_${randomBytes(4).toString('hex')}`;
const mean = (rs: Rate[]) => rs.reduce((a, r) => a + r.perSecond, 0) / rs.length;
const db = await openDatabase({
  migrations,
  databaseUrl: url,
  dataDir: 'unused',
  schema,
  poolSize: WRITERS,
  applicationName: 'bench-store-quick',
});
try {
  const bench = new StoreBench(db.dataSource, prng(20251122));
  await bench.prepare();
  await bench.singleInserts(10);
  await bench.singleAppends(10);
  const ins: Rate[] = [],
    app: Rate[] = [],
    cop: Rate[] = [],
    bat: Rate[] = [];
  for (let r = 0; r < rounds; r++) {
    ins.push(await bench.singleInserts(perWriter));
    app.push(await bench.singleAppends(perWriter));
  }
  for (let r = 0; r < rounds; r++) {
    cop.push(await bench.copies(batches, 100));
    bat.push(await bench.batchedAppends(batches, 100));
  }
  console.log(`single append ${mean(app).toFixed(0)}/s vs INSERT ${mean(ins).toFixed(0)} tx/s = ${(mean(app) / mean(ins)).toFixed(3)}`);
  console.log(`batched append ${mean(bat).toFixed(0)} ev/s vs COPY ${mean(cop).toFixed(0)} rows/s = ${(mean(bat) / mean(cop)).toFixed(3)}`);
} finally {
  await db.close();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}
