/**
 * npm run bench [-- --history 1000000 [--history-courses 25000]] [--quick] [--seed N] [--out bench-results]
 *
 * Benchmarks the event store and the API on PostgreSQL (DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test)
 * in fresh schemas dropped afterwards. Every figure is printed beside a baseline measured in the same run on the
 * same machine (shared, noisy machines make absolute numbers from other runs meaningless). Writes
 * <out>/latest.json and <out>/latest.md (Markdown with ASCII bar charts). See README "Benchmarks".
 */
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase, type OpenDatabase } from '#app/database';
import { migrations } from '../../migrations/index.js';
import { PostgresEventStore } from '#app/event-store';
import { prng } from './bench-data.js';
import { writeHistory } from './history.js';
import { enrolmentLoad, warmUpEnrolments } from './enrolment-load.js';
import { benchApiEnv, benchAuth, load, memoryOf, startApi, waitForSubscriptions, type ApiProcess, type LoadResult } from './http-bench.js';
import { figure, fmt, line, markdown, type Figure } from './report.js';
import { StoreBench, WRITERS, type Rate } from './store-bench.js';
import { buildWorld, ROSTER_CLINICIAN } from './workload.js';
import { copyCourseAndTeamEvents, rawRead, rebuildOnce, type RebuildMeasurement } from './read-model-bench.js';
import { allProjections } from '../../apps/api/src/read-models.js';
import { present } from '../support/present.js';

const { values: args } = parseArgs({
  options: {
    history: { type: 'string', default: '0' },
    'history-courses': { type: 'string', default: '25000' },
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '20251122' },
    out: { type: 'string', default: 'bench-results' },
    /** a folder: the API's CPU profile and SQL statement counts during the enrolment run (and the history catch-up) go there */
    profile: { type: 'string' },
  },
});
const HISTORY = Number(args.history);
const HISTORY_COURSES = Number(args['history-courses']);
const SEED = Number(args.seed);
const q = args.quick ? 0.5 : 1;
const SIZES = {
  singlePerWriter: Math.round(300 * q),
  batches: Math.round(30 * q),
  batchSize: 100,
  readBatch: 500,
  rounds: 2,
  teams: Math.round(64 * q),
  coursesPerTeam: 25,
  rosterCourses: 50,
  healthRequests: Math.round(4000 * q),
  queryRequests: Math.round(1500 * q),
  queryConnections: 4,
  httpConnections: 32,
  /** course and team events the read models are rebuilt from (copies of the API's own) */
  rebuildEvents: Math.round(80_000 * q),
  rebuildBatch: 1000,
};
const URL_ = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const started = new Date();
const random = prng(SEED);
const tag = `bench_${randomBytes(4).toString('hex')}`;
const schemas = { store: `${tag}_store`, api: `${tag}_api`, rebuild: `${tag}_rebuild` };

const figures: Figure[] = [];
const memory: Array<{ when: string; rssMiB: number; peakRssMiB: number }> = [];
const raw: Record<string, unknown> = { sizes: SIZES, history: HISTORY };

const say = (message: string) => process.stdout.write(`${message}\n`);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const add = (f: Figure) => {
  figures.push(f);
  say(`  → ${line(f)}`);
};

