/**
 * tsx test/bench/enrolment-quick.ts [--teams 32] [--courses-per-team 25] [--clients 32] [--two] [--profile DIR] [--rounds 1]
 * Only the enrolment figure of `npm run bench` (same world, same load, GET /me of the same server as the
 * baseline), plus the CPU the API and the PostgreSQL server used per enrolment, for a quick look while working
 * on the write path; `--two` adds the same load split between two API processes on one PostgreSQL.
 * Needs the compiled API (`npm run build`). Fresh schema, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '#app/database';
import { migrations } from '../../migrations/index.js';
import { PostgresEventStore } from '#app/event-store';
import { prng } from './bench-data.js';
import {
  cpuSecondsOf,
  enrolmentLoad,
  meLoad,
  warmUpEnrolments,
  postgresCpuByProcess,
  postgresCpuBySession,
  postgresCpuSeconds,
} from './enrolment-load.js';
import { benchApiEnv, benchAuth, startApi, waitForSubscriptions, type ApiProcess, type LoadResult } from './http-bench.js';
import { buildWorld } from './workload.js';
import { present } from '../support/present.js';

const { values: args } = parseArgs({
  options: {
    teams: { type: 'string', default: '32' },
    /** concurrent clients of the one-process enrolment run (the bench uses 32) */
    clients: { type: 'string', default: '32' },
    'courses-per-team': { type: 'string', default: '25' },
    two: { type: 'boolean', default: false },
    /** with --two: a third world enrolled through the second process only (splits request and background CPU) */
    'via-follower': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    profile: { type: 'string' },
  },
});
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `benchq_${randomBytes(4).toString('hex')}`;
const random = prng(20251122);
const env = benchApiEnv(url, schema);
const apis: ApiProcess[] = [];
const db = await openDatabase({ migrations, databaseUrl: url, dataDir: 'unused', schema, poolSize: 8, applicationName: 'bench-harness' });
const f = (n: number, d = 0) => n.toFixed(d);
const show = (what: string, r: LoadResult, me: number, cpu: { api: number; pg: number }) =>
  console.log(
    `${what}: ${f(r.perSecond, 1)} req/s = ${f(r.perSecond / me, 3)} × GET /me (${f(me)} req/s); p50 ${f(r.p50Ms)} ms, p99 ${f(r.p99Ms)} ms, p99/p50 ${f(r.p99Ms / r.p50Ms, 2)}; ` +
      `CPU per enrolment: API ${f((1000 * cpu.api) / r.requests, 2)} ms, PostgreSQL ${f((1000 * cpu.pg) / r.requests, 2)} ms; ${JSON.stringify(r.statuses)}; load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
try {
  // PGAPPNAME names each process's sessions, so the server's CPU splits by process (--via-follower)
  apis.push(await startApi({ ...env, PGAPPNAME: 'api-leader', ...(args.profile ? { BENCH_PROFILE_DIR: args.profile } : {}) }));
  if (args.two) apis.push(await startApi({ ...env, PGAPPNAME: 'api-follower' }));
  const store = new PostgresEventStore(db.dataSource, { preparedStatements: true });
  const sizes = { teams: Number(args.teams), coursesPerTeam: Number(args['courses-per-team']), rosterCourses: 0 };
  const headers = await benchAuth('bench-secretary', ['secretary']);
  const cpu = async <T>(work: () => Promise<T>): Promise<[T, { api: number; pg: number }]> => {
    const a0 = apis.reduce((s, a) => s + cpuSecondsOf(a.pid), 0);
    const p0 = postgresCpuSeconds();
    const result = await work();
    return [result, { api: apis.reduce((s, a) => s + cpuSecondsOf(a.pid), 0) - a0, pg: postgresCpuSeconds() - p0 }];
  };
  await warmUpEnrolments(store, db.dataSource, random, [present(apis[0]).port], headers);
  for (let round = 0; round < Number(args.rounds); round++) {
    const world = await buildWorld(store, random, sizes, () => undefined);
    await waitForSubscriptions(db.dataSource, 300_000);
    const me1 = await meLoad([present(apis[0]).port], 2000, 32, headers);
    const profileOne = args.profile && !args['via-follower'];
    if (profileOne) process.kill(present(apis[0]).pid, 'SIGWINCH');
    const [one, c1] = await cpu(() => enrolmentLoad([present(apis[0]).port], world, Number(args.clients), headers));
    if (profileOne) process.kill(present(apis[0]).pid, 'SIGWINCH');
    const me2 = await meLoad([present(apis[0]).port], 2000, 32, headers);
    const me = (me1.perSecond + me2.perSecond) / 2;
    show('one API process ', one, me, c1);
    if (args.two) {
      const world2 = await buildWorld(store, random, sizes, () => undefined);
      // the second process is new: warmed as the first was (its warm-up waits for world2's projections too)
      await warmUpEnrolments(store, db.dataSource, random, [present(apis[1]).port], headers);
      const before = apis.map((a) => cpuSecondsOf(a.pid));
      const [two, c2] = await cpu(() =>
        enrolmentLoad(
          apis.map((a) => a.port),
          world2,
          32,
          headers,
        ),
      );
      show('two API processes', two, me, c2);
      console.log(
        `  per process (the first runs the background consumers): ${apis.map((a, i) => `${f((1000 * (cpuSecondsOf(a.pid) - present(before[i]))) / two.requests, 2)} ms`).join(', ')} per enrolment`,
      );
      if (args['via-follower']) {
        const world3 = await buildWorld(store, random, sizes, () => undefined);
        await waitForSubscriptions(db.dataSource, 300_000);
        const b3 = apis.map((a) => cpuSecondsOf(a.pid));
        if (args.profile) process.kill(present(apis[0]).pid, 'SIGWINCH');
        const pg0 = postgresCpuByProcess();
        const [three, c3] = await cpu(() => enrolmentLoad([present(apis[1]).port], world3, 32, headers));
        const pgBySession = await postgresCpuBySession(db.dataSource, pg0, postgresCpuByProcess());
        if (args.profile) process.kill(present(apis[0]).pid, 'SIGWINCH');
        show('all via the follower', three, me, c3);
        const perEnrolment = (seconds: number | undefined) => `${f((1000 * (seconds ?? 0)) / three.requests, 2)} ms`;
        console.log(
          `  per process: leader (background only) ${perEnrolment(cpuSecondsOf(present(apis[0]).pid) - present(b3[0]))}, follower (requests) ${perEnrolment(cpuSecondsOf(present(apis[1]).pid) - present(b3[1]))} per enrolment`,
        );
        console.log(
          `  PostgreSQL per enrolment: the leader's sessions ${perEnrolment(pgBySession.get('api-leader'))}, the follower's ${perEnrolment(pgBySession.get('api-follower'))}, the rest ${perEnrolment([...pgBySession].filter(([name]) => !name.startsWith('api-')).reduce((a, [, s]) => a + s, 0))}`,
        );
      }
    }
  }
} finally {
  await Promise.all(apis.map((a) => a.stop()));
  await db.close();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}
process.exit(0);
