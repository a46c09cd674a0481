import type { DataSource } from 'typeorm';
import { courseDecider, seatsTaken, teamDecider, type CourseState, type TeamState } from '#app/domain';
import { comparePositions, type EventStore, type Position, type RecordedEvent } from '#app/event-store';
import { rebuildProjection, type Projection } from '#app/projections';
import { asText, type Expected, type Operation } from './operations.js';

/** The subscriptions that must reach the head of the log before anything is compared. */
export async function settled(
  dataSource: DataSource,
  store: EventStore,
): Promise<{ done: boolean; head: Position; lagging: string[]; queued: number }> {
  const head = await store.headPosition();
  const rows = await dataSource.query<
    Array<{
      name: string;
      c: string;
      p: string;
    }>
  >(`SELECT name, commit_position::text AS c, prepare_position::text AS p FROM subscription_checkpoints WHERE name NOT LIKE '%#rebuild'`);
  const lagging = rows.filter((r) => comparePositions({ commit: BigInt(r.c), prepare: BigInt(r.p) }, head) < 0).map((r) => r.name);
  const [{ n }] = await dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM enrolment_pm_work`);
  return { done: lagging.length === 0 && n === 0, head, lagging, queued: n };
}

/** Waits until the log stops moving with every subscription at its head and no follow-up queued. */
export async function waitUntilSettled(dataSource: DataSource, store: EventStore, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let previous: Position | undefined;
  let last: string;
  for (;;) {
    const s = await settled(dataSource, store);
    if (s.done && previous && comparePositions(previous, s.head) === 0) return undefined;
    previous = s.done ? s.head : undefined;
    last = `lagging subscriptions: ${s.lagging.join(', ') || 'none'}; follow-ups queued: ${s.queued}`;
    if (Date.now() > deadline) return `The API did not settle within ${timeoutMs} ms (${last}).`;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Holdings {
  readonly seats: Map<string, string[]>; // course → teams with a seat
  readonly waiting: Map<string, string[]>; // course → teams with a waitlist place
}

const push = (m: Map<string, string[]>, k: string, v: string) => m.set(k, [...(m.get(k) ?? []), v]);

/**
 * The invariants after the storm, read from the event streams (the source of truth):
 * - every request that got a 2xx is reflected, and nothing else: each course holds exactly the seat and
 *   waitlist places its 2xx answers add up to (no lost booking, no extra one);
 * - no request's events were written twice (a retried key's events all come from one append), and a
 *   request that was refused (4xx) wrote no seat or waitlist event;
 * - no team over capacity, no course twice on a team, no course both seated and waiting on one team;
 * - each course stream agrees with the team streams (seats and waitlist places).
 */
export function checkInvariants(
  events: readonly RecordedEvent[],
  operations: readonly Operation[],
  expected: ReadonlyMap<string, Expected>,
): string[] {
  const violations: string[] = [];
  const byStream = new Map<string, RecordedEvent[]>();
  for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);

  const team: Holdings = { seats: new Map(), waiting: new Map() };
  for (const [streamId, stream] of byStream) {
    if (!streamId.startsWith('team-')) continue;
    const teamId = streamId.slice('team-'.length);
    const state = replay<TeamState>(teamDecider, stream);
    if (state.status !== 'planned') continue;
    const seated = state.seats.map((s) => s.courseId);
    const waiting = state.waitlist.map((w) => w.courseId);
    if (seatsTaken(state) > state.capacity)
      violations.push(`team ${teamId} is over capacity: ${seatsTaken(state)} seats taken (incl. offers) of ${state.capacity}`);
    if (new Set(seated).size !== seated.length)
      violations.push(`team ${teamId} has a course twice: ${seated.filter((c, i) => seated.indexOf(c) !== i).join(', ')}`);
    if (new Set(waiting).size !== waiting.length) violations.push(`team ${teamId} has a course twice on its waitlist`);
    for (const c of seated) {
      push(team.seats, c, teamId);
      if (waiting.includes(c)) violations.push(`course ${c} is both seated and waiting on team ${teamId}`);
    }
    for (const c of waiting) push(team.waiting, c, teamId);
  }

  for (const [courseId, want] of expected) {
    const seats = (team.seats.get(courseId) ?? []).sort();
    const wantSeats = want.seat ? [want.seat] : [];
    if (JSON.stringify(seats) !== JSON.stringify(wantSeats)) {
      violations.push(
        `course ${courseId}: its 2xx answers add up to seat ${want.seat ?? 'none'}, the team streams hold ${seats.join(', ') || 'none'} (${describeOps(operations, courseId)})`,
      );
    }
    const waiting = (team.waiting.get(courseId) ?? []).sort();
    const wantWaiting = [...want.waiting].sort();
    if (JSON.stringify(waiting) !== JSON.stringify(wantWaiting)) {
      violations.push(
        `course ${courseId}: expected waitlist places ${wantWaiting.join(', ') || 'none'}, the team streams hold ${waiting.join(', ') || 'none'} (${describeOps(operations, courseId)})`,
      );
    }
    const course = replay<CourseState>(courseDecider, byStream.get(`course-${courseId}`) ?? []);
    const courseSeats = course.seats.map((s) => s.teamId).sort();
    if (JSON.stringify(courseSeats) !== JSON.stringify(seats))
      violations.push(
        `course ${courseId}: the course stream records seats ${courseSeats.join(', ') || 'none'}, the teams ${seats.join(', ') || 'none'}`,
      );
    const courseWaiting = course.waitlists.map((w) => w.teamId).sort();
    if (JSON.stringify(courseWaiting) !== JSON.stringify(waiting)) {
      violations.push(
        `course ${courseId}: the course stream records waitlist places ${courseWaiting.join(', ') || 'none'}, the teams ${waiting.join(', ') || 'none'}`,
      );
    }
  }

  // written once: the events a key wrote to a stream come from one append (one transaction)
  const byKey = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    const key = (e.metadata as { idempotencyKey?: string }).idempotencyKey;
    if (key) byKey.set(`${e.streamId} ${key}`, [...(byKey.get(`${e.streamId} ${key}`) ?? []), e]);
  }
  for (const e of events) {
    const of = (e.metadata as { followUpOf?: { eventId?: string } }).followUpOf?.eventId;
    if (of) byKey.set(`${e.streamId} follow-up-of:${of}`, [...(byKey.get(`${e.streamId} follow-up-of:${of}`) ?? []), e]);
  }
  for (const [streamKey, written] of byKey) {
    const appends = new Set(written.map((e) => e.position.commit.toString()));
    if (appends.size > 1)
      violations.push(
        `request ${streamKey.split(' ')[1]} was carried out ${appends.size} times on ${streamKey.split(' ')[0]} (${written.map((e) => e.type).join(', ')})`,
      );
  }
  const SEAT_EVENTS = new Set([
    'SeatReserved',
    'CourseWaitlisted',
    'SeatReleased',
    'CourseLeftWaitlist',
    'SeatOfferAccepted',
    'SeatOfferDeclined',
  ]);
  for (const op of operations) {
    const written = events.filter((e) => (e.metadata as { idempotencyKey?: string }).idempotencyKey === op.key && SEAT_EVENTS.has(e.type));
    const ok = op.status !== undefined && op.status >= 200 && op.status < 300;
    if (ok && written.length === 0)
      violations.push(`request ${op.key} (${op.kind}) answered ${String(op.status)} but wrote no seat or waitlist event`);
    if (!ok && written.length > 0)
      violations.push(
        `request ${op.key} (${op.kind}) answered ${String(op.status)} ${op.code ?? ''} yet wrote ${written.map((e) => e.type).join(', ')}`,
      );
  }
  return violations;
}

function describeOps(operations: readonly Operation[], courseId: string): string {
  return operations
    .filter((o) => o.courseId === courseId)
    .map(
      (o) =>
        `${o.kind}${o.kind === 'rebook' && o.answer?.toTeamId ? `→${asText(o.answer.toTeamId).slice(0, 8)}` : ''} ${o.teamId.slice(0, 8)}: ${String(o.status)}${o.code ? ` ${o.code}` : ''}${(o.attempts ?? 1) > 1 ? ` after ${String(o.attempts)} attempts` : ''}`,
    )
    .join('; ');
}

function replay<S>(decider: { initialState(): S; evolve(state: S, event: never): S }, events: readonly RecordedEvent[]): S {
  return events.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as never), decider.initialState());
}

/**
 * Read models equal their rebuild: every table of every rebuildable projection is read, the projection is
 * rebuilt from position 0 (libs/projections rebuild: shadow tables, then a swap), and read again; the two
 * must be equal row for row. Run with the API stopped (or settled and idle).
 */
export async function compareWithRebuild(projections: readonly Projection[], store: EventStore, dataSource: DataSource): Promise<string[]> {
  const violations: string[] = [];
  for (const projection of projections) {
    const tables = projection.tables ?? [];
    if (tables.length === 0) continue;
    const before = await snapshot(dataSource, tables);
    await rebuildProjection({ projection, source: store, dataSource, batchSize: 500 });
    const after = await snapshot(dataSource, tables);
    for (const table of tables) {
      const live = before[table];
      const rebuilt = after[table];
      if (JSON.stringify(live) === JSON.stringify(rebuilt)) continue;
      const onlyLive = live.filter((r) => !rebuilt.includes(r));
      const onlyRebuilt = rebuilt.filter((r) => !live.includes(r));
      violations.push(
        `read model ${table} (${projection.name}) differs from its rebuild: ${live.length} live rows, ${rebuilt.length} rebuilt, ` +
          `${onlyLive.length} only live, ${onlyRebuilt.length} only rebuilt; first difference: ${firstDifference(onlyLive[0], onlyRebuilt[0])}`,
      );
    }
  }
  return violations;
}

/** the columns in which two rows (JSON) differ, values cut short */
function firstDifference(live: string | undefined, rebuilt: string | undefined): string {
  const cut = (v: unknown) => asText(v).slice(0, 120);
  if (!live || !rebuilt)
    return live
      ? `a live row has no rebuilt twin: ${live.slice(0, 240)}`
      : `a rebuilt row has no live twin: ${(rebuilt ?? '').slice(0, 240)}`;
  const a = JSON.parse(live) as Record<string, unknown>;
  const b = JSON.parse(rebuilt) as Record<string, unknown>;
  const columns = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  return columns.map((k) => `${k}: live ${cut(a[k])}, rebuilt ${cut(b[k])}`).join('; ');
}

async function snapshot(dataSource: DataSource, tables: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = await dataSource.query<Array<Record<string, unknown>>>(`SELECT * FROM ${table}`);
    out[table] = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort();
  }
  return out;
}
