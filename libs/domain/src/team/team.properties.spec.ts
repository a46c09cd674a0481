import { isDeepStrictEqual } from 'node:util';
import { present } from '../shared/testing/index.js';
import fc from 'fast-check';
import { defaultCatalogue } from '../catalogue/default.catalogue.js';
import { addMinutes, toMillis } from '../catalogue/calendar.js';
import type { Catalogue } from '../catalogue/catalogue.types.js';
import { isDomainError, replay, type DomainError } from '../shared/index.js';
import type { TeamCommand } from './team.commands.js';
import { teamDecider } from './team.decider.js';
import type { TeamEvent } from './team.events.js';
import { staffRuleHolds } from './team.queries.js';
import type { PlannedTeam, TeamState } from './team.state.js';
import { TEAM, clinician, eligibleFor, planCommand, qualified } from './testing/team.fixtures.js';

const START = '2025-02-01T08:00:00+01:00';
const FIRST_SESSION = '2025-02-03T13:00:00+01:00';
const TZ = 'Europe/Copenhagen';
const COURSES = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];
const CLINICIANS = ['k1', 'k2', 'k3', 'k4'];
const REFERRALS = ['2024-10-01', '2024-11-01', '2024-12-01'];
const FAILING_FACTS = [
  { needsInterpreter: true },
  { substanceAbuse: true },
  { ptsdSymptoms: true },
  { motivatedFor: {} },
  { programmesCompleted: [] },
  { inOpioidTreatment: undefined },
];

/** An abstract step; turned into a command against the current state (indices pick existing courses, sessions, clinicians). */
type Action =
  | {
      kind: 'reserve' | 'join' | 'accept';
      course: number;
      eligible: boolean;
      failing: number;
      referral: number;
      relatives: number;
      relativeAge: number;
    }
  | { kind: 'release' | 'leave' | 'decline'; course: number }
  | { kind: 'offer' | 'expire' | 'close' }
  | { kind: 'assign'; clinician: number; role: number; qualified: boolean }
  | { kind: 'remove'; clinician: number }
  | { kind: 'cancel'; session: number }
  | { kind: 'move'; session: number; shiftHours: number; roomSeats: number }
  | { kind: 'attend'; session: number; mask: number; relatives: number; stranger: boolean };

const idx = fc.noBias(fc.nat({ max: 50 }));
const courseActionOf = (kinds: readonly ('reserve' | 'join' | 'accept')[]) =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    course: idx,
    eligible: fc.constantFrom(true, true, true, true, false),
    failing: idx,
    referral: idx,
    relatives: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 1, 2),
    relativeAge: fc.constantFrom(12, 18, 45),
  }) as fc.Arbitrary<Action>;
const courseAction = courseActionOf(['reserve', 'reserve', 'join', 'accept']);

const leavingAction = fc.record({ kind: fc.constantFrom('release', 'release', 'leave', 'decline'), course: idx }) as fc.Arbitrary<Action>;
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 10, arbitrary: courseAction },
  { weight: 3, arbitrary: leavingAction },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('offer', 'offer', 'expire', 'expire', 'close') }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('assign'), clinician: idx, role: idx, qualified: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove'), clinician: idx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel'), session: idx }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('move'),
      session: idx,
      shiftHours: fc.integer({ min: -48, max: 24 * 20 }),
      roomSeats: fc.integer({ min: 1, max: 30 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('attend'),
      session: idx,
      mask: fc.nat({ max: 255 }),
      relatives: fc.constantFrom(0, 0, 0, 0, 0, 1, 2),
      stranger: fc.constantFrom(false, false, false, false, true),
    }),
  },
);

const assignAction = fc.record({
  kind: fc.constant('assign'),
  clinician: idx,
  role: idx,
  qualified: fc.constantFrom(true, true, false),
}) as fc.Arbitrary<Action>;
/** filling a team: mostly seats and staff */
const fillingAction: fc.Arbitrary<Action> = fc.oneof(
  { weight: 8, arbitrary: courseActionOf(['reserve', 'reserve', 'reserve', 'join', 'join', 'accept', 'accept']) },
  { weight: 3, arbitrary: assignAction },
  { weight: 2, arbitrary: leavingAction },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('offer', 'expire', 'decline'), course: idx }) },
  { weight: 1, arbitrary: action },
);