async function storeBenchmarks(): Promise<void> {
  say(`\n[1/3] event store on ${WRITERS} connections (schema ${schemas.store})`);
  const db = await openDatabase({
    migrations,
    databaseUrl: URL_,
    dataDir: 'unused',
    schema: schemas.store,
    poolSize: WRITERS,
    applicationName: 'bench-store',
  });
  try {
    const bench = new StoreBench(db.dataSource, random);
    await bench.prepare();
    await bench.singleInserts(10); // warm the pool and the caches for both
    await bench.singleAppends(10);

    const inserts: Rate[] = [];
    const appends: Rate[] = [];
    for (let r = 0; r < SIZES.rounds; r++) {
      inserts.push(await bench.singleInserts(SIZES.singlePerWriter));
      appends.push(await bench.singleAppends(SIZES.singlePerWriter));
    }
    raw.singleAppends = { appends, inserts };
    add(
      figure({
        id: 'append',
        title: `Single-event appends with expected revision (${WRITERS} writers)`,
        value: mean(appends.map((a) => a.perSecond)),
        unit: 'appends/s',
        baseline: {
          title: 'single-row INSERT transactions into an events-shaped table',
          value: mean(inserts.map((a) => a.perSecond)),
          unit: 'tx/s',
        },
        higherIsBetter: true,
        meaning:
          'share of raw PostgreSQL commit throughput the store keeps while doing its compare-and-set on the stream row, the idempotency look-up and the (gated) wake-up NOTIFY, all in one append_to_stream call (one statement per transaction on both sides; both pay one WAL flush per commit).',
        details: { perRound: appends.map((a) => a.perSecond), baselinePerRound: inserts.map((a) => a.perSecond) },
      }),
    );

    const copies: Rate[] = [];
    const batched: Rate[] = [];
    for (let r = 0; r < SIZES.rounds; r++) {
      copies.push(await bench.copies(SIZES.batches, SIZES.batchSize));
      batched.push(await bench.batchedAppends(SIZES.batches, SIZES.batchSize));
    }
    raw.batchedAppends = { batched, copies };
    add(
      figure({
        id: 'batched-append',
        title: `Batched appends, ${SIZES.batchSize} events per append (${WRITERS} writers)`,
        value: mean(batched.map((a) => a.perSecond)),
        unit: 'events/s',
        baseline: {
          title: `COPY of ${SIZES.batchSize} rows per statement into an events-shaped table`,
          value: mean(copies.map((a) => a.perSecond)),
          unit: 'rows/s',
        },
        higherIsBetter: true,
        meaning:
          'share of the fastest way PostgreSQL ingests rows that a batched append reaches (one append_to_stream call: its rows go through one INSERT … SELECT FROM jsonb_array_elements of a JSON parameter).',
        details: { perRound: batched.map((a) => a.perSecond), baselinePerRound: copies.map((a) => a.perSecond) },
      }),
    );

    await bench.sequentialRead(SIZES.readBatch); // warm the table into the cache for both
    const reads: Rate[] = [];
    const rebuilds: Rate[] = [];
    for (let r = 0; r < SIZES.rounds; r++) {
      reads.push(await bench.sequentialRead(SIZES.readBatch));
      rebuilds.push(await bench.rebuild(`bench-rebuild-${r}`, SIZES.readBatch));
    }
    raw.rebuild = { reads, rebuilds };
    add(
      figure({
        id: 'rebuild',
        title: `Projection rebuild from START (DurableSubscription, ${SIZES.readBatch} events per transaction, ${fmt(rebuilds[0].count)} events)`,
        value: mean(rebuilds.map((a) => a.perSecond)),
        unit: 'events/s',
        baseline: {
          title: `sequential read of the events table, ${SIZES.readBatch} rows per query`,
          value: mean(reads.map((a) => a.perSecond)),
          unit: 'rows/s',
        },
        higherIsBetter: true,
        meaning:
          'share of raw read speed a rebuild keeps while reading in gap-safe (transaction, position) order, applying each batch and committing it with its checkpoint.',
        details: { perRound: rebuilds.map((a) => a.perSecond), baselinePerRound: reads.map((a) => a.perSecond) },
      }),
    );
  } finally {
    await db.close();
  }
}

/** every real read model rebuilt from position 0 (course and team events the API wrote, copied), beside the raw read */
async function readModelRebuilds(apiData: OpenDatabase['dataSource']): Promise<void> {
  const [{ n }] = await apiData.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM events`);
  const copies = Math.max(1, Math.ceil(SIZES.rebuildEvents / n));
  say(`\n  read-model rebuilds: ${fmt(copies)} copies of the API's ${fmt(n)} events (fresh ids per copy) in schema ${schemas.rebuild}`);
  const db = await openDatabase({
    migrations,
    databaseUrl: URL_,
    dataDir: 'unused',
    schema: schemas.rebuild,
    poolSize: 4,
    applicationName: 'bench-rebuild',
  });
  try {
    const events = await copyCourseAndTeamEvents(apiData, db.dataSource, copies, random);
    const projections = allProjections().filter((p) => (p.tables ?? []).length > 0);
    await rawRead(db.dataSource, SIZES.rebuildBatch); // warm the table into the cache for both
    const reads: Array<{ count: number; perSecond: number }> = [];
    const rebuilds = new Map<string, RebuildMeasurement[]>(projections.map((p) => [p.name, []]));
    for (let r = 0; r < SIZES.rounds; r++) {
      reads.push(await rawRead(db.dataSource, SIZES.rebuildBatch));
      for (const projection of projections)
        present(rebuilds.get(projection.name)).push(await rebuildOnce(db.dataSource, projection, SIZES.rebuildBatch));
    }
    raw.readModelRebuilds = { events, copies, reads, rebuilds: Object.fromEntries(rebuilds) };
    const readRate = mean(reads.map((x) => x.perSecond));
    for (const [name, runs] of rebuilds) {
      const rows = Object.entries(runs[0].rows)
        .map(([t, c]) => `${t} ${fmt(c)}`)
        .join(', ');
      add(
        figure({
          id: `rebuild-${name}`,
          title: `Rebuild of ${name} from position 0 (${fmt(events)} course and team events, ${SIZES.rebuildBatch} per transaction)`,
          value: mean(runs.map((x) => x.perSecond)),
          unit: 'events/s',
          baseline: {
            title: `raw sequential read of the same events, ${SIZES.rebuildBatch} rows per query`,
            value: readRate,
            unit: 'rows/s',
          },
          higherIsBetter: true,
          meaning: `share of raw read speed the real rebuild keeps (gap-safe read, apply with multi-row writes, checkpoint per batch, shadow tables swapped in); rows: ${rows}.`,
          details: { perRound: runs.map((x) => x.perSecond), baselinePerRound: reads.map((x) => x.perSecond), rows: runs[0].rows },
        }),
      );
    }
  } finally {
    await db.close();
  }
}

