/**
 * tsx test/bench/rebuild-quick.ts [--projections roster.v1,capacity-outlook.v1] [--rounds 3] [--events 80000] [--source benchrb_source]
 * Only the read-model rebuild figures of `npm run bench`, for a quick look while working on a projection: the
 * events of one enrolment run through the API (kept in schema `--source` and reused by later runs, so two builds
 * can be compared on the same events), copied into a fresh schema and rebuilt, each round beside the raw read,
 * with the CPU this process and the PostgreSQL server spent per 1000 events.
 * Needs the compiled API (`npm run build`) only when `--source` is still empty. `--drop-source` forgets it.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '#app/database';
import { PostgresEventStore } from '#app/event-store';
import { migrations } from '../../migrations/index.js';
import { allProjections } from '../../apps/api/src/read-models.js';
import { prng } from './bench-data.js';
import { enrolmentLoad, postgresCpuSeconds } from './enrolment-load.js';
import { benchApiEnv, benchAuth, startApi, waitForSubscriptions } from './http-bench.js';
import { copyCourseAndTeamEvents, rawRead, rebuildOnce } from './read-model-bench.js';
import { buildWorld } from './workload.js';

const { values: args } = parseArgs({
  options: {
    projections: { type: 'string', default: 'roster.v1,capacity-outlook.v1' },
    rounds: { type: 'string', default: '3' },
    events: { type: 'string', default: '80000' },
    batch: { type: 'string', default: '1000' },
    source: { type: 'string', default: 'benchrb_source' },
    'drop-source': { type: 'boolean', default: false },
  },
});
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const random = prng(20251122);
const open = (schema: string) =>
  openDatabase({ migrations, databaseUrl: url, dataDir: 'unused', schema, poolSize: 4, applicationName: 'bench-rebuild' });

const source = await open(args.source);
const count = async () => (await source.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM events`))[0].n;
if ((await count()) === 0) await fillSource();
const n = await count();
const target = `benchrb_${randomBytes(4).toString('hex')}`;
const db = await open(target);
try {
  const events = await copyCourseAndTeamEvents(source.dataSource, db.dataSource, Math.max(1, Math.ceil(Number(args.events) / n)), random);
  const wanted = new Set(args.projections.split(','));
  const projections = allProjections().filter((p) => wanted.has(p.name));
  await rawRead(db.dataSource, Number(args.batch));
  for (let r = 0; r < Number(args.rounds); r++) {
    const read = await rawRead(db.dataSource, Number(args.batch));
    const line = [`raw read ${read.perSecond.toFixed(0)} rows/s`];
    for (const projection of projections) {
      const [own, server] = [process.cpuUsage(), postgresCpuSeconds()];
      const rebuilt = await rebuildOnce(db.dataSource, projection, Number(args.batch));
      const perThousand = (seconds: number) => ((1000 * 1000 * seconds) / rebuilt.events).toFixed(1);
      const { user, system } = process.cpuUsage(own);
      line.push(
        `${rebuilt.name} ${rebuilt.perSecond.toFixed(0)} ev/s = ${(rebuilt.perSecond / read.perSecond).toFixed(3)} ` +
          `(CPU ms per 1000 events: here ${perThousand((user + system) / 1e6)}, PostgreSQL ${perThousand(postgresCpuSeconds() - server)})`,
      );
    }
    console.log(`${String(events)} events, round ${String(r + 1)}: ${line.join('; ')}`);
  }
} finally {
  await db.close();
  await source.close();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${target} CASCADE`);
  if (args['drop-source']) await c.query(`DROP SCHEMA IF EXISTS ${args.source} CASCADE`);
  await c.end();
}
process.exit(0);

/** the bench's world (64 teams of 25 courses) planned, then every course enrolled through the API */
async function fillSource(): Promise<void> {
  const api = await startApi(benchApiEnv(url, args.source));
  try {
    const world = await buildWorld(
      new PostgresEventStore(source.dataSource),
      random,
      { teams: 64, coursesPerTeam: 25, rosterCourses: 50 },
      () => undefined,
    );
    await waitForSubscriptions(source.dataSource, 300_000);
    await enrolmentLoad([api.port], world, 32, await benchAuth('bench-secretary', ['secretary']));
    await waitForSubscriptions(source.dataSource, 300_000);
  } finally {
    await api.stop();
  }
}