const scenario = fc.record({
  programme: fc.constantFrom('NEDTRAPNING', 'FORSTAA_SMERTE', 'MBSR', 'HA', 'TERAPIHOLD'),
  roomSeats: fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 2, max: 3 }) },
    { weight: 2, arbitrary: fc.integer({ min: 4, max: 8 }) },
    { weight: 1, arbitrary: fc.integer({ min: 9, max: 30 }) },
  ),
  maxPeople: fc.option(fc.integer({ min: 30, max: 40 }), { nil: null }),
  autoOffer: fc.boolean(),
  /** start with every seat taken, so runs exercise the waitlist and offers */
  fillFirst: fc.boolean(),
  tieBreak: fc.constantFrom('joinedAt' as const, 'courseId' as const),
  // before the first session (filling the team), then from its start on (holding sessions, with jumps of days)
  before: fc.array(fc.tuple(fillingAction, fc.integer({ min: 0, max: 120 })), { minLength: 8, maxLength: 30, size: 'max' }),
  after: fc.array(
    fc.tuple(
      action,
      fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 8 * 60 }) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 8 * 24 * 60 }) },
      ),
    ),
    { minLength: 1, maxLength: 25, size: 'max' },
  ),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function toCommand(a: Action, state: PlannedTeam, now: string, s: Scenario): TeamCommand {
  const base = { teamId: TEAM, now };
  const course = (i: number) => COURSES[i % COURSES.length];
  const pick = <T>(items: readonly T[], i: number): T | undefined => (items.length ? items[i % items.length] : undefined);
  switch (a.kind) {
    case 'reserve':
    case 'join':
    case 'accept': {
      const facts = a.eligible
        ? eligibleFor(s.programme)
        : { ...eligibleFor(s.programme), ...FAILING_FACTS[a.failing % FAILING_FACTS.length] };
      const relatives = Array.from({ length: a.relatives }, () => ({ age: a.relativeAge }));
      // accept mostly targets a course that holds an offer
      const offered = pick(state.offers, a.course)?.courseId;
      if (a.kind === 'accept') return { ...base, type: 'AcceptSeatOffer', courseId: offered ?? course(a.course), facts, relatives };
      const referralDate = REFERRALS[a.referral % REFERRALS.length];
      // mostly a course not yet on the team, sometimes any (to exercise ALREADY_ON_TEAM)
      const fresh = COURSES.filter((c) => !state.seats.some((x) => x.courseId === c) && !state.waitlist.some((w) => w.courseId === c));
      const courseId = a.course % 4 !== 0 && fresh.length > 0 ? fresh[a.course % fresh.length] : course(a.course);
      return a.kind === 'reserve'
        ? { ...base, type: 'ReserveSeat', courseId, referralDate, facts, relatives }
        : { ...base, type: 'JoinWaitlist', courseId, referralDate, facts };
    }
    case 'release':
      return { ...base, type: 'ReleaseSeat', courseId: pick(state.seats, a.course)?.courseId ?? course(a.course), reason: 'Dropped out' };
    case 'leave':
      return {
        ...base,
        type: 'LeaveWaitlist',
        courseId: pick(state.waitlist, a.course)?.courseId ?? course(a.course),
        reason: 'Changed plans',
      };
    case 'decline':
      return { ...base, type: 'DeclineSeatOffer', courseId: pick(state.offers, a.course)?.courseId ?? course(a.course), reason: 'No' };
    case 'offer':
      return { ...base, type: 'OfferSeat' };
    case 'expire':
      return { ...base, type: 'ExpireSeatOffers' };
    case 'close':
      return { ...base, type: 'CloseForLateJoiners', reason: 'Group formed' };
    case 'assign': {
      const id = CLINICIANS[a.clinician % CLINICIANS.length];
      const roles = [...state.programme.staff.roles.map((r) => r.role), 'apprentice'];
      const role = a.role % 10 === 9 ? 'bogus' : roles[a.role % roles.length];
      return {
        ...base,
        type: 'AssignTherapist',
        clinicianId: id,
        role,
        clinician: a.qualified ? qualified(id) : clinician(id, { employmentStart: '2024-12-01' }),
      };
    }
    case 'remove':
      return {
        ...base,
        type: 'RemoveTherapist',
        clinicianId: pick(state.therapists, a.clinician)?.clinicianId ?? 'nobody',
        reason: 'Sick leave',
      };
    case 'cancel':
      return { ...base, type: 'CancelSession', sessionKey: present(pick(state.sessions, a.session)).key, reason: 'Holiday' };
    case 'move': {
      const session = present(pick(state.sessions, a.session));
      return {
        ...base,
        type: 'MoveSession',
        sessionKey: session.key,
        startsAt: addMinutes(session.startsAt, a.shiftHours * 60, TZ),
        room: { roomId: `room-${a.roomSeats}`, seats: a.roomSeats },
        reason: 'Room clash',
      };
    }
    case 'attend': {
      const seated = state.seats.map((x) => x.courseId).filter((_, i) => a.mask % 5 !== 0 || (a.mask >> i) & 1);
      const entries = [...seated, ...(a.stranger ? ['stranger'] : [])].map((courseId, i) => ({
        courseId,
        status: i % 3 === 2 ? ('noShow' as const) : ('attended' as const),
        relativesPresent: i % 3 === 2 ? 0 : a.relatives,
      }));
      // mostly the latest session that has started, sometimes any
      const started = state.sessions.filter((x) => toMillis(x.startsAt) <= toMillis(now) && x.cancelled === null);
      const session = a.session % 4 !== 0 && started.length > 0 ? present(started.at(-1)) : present(pick(state.sessions, a.session));
      return { ...base, type: 'RecordAttendance', sessionKey: session.key, entries };
    }
  }
}