/** the API's settings under load (production, real auth settings, a rate limit it never reaches) */
function apiEnv(): Record<string, string> {
  return benchApiEnv(URL_, schemas.api);
}

interface QueryRun {
  readonly name: string;
  readonly small: LoadResult;
  large?: LoadResult;
}

async function apiBenchmarks(): Promise<void> {
  say(`\n[2/3] the API (compiled, NODE_ENV=production, rate limiter on with a limit it never reaches; schema ${schemas.api})`);
  const api: ApiProcess = await startApi({ ...apiEnv(), ...(args.profile ? { BENCH_PROFILE_DIR: args.profile } : {}) });
  runningApis.push(api);
  let db: OpenDatabase | undefined;
  try {
    const snapshot = (when: string) => {
      const m = { when, ...memoryOf(api.pid) };
      memory.push(m);
      say(`  RSS ${when}: ${fmt(m.rssMiB)} MiB (peak ${fmt(m.peakRssMiB)} MiB)`);
    };
    snapshot('after start (empty store)');
    db = await openDatabase({
      migrations,
      databaseUrl: URL_,
      dataDir: 'unused',
      schema: schemas.api,
      poolSize: 8,
      applicationName: 'bench-harness',
    });
    const store = new PostgresEventStore(db.dataSource, { preparedStatements: true });
    const t0 = performance.now();
    const world = await buildWorld(
      store,
      random,
      { teams: SIZES.teams, coursesPerTeam: SIZES.coursesPerTeam, rosterCourses: SIZES.rosterCourses },
      (m) => say(`  ${m}`),
    );
    await waitForSubscriptions(db.dataSource, 300_000);
    say(`  world written through DeciderStore and projected in ${fmt((performance.now() - t0) / 1000)} s`);
    snapshot('after loading the world (teams, courses, projections caught up)');

    const secretary = await benchAuth('bench-secretary', ['secretary']);
    const rosterClinician = await benchAuth(ROSTER_CLINICIAN, ['clinician']);

    // the HTTP baseline: GET /me on the same server with the same clients (token verified, roles, access log, no query)
    const health = () =>
      load({
        port: api.port,
        connections: SIZES.httpConnections,
        amount: SIZES.healthRequests,
        headers: secretary,
        request: () => ({ path: '/me' }),
      });
    await warmUpEnrolments(store, db.dataSource, random, [api.port], secretary);
    const health1 = await health();
    if (args.profile) process.kill(api.pid, 'SIGWINCH'); // starts the API's profiler (api-server.mjs; Nest's shutdown hooks take SIGUSR2)
    const enrol = await enrolmentLoad([api.port], world, SIZES.httpConnections, secretary);
    if (args.profile) {
      process.kill(api.pid, 'SIGWINCH');
      say(`  profile of the enrolment run: ${args.profile}/enrolment.cpuprofile, SQL statements: ${args.profile}/enrolment-sql.json`);
    }
    const health2 = await health();
    raw.enrolment = { enrol, health: [health1, health2] };
    say(`  enrolment statuses: ${JSON.stringify(enrol.statuses)}${enrol.errors ? `, ${enrol.errors} errors` : ''}`);
    say(`  enrolment p99 ÷ p50: ${fmt(enrol.p99Ms / enrol.p50Ms)} (target ≤ 3)`);
    if ((enrol.statuses['201'] ?? 0) !== world.courses.length)
      say(`  ! not every enrolment was a 201: the figure below counts every answer`);
    const healthRate = mean([health1.perSecond, health2.perSecond]);
    add(
      figure({
        id: 'enrolment-throughput',
        title: `POST /courses/{id}/enrolments, ${SIZES.httpConnections} concurrent clients (${enrol.requests} enrolments on ${world.teams.length} teams)`,
        value: enrol.perSecond,
        unit: 'req/s',
        baseline: { title: 'GET /me on the same server, same clients', value: healthRate, unit: 'req/s' },
        higherIsBetter: true,
        meaning:
          'an enrolment (load course and team streams, decide, append to the team with expected revision, record the seat on the course) ' +
          'against GET /me on the same server (token verified, roles checked, no database work); 1.0 would mean a booking costs no more than answering who the caller is.',
        details: { statuses: enrol.statuses, health: [health1, health2] },
      }),
    );
    add(
      figure({
        id: 'enrolment-latency-p50',
        title: 'Enrolment latency p50 under 32 clients',
        value: enrol.p50Ms,
        unit: 'ms',
        baseline: { title: 'GET /me p50, same clients', value: mean([health1.p50Ms, health2.p50Ms]), unit: 'ms' },
        higherIsBetter: false,
        meaning: 'median time a secretary waits for a booking at this load, in multiples of GET /me’s median.',
      }),
    );
    add(
      figure({
        id: 'enrolment-latency-p99',
        title: 'Enrolment latency p99 under 32 clients',
        value: enrol.p99Ms,
        unit: 'ms',
        baseline: { title: 'GET /me p99, same clients', value: mean([health1.p99Ms, health2.p99Ms]), unit: 'ms' },
        higherIsBetter: false,
        meaning:
          'tail latency of a booking at this load (includes re-deciding after a concurrent write to the same team), in multiples of GET /me’s tail.',
      }),
    );

    await waitForSubscriptions(db.dataSource, 300_000);
    snapshot('after the enrolment run');
    await twoProcessEnrolment(api, store, db.dataSource, secretary, { enrol, health: healthRate });
    await readModelRebuilds(db.dataSource);
    const [{ n: eventsSmall }] = await db.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM events`);
    raw.eventsBeforeHistory = eventsSmall;

    const queryRound = async (): Promise<LoadResult[]> => [
      await load({
        port: api.port,
        connections: SIZES.queryConnections,
        amount: SIZES.queryRequests,
        headers: rosterClinician,
        request: () => ({ path: `/clinicians/${ROSTER_CLINICIAN}/roster` }),
      }),
      await load({
        port: api.port,
        connections: SIZES.queryConnections,
        amount: SIZES.queryRequests,
        headers: secretary,
        request: (i) => ({ path: `/teams/${world.teams[i % world.teams.length]}/board` }),
      }),
      await load({
        port: api.port,
        connections: SIZES.queryConnections,
        amount: SIZES.queryRequests,
        headers: secretary,
        request: (i) => ({ path: `/teams/${world.teams[i % world.teams.length]}` }),
      }),
    ];
    /** two rounds; per query the round with the lower p99 (a neighbour's burst on a shared machine only ever adds latency) */
    const queries = async (): Promise<LoadResult[]> => {
      const rounds = [await queryRound(), await queryRound()];
      return rounds[0].map((first, i) => {
        const second = rounds[1][i];
        return { ...(second.p99Ms < first.p99Ms ? second : first), rounds: [first, second] } as LoadResult;
      });
    };
    const names = [
      `GET /clinicians/{id}/roster (${world.rosterCourses} courses)`,
      'GET /teams/{id}/board (25 seats)',
      'GET /teams/{id} (team stream)',
    ];
    say(`\n[3/3] queries at ${fmt(eventsSmall)} events`);
    const small = await queries();
    const healthSmall = await load({
      port: api.port,
      connections: SIZES.queryConnections,
      amount: SIZES.queryRequests,
      request: () => ({ path: '/health' }),
    });
    const runs: QueryRun[] = names.map((name, i) => ({ name, small: small[i] }));
    for (const r of runs)
      say(
        `  ${r.name}: p50 ${fmt(r.small.p50Ms)} ms, p99 ${fmt(r.small.p99Ms)} ms, ${fmt(r.small.perSecond)} req/s ${JSON.stringify(r.small.statuses)}`,
      );

    if (HISTORY > 0) {
      say(`  writing ${fmt(HISTORY)} events of other streams with COPY (${fmt(HISTORY_COURSES)} courses, the rest archive streams)…`);
      if (args.profile) process.kill(api.pid, 'SIGWINCH'); // the API's profile of the catch-up (copy and projections)
      const written = await writeHistory(db.dataSource, random, HISTORY, HISTORY_COURSES, (n) => {
        if (n % 200_000 < 50_000) say(`    ${fmt(n)} events copied`);
      });
      say(
        `  ${fmt(written.events)} events copied in ${fmt(written.seconds)} s (${fmt(written.events / written.seconds)} events/s): ${fmt(written.courseEvents)} in ${fmt(written.courses)} course streams, ${fmt(written.archiveEvents)} in archive streams`,
      );
      const c0 = performance.now();
      await waitForSubscriptions(db.dataSource, 1_800_000, (behind) =>
        say(`    projections: ${fmt(behind)} events still to apply (slowest subscription)`),
      );
      const catchUp = (performance.now() - c0) / 1000;
      if (args.profile) {
        process.kill(api.pid, 'SIGWINCH');
        say(`  profile of the catch-up: ${args.profile}/catch-up.cpuprofile, SQL statements: ${args.profile}/catch-up-sql.json`);
      }
      raw.history = { ...written, projectionCatchUpSeconds: catchUp };
      say(
        `  the API's subscriptions read them all (and applied the course events) in ${fmt(catchUp)} s (${fmt(written.events / catchUp)} events/s each)`,
      );
      snapshot(`after ${fmt(written.events)} more events were projected`);
      const [{ n: eventsLarge }] = await db.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM events`);
      raw.eventsAfterHistory = eventsLarge;
      say(`  queries at ${fmt(eventsLarge)} events`);
      const large = await queries();
      const healthLarge = await load({
        port: api.port,
        connections: SIZES.queryConnections,
        amount: SIZES.queryRequests,
        request: () => ({ path: '/health' }),
      });
      raw.queryNoiseReference = { healthSmall, healthLarge };
      say(
        `  (noise reference: GET /health p99 ${fmt(healthSmall.p99Ms)} ms at ${fmt(eventsSmall)} events, ${fmt(healthLarge.p99Ms)} ms at ${fmt(eventsLarge)})`,
      );
      runs.forEach((r, i) => (r.large = large[i]));
      for (const r of runs) {
        say(
          `  ${r.name}: p50 ${fmt(present(r.large).p50Ms)} ms, p99 ${fmt(present(r.large).p99Ms)} ms ${JSON.stringify(present(r.large).statuses)}`,
        );
        add(
          figure({
            id: `query-p99-${r.name.split(' ')[1]}`,
            title: `${r.name} p99 at ${fmt(eventsLarge)} events`,
            value: present(r.large).p99Ms,
            unit: 'ms',
            baseline: { title: `the same query's p99 at ${fmt(eventsSmall)} events`, value: r.small.p99Ms, unit: 'ms' },
            higherIsBetter: false,
            meaning:
              'growth of the query’s tail latency with history (other streams: more courses projected into the same read-model tables, and archive streams); ≈1 means its cost does not grow with the store.',
            details: { small: r.small, large: r.large },
          }),
        );
      }
    } else {
      for (const r of runs) {
        add(
          figure({
            id: `query-p99-${r.name.split(' ')[1]}`,
            title: `${r.name} p99 at ${fmt(eventsSmall)} events (history step skipped: --history 1000000 runs it)`,
            value: r.small.p99Ms,
            unit: 'ms',
            baseline: { title: 'GET /health p99, same clients', value: healthSmall.p99Ms, unit: 'ms' },
            higherIsBetter: false,
            meaning:
              'the query’s tail latency in multiples of a health check’s; run with --history to compare it with the same query at ≥1M events.',
            details: { small: r.small },
          }),
        );
      }
    }
    const last = memory[memory.length - 1];
    add(
      figure({
        id: 'rss',
        title: `API resident memory after the workload (${last.when})`,
        value: last.rssMiB,
        unit: 'MiB',
        baseline: { title: 'the same process right after start', value: memory[0].rssMiB, unit: 'MiB' },
        higherIsBetter: false,
        meaning:
          'memory the API holds once loaded with work, against what it needs to start; a ratio that grows with history would mean per-event state in memory.',
        details: { snapshots: memory },
      }),
    );
  } finally {
    await db?.close();
    await api.stop();
  }
}

