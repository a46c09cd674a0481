import { inPool, type ApiClient } from '../workload/http.js';
import { random, type Random } from '../workload/random.js';
import { SECRETARY } from './world.js';

export type OpKind = 'enrol' | 'cancel' | 'rebook' | 'accept' | 'decline';

/** One client request and the first non-5xx answer it got (after retries with its Idempotency-Key). */
export interface Operation {
  readonly key: string;
  readonly kind: OpKind;
  readonly courseId: string;
  readonly method: 'POST' | 'DELETE';
  readonly path: string;
  readonly body: Record<string, unknown>;
  /** the team the request is about (enrol/cancel/accept/decline: that team; rebook: the source) */
  readonly teamId: string;
  status?: number;
  code?: string;
  answer?: Record<string, unknown>;
  attempts?: number;
  /** failed attempts before the answer: network errors and 5xx, with when they happened */
  readonly failures: Array<{ readonly failure: string; readonly sentAt: number; readonly failedAt: number }>;
  /** sent twice at once with the same key (a client that gave up waiting and retried): the other answer, when it differed */
  twin?: string;
}

/** What the course should hold once every request is through, from the 2xx answers it got (its requests run one after another). */
export interface Expected {
  seat?: string;
  readonly waiting: Set<string>;
}

export interface OperationsRun {
  readonly operations: Operation[];
  readonly expected: Map<string, Expected>;
}

/**
 * Per course, a chain of requests sent one after the other (courses run concurrently, `concurrency` at a
 * time): enrol (sometimes joining the waitlist when full), cancel the seat or the waitlist place, rebook to a
 * named team or the next one that fits, accept or decline a held offer. Each request is retried with its
 * Idempotency-Key until it gets a non-5xx answer; a share (`twins`, default 15 %) is sent twice at once with
 * the same key, as by a client that gave up waiting and retried, and both answers must agree. `beforeEach`
 * lets the fault injector fire at milestones.
 */
export async function runOperations(
  client: ApiClient,
  world: { teams: ReadonlyArray<{ teamId: string }>; courses: readonly string[] },
  options: {
    perCourse: number;
    concurrency: number;
    seed: number;
    runId: string;
    twins?: number;
    twinNextRebooks?: boolean;
    beforeEach?: (index: number) => void;
  },
): Promise<OperationsRun> {
  const operations: Operation[] = [];
  const expected = new Map<string, Expected>(world.courses.map((c) => [c, { waiting: new Set<string>() }]));
  let started = 0;
  await inPool(world.courses, options.concurrency, async (courseId, ci) => {
    const rng = random(options.seed).fork(`chaos/${ci}`);
    const state = expected.get(courseId);
    if (!state) throw new Error(`Course ${courseId} is not in the chaos world.`);
    for (let k = 0; k < options.perCourse; k++) {
      const op = nextOperation(
        rng,
        courseId,
        state,
        world.teams.map((t) => t.teamId),
        `${options.runId}-${ci}-${k}`,
      );
      operations.push(op);
      options.beforeEach?.(started++);
      const send = () =>
        client.send(op.method, op.path, op.body, {
          as: SECRETARY,
          key: op.key,
          onFailure: (failure, sentAt, failedAt) => op.failures.push({ failure, sentAt, failedAt }),
        });
      // a "next team" rebook sent twice at once can reserve on two teams (see twinNextRebooks in chaos.ts)
      const nextRebook = op.kind === 'rebook' && op.body.toTeamId === undefined;
      const twice = rng.chance(options.twins ?? 0.15) && (!nextRebook || !!options.twinNextRebooks);
      const [answer, twin] = await Promise.all([send(), twice ? new Promise((r) => setTimeout(r, rng.int(0, 20))).then(send) : undefined]);
      if (twin && summary(twin.status, twin.body) !== summary(answer.status, answer.body)) {
        op.twin = `${summary(answer.status, answer.body)} vs ${summary(twin.status, twin.body)}`;
      }
      op.status = answer.status;
      op.attempts = answer.attempts;
      op.answer = (answer.body ?? {}) as Record<string, unknown>;
      op.code = typeof op.answer.code === 'string' ? op.answer.code : undefined;
      apply(op, state);
    }
  });
  return { operations, expected };
}

function nextOperation(rng: Random, courseId: string, state: Expected, teams: readonly string[], key: string): Operation {
  const other = (not?: string) => rng.pick(teams.filter((t) => t !== not));
  const make = (kind: OpKind, method: 'POST' | 'DELETE', path: string, body: Record<string, unknown>, teamId: string): Operation => ({
    key,
    kind,
    courseId,
    method,
    path,
    body,
    teamId,
    failures: [],
  });
  const enrol = (teamId: string, waitlist: boolean) =>
    make(
      'enrol',
      'POST',
      `/courses/${courseId}/enrolments`,
      { teamId, ...(waitlist ? { joinWaitlistIfFull: true } : {}), reason: 'Booked by phone' },
      teamId,
    );
  const cancel = (teamId: string) =>
    make('cancel', 'DELETE', `/courses/${courseId}/enrolments/${teamId}`, { reason: 'The patient cancelled' }, teamId);
  if (state.seat) {
    const r = rng();
    if (r < 0.45) {
      const named = rng.chance(0.5) ? other(state.seat) : undefined;
      return make(
        'rebook',
        'POST',
        `/courses/${courseId}/rebook`,
        { fromTeamId: state.seat, ...(named ? { toTeamId: named } : {}), reason: 'Away that week' },
        state.seat,
      );
    }
    if (r < 0.85) return cancel(state.seat);
    return enrol(other(state.seat), false); // a second seat on the programme: refused
  }
  const waitingOn = [...state.waiting][0];
  if (waitingOn) {
    const r = rng();
    if (r < 0.45)
      return make('accept', 'POST', `/teams/${waitingOn}/offers/${courseId}/accept`, { reason: 'Confirmed by phone' }, waitingOn);
    if (r < 0.6)
      return make('decline', 'POST', `/teams/${waitingOn}/offers/${courseId}/decline`, { reason: 'Cannot come that day' }, waitingOn);
    return cancel(waitingOn);
  }
  return enrol(rng.pick(teams), rng.chance(0.5));
}

/** what must be the same in two answers to one request: status, code, outcome and target team */
function summary(status: number, body: unknown): string {
  const b = (body ?? {}) as Record<string, unknown>;
  return [status, b.code, b.status, b.toTeamId]
    .filter((x) => x !== undefined)
    .map(asText)
    .join(' ');
}

/** A JSON answer's field as text: strings as they are, anything else as JSON. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value) as string | undefined; // undefined for undefined and functions
  return json ?? String(value);
}

/** the course's expected holdings after a (non-5xx) answer */
function apply(op: Operation, state: Expected): void {
  const ok = op.status !== undefined && op.status >= 200 && op.status < 300;
  if (!ok) return;
  const a = op.answer ?? {};
  switch (op.kind) {
    case 'enrol':
      if (op.status === 201) state.seat = op.teamId;
      if (op.status === 202) state.waiting.add(op.teamId);
      return;
    case 'cancel':
      if (a.status === 'released') state.seat = undefined;
      if (a.status === 'left_waitlist') state.waiting.delete(op.teamId);
      return;
    case 'rebook':
      state.seat = String(a.toTeamId);
      return;
    case 'accept':
      state.seat = op.teamId;
      state.waiting.delete(op.teamId);
      return;
    case 'decline':
      state.waiting.delete(op.teamId);
      return;
  }
}