interface Step {
  readonly before: TeamState;
  readonly command: TeamCommand;
  readonly result: TeamEvent[] | DomainError;
  readonly after: TeamState;
}

/** Runs a scenario step by step, returning every step and all events. */
const catalogues = new Map<string, Catalogue>();
function catalogueFor(s: Scenario): Catalogue {
  const key = `${s.tieBreak}/${String(s.autoOffer)}`;
  if (!catalogues.has(key)) {
    catalogues.set(key, {
      ...defaultCatalogue,
      settings: { ...defaultCatalogue.settings, waitlist: { tieBreak: s.tieBreak, autoOfferFreedSeats: s.autoOffer } },
    });
  }
  return present(catalogues.get(key));
}

function run(s: Scenario): { steps: Step[]; events: TeamEvent[]; state: TeamState } {
  const catalogue = catalogueFor(s);
  const plan = planCommand(s.programme, { catalogue, now: START, room: { roomId: 'room', seats: s.roomSeats, maxPeople: s.maxPeople } });
  let state = teamDecider.initialState();
  const events: TeamEvent[] = [];
  const steps: Step[] = [];
  const apply = (command: TeamCommand) => {
    const result = teamDecider.decide(command, state);
    const before = state;
    if (!isDomainError(result)) {
      for (const e of result) state = teamDecider.evolve(state, e);
      events.push(...result);
    }
    steps.push({ before, command, result, after: state });
  };
  apply(plan);
  let now = START;
  if (s.fillFirst) {
    const capacity = (state as PlannedTeam).capacity;
    for (let i = 0; i < capacity; i++) {
      apply({ type: 'ReserveSeat', teamId: TEAM, courseId: `seed-${i}`, referralDate: '2024-09-01', facts: eligibleFor(s.programme), now });
    }
  }
  for (const [a, dt] of s.before) {
    now = addMinutes(now, dt, TZ);
    apply(toCommand(a, state as PlannedTeam, now, s));
  }
  now = FIRST_SESSION;
  for (const [a, dt] of s.after) {
    now = addMinutes(now, dt, TZ);
    apply(toCommand(a, state as PlannedTeam, now, s));
  }
  return { steps, events, state };
}