/**
 * The same enrolment load split between two API processes on one PostgreSQL (a second process on the same
 * schema, loopback, its own port; the first stays the elected consumer): a fresh world of the same size,
 * half the clients and half the courses on each port at the same time. The second process stops after.
 */
async function twoProcessEnrolment(
  first: ApiProcess,
  store: PostgresEventStore,
  dataSource: OpenDatabase['dataSource'],
  headers: Record<string, string>,
  one: { enrol: LoadResult; health: number },
): Promise<void> {
  const second = await startApi(apiEnv());
  runningApis.push(second);
  try {
    const world = await buildWorld(
      store,
      random,
      { teams: SIZES.teams, coursesPerTeam: SIZES.coursesPerTeam, rosterCourses: 0 },
      () => undefined,
    );
    // the second process is new: warmed as the first was (its warm-up waits for world's projections too)
    await warmUpEnrolments(store, dataSource, random, [second.port], headers);
    const two = await enrolmentLoad([first.port, second.port], world, SIZES.httpConnections, headers);
    raw.twoProcesses = { enrol: two, oneProcess: one.enrol };
    say(`  two processes, enrolment statuses: ${JSON.stringify(two.statuses)}${two.errors ? `, ${two.errors} errors` : ''}`);
    add(
      figure({
        id: 'enrolment-two-processes',
        title: `POST /courses/{id}/enrolments over two API processes on one PostgreSQL (${SIZES.httpConnections} clients split between two ports, ${two.requests} enrolments on ${world.teams.length} teams)`,
        value: two.perSecond,
        unit: 'req/s',
        baseline: { title: 'the same load on one API process, same run', value: one.enrol.perSecond, unit: 'req/s' },
        higherIsBetter: true,
        meaning: `what a second API process adds on the same machine and PostgreSQL (the first runs the background consumers); against GET /me of one process: ${fmt(two.perSecond / one.health)} × (one process: ${fmt(one.enrol.perSecond / one.health)} ×); p50 ${fmt(two.p50Ms)} ms, p99 ${fmt(two.p99Ms)} ms (the larger of the two ports').`,
        details: { statuses: two.statuses, p50Ms: two.p50Ms, p99Ms: two.p99Ms, oneProcess: one.enrol },
      }),
    );
  } finally {
    await second.stop();
    runningApis.splice(runningApis.indexOf(second), 1);
  }
}

