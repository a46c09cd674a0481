import { readdirSync, readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import type { EventStore } from '#app/event-store';
import { load, waitForSubscriptions, type LoadResult } from './http-bench.js';
import { buildWorld, type World } from './workload.js';
import { present } from '../support/present.js';

/**
 * The bench's enrolment load: every request a new course of `world` on team k mod teams, over `connections`
 * keep-alive clients. With several ports (API processes on one PostgreSQL), the clients and the courses are
 * split evenly between them and loaded at the same time.
 */
export async function enrolmentLoad(
  ports: readonly number[],
  world: World,
  connections: number,
  headers: Record<string, string>,
): Promise<LoadResult> {
  const parts = ports.map((port, p) => {
    const courses = world.courses.map((c, k) => ({ c, k })).filter(({ k }) => k % ports.length === p);
    return load({
      port,
      method: 'POST',
      connections: Math.ceil(connections / ports.length),
      amount: courses.length,
      headers,
      request: (i) => {
        const { c, k } = present(courses[Math.min(i, courses.length - 1)]);
        return { path: `/courses/${c}/enrolments`, body: JSON.stringify({ teamId: world.teams[k % world.teams.length], reason: 'bench' }) };
      },
    });
  });
  return combine(await Promise.all(parts));
}

/**
 * Enrolments of a world of their own (800, as many as a quick run measures) through each of `ports` before a
 * measured run: a new API process's enrolment path is not yet compiled by the JIT (nor are its PostgreSQL
 * sessions' caches warm), and a measured run should not carry that once-per-process start. 200 were not enough:
 * a second process warmed with 200 still spent ~1.7 × the CPU per request of one warmed with 1 000.
 */
export async function warmUpEnrolments(
  store: EventStore,
  dataSource: DataSource,
  random: () => number,
  ports: readonly number[],
  headers: Record<string, string>,
): Promise<void> {
  for (const port of ports) {
    const world = await buildWorld(store, random, { teams: 32, coursesPerTeam: 25, rosterCourses: 0 }, () => undefined);
    await waitForSubscriptions(dataSource, 300_000);
    await enrolmentLoad([port], world, 32, headers);
  }
  await waitForSubscriptions(dataSource, 300_000);
}

/** GET /me over `connections` clients, split between the ports like the enrolments */
export async function meLoad(
  ports: readonly number[],
  amount: number,
  connections: number,
  headers: Record<string, string>,
): Promise<LoadResult> {
  const parts = ports.map((port) =>
    load({
      port,
      connections: Math.ceil(connections / ports.length),
      amount: Math.ceil(amount / ports.length),
      headers,
      request: () => ({ path: '/me' }),
    }),
  );
  return combine(await Promise.all(parts));
}

/**
 * One result of loads that ran side by side: requests add up over the longest one's duration; p50 is the
 * request-weighted mean of the parts' p50 and p99 the largest part's p99 (autocannon gives percentiles only).
 */
function combine(parts: readonly LoadResult[]): LoadResult {
  if (parts.length === 1) return present(parts[0]);
  const requests = parts.reduce((a, r) => a + r.requests, 0);
  const seconds = Math.max(...parts.map((r) => r.seconds));
  const statuses: Record<string, number> = {};
  for (const r of parts) for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  return {
    requests,
    seconds,
    perSecond: requests / seconds,
    p50Ms: parts.reduce((a, r) => a + r.p50Ms * r.requests, 0) / Math.max(1, requests),
    p99Ms: Math.max(...parts.map((r) => r.p99Ms)),
    statuses,
    errors: parts.reduce((a, r) => a + r.errors, 0),
  };
}

/** CPU seconds (user + system) a process has used, from /proc (Linux) */
export function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds of every PostgreSQL server process on this machine (other databases' work included) */
export function postgresCpuSeconds(): number {
  return [...postgresCpuByProcess().values()].reduce((a, b) => a + b, 0);
}

/** CPU seconds of each PostgreSQL server process on this machine, by pid */
export function postgresCpuByProcess(): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    const s = cpuSecondsOf(Number(entry));
    if (Number.isFinite(s)) cpu.set(Number(entry), s);
  }
  return cpu;
}

/**
 * The CPU PostgreSQL's sessions used between two snapshots (postgresCpuByProcess), summed per application_name
 * (an API process started with PGAPPNAME names its pool's sessions); server processes that are no session
 * count under their backend type.
 */
export async function postgresCpuBySession(
  dataSource: DataSource,
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): Promise<Map<string, number>> {
  const sessions = await dataSource.query<Array<{ pid: number; name: string }>>(
    `SELECT pid, CASE WHEN application_name <> '' THEN application_name ELSE backend_type END AS name FROM pg_stat_activity`,
  );
  const nameOf = new Map(sessions.map((s) => [s.pid, s.name]));
  const used = new Map<string, number>();
  for (const [pid, seconds] of after) {
    const name = nameOf.get(pid) ?? 'ended sessions';
    used.set(name, (used.get(name) ?? 0) + seconds - (before.get(pid) ?? 0));
  }
  return used;
}