const courseIdsOnTeam = (state: PlannedTeam) => [...state.seats.map((x) => x.courseId), ...state.waitlist.map((w) => w.courseId)];
const WITH_CRITERIA = new Set([
  'NOT_ELIGIBLE',
  'COMPETENCE_MISSING',
  'STAFF_RULE_NOT_MET',
  'RELATIVE_NOT_ALLOWED',
  'COURSE_NOT_ON_TEAM',
  'INVALID_CATALOGUE',
]);

/** plain checks (jest's expect is too slow to call per step in 1,000+ runs); throws with what went wrong */
function check(ok: boolean, what: () => string): void {
  if (!ok) throw new Error(what());
}

describe('team decider properties (random command sequences)', () => {
  it('seats taken (reserved + held by offers) never exceed capacity', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        for (const { after, command } of run(s).steps) {
          if (after.status !== 'planned') continue;
          const taken = after.seats.length + after.offers.length;
          check(taken <= after.capacity, () => `${taken} seats taken of ${after.capacity} after ${command.type}`);
          check(
            after.capacity <= Math.min(after.programme.seats, s.roomSeats),
            () => `capacity ${after.capacity} above programme or room seats`,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a course is never twice on a team (seat or waitlist), and every offer belongs to a waiting course', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        for (const { after, command } of run(s).steps) {
          if (after.status !== 'planned') continue;
          const ids = courseIdsOnTeam(after);
          check(new Set(ids).size === ids.length, () => `a course is twice on the team after ${command.type}: ${ids.join(', ')}`);
          for (const o of after.offers)
            check(
              after.waitlist.some((w) => w.courseId === o.courseId),
              () => `offer to ${o.courseId}, who is not waiting`,
            );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('attendance is never recorded for a session below the staff rule', () => {
    let recorded = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        for (const { before, result } of run(s).steps) {
          if (isDomainError(result)) continue;
          for (const e of result) {
            if (e.type !== 'AttendanceRecorded') continue;
            recorded++;
            const session = present((before as PlannedTeam).sessions.find((x) => x.key === e.data.sessionKey));
            check(staffRuleHolds(before, session.startsAt), () => `attendance recorded for ${session.key} without the staff rule met`);
          }
        }
      }),
      { numRuns: 200 },
    );
    expect(recorded).toBeGreaterThan(0);
  });

  it('every refusal has a stable code and a sentence, and eligibility/competence/staff refusals name each failed criterion', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(scenario, (s) => {
        for (const { result } of run(s).steps) {
          if (!isDomainError(result)) continue;
          seen.add(result.code);
          check(/^[A-Z][A-Z0-9_]*$/.test(result.code), () => `code ${result.code} is not UPPER_SNAKE`);
          check(/^[A-Z].*\.$/.test(result.message), () => `${result.code}: message is not a sentence: ${result.message}`);
          check(!WITH_CRITERIA.has(result.code) || result.failures.length >= 1, () => `${result.code} names no failed criterion`);
          for (const f of result.failures) {
            check(/^[A-Z][A-Z0-9_]*$/.test(f.code), () => `${result.code}: failure code ${f.code} is not UPPER_SNAKE`);
            check(f.reason.trim().length > 10, () => `${result.code}: failure ${f.code} has no readable reason`);
          }
        }
      }),
      { numRuns: 200 },
    );
    expect([...seen]).toEqual(
      expect.arrayContaining(['NOT_ELIGIBLE', 'COMPETENCE_MISSING', 'TEAM_FULL', 'STAFF_RULE_NOT_MET', 'RELATIVE_NOT_ALLOWED']),
    );
  });

  it('replaying the events of any run (also after a JSON round trip) yields the state built step by step', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { events, state } = run(s);
        check(isDeepStrictEqual(replay(teamDecider, events), state), () => 'replayed state differs from the state built step by step');
        const stored = JSON.parse(JSON.stringify(events)) as TeamEvent[];
        check(
          isDeepStrictEqual(replay(teamDecider, stored), JSON.parse(JSON.stringify(state))),
          () => 'state replayed from stored JSON differs',
        );
      }),
      { numRuns: 200 },
    );
  });
});