async function dropSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: URL_ });
  await client.connect();
  try {
    for (const schema of Object.values(schemas)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

function environment(): Record<string, unknown> {
  const git = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    startedAt: started.toISOString(),
    command: `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    seed: SEED,
    commit: git('git rev-parse --short HEAD'),
    node: process.version,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  };
}

const runningApis: ApiProcess[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`\n${signal}: stopping the API and dropping the bench schemas…`);
    void (async () => {
      await Promise.all(runningApis.map((a) => a.stop().catch(() => undefined)));
      await dropSchemas().catch(() => undefined);
      process.exit(130);
    })();
  });
}

const meta: Record<string, unknown> = environment();
let failed: unknown;
try {
  const client = new pg.Client({ connectionString: URL_ });
  await client.connect();
  meta.postgres = ((await client.query('SHOW server_version')).rows[0] as { server_version: string }).server_version;
  await client.end();
  say(
    `bench ${String(meta.command)} on PostgreSQL ${String(meta.postgres)} (${URL_.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}), seed ${SEED}`,
  );
  await storeBenchmarks();
  await apiBenchmarks();
} catch (error) {
  failed = error;
} finally {
  await dropSchemas().catch((e: unknown) => say(`could not drop the bench schemas ${Object.values(schemas).join(', ')}: ${String(e)}`));
}
meta.seconds = Math.round((Date.now() - started.getTime()) / 1000);
mkdirSync(args.out, { recursive: true });
const report = markdown(figures, memory, meta);
writeFileSync(
  `${args.out}/latest.json`,
  `${JSON.stringify({ meta, figures, memory, raw, ...(failed ? { error: failed instanceof Error ? failed.message : JSON.stringify(failed) } : {}) }, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
);
writeFileSync(`${args.out}/latest.md`, report);
say(`\n${report}`);
say(`wrote ${args.out}/latest.json and ${args.out}/latest.md in ${String(meta.seconds)} s`);
if (failed) {
  process.stderr.write(`\nbench failed: ${failed instanceof Error ? (failed.stack ?? failed.message) : JSON.stringify(failed)}\n`);
  process.exit(1);
}
process.exit(0);
