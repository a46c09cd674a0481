import fc from 'fast-check';
import { present } from '../shared/testing/index.js';
import { progressOf } from './course.rules.js';
import { standardPathway } from '../catalogue/default-pathway.js';
import { prerequisitesOf, programmesOf, type PathwayDefinition } from '../catalogue/pathway.js';
import { isDomainError, replay, type DomainError } from '../shared/index.js';
import type { CourseCommand } from './course.commands.js';
import { courseDecider } from './course.decider.js';
import { COURSE_END_REASONS, type CourseEvent } from './course.events.js';
import { ALL_CRITERIA_MET, command, FULL_REFERRAL_CONTENT, type CommandInput } from './testing/course.fixtures.js';
import { nextStep } from './course.queries.js';
import type { CourseState } from './course.state.js';

const pathway: PathwayDefinition = standardPathway;
const HOUR = 3_600_000;
const START = Date.parse('2024-03-04T08:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const STEP_CODES = pathway.steps.map((s) => s.code);
const PROGRAMMES = [...new Set(pathway.steps.flatMap(programmesOf)), 'PILATES'];
const ROLES = [...pathway.microteam.roles, 'JANITOR'];
const CLINICIANS = ['c-1', 'c-2', 'c-3'];
const TEAMS = ['A', 'B'];
const FACTS = ['needsInterpreter', 'inOpioidTreatment', 'motivatedFor', 'chosenStressReduction', 'unknownThing'];
const CONTENT_CODES = pathway.referral.requiredContent.map((i) => i.code);

type Intent =
  | { kind: 'advance'; hours: number; option: number }
  | { kind: 'referral'; drop: number[] }
  | { kind: 'completeReferral'; all: boolean }
  | { kind: 'visitation'; accept: boolean; spoil: number }
  | { kind: 'fact'; fact: number; value: boolean }
  | { kind: 'addOn'; step: number }
  | { kind: 'schedule'; step: number; offsetHours: number; team: number }
  | { kind: 'complete'; step: number; team: number }
  | { kind: 'skip'; step: number }
  | { kind: 'choose'; option: number }
  | { kind: 'assign'; clinician: number; role: number }
  | { kind: 'remove'; clinician: number; role: number }
  | { kind: 'seat'; programme: number; team: number }
  | { kind: 'release'; programme: number; team: number }
  | { kind: 'waitlist'; programme: number; team: number }
  | { kind: 'leave'; programme: number; team: number }
  | { kind: 'end'; reason: number };

const i = (max: number) => fc.nat({ max });
const intentArb: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 14, arbitrary: fc.record({ kind: fc.constant('advance' as const), hours: i(72), option: i(1) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('referral' as const), drop: fc.array(i(CONTENT_CODES.length - 1), { maxLength: 3 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('completeReferral' as const), all: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('visitation' as const), accept: fc.boolean(), spoil: i(6) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fact' as const), fact: i(FACTS.length - 1), value: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('addOn' as const), step: i(STEP_CODES.length - 1) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('schedule' as const),
      step: i(STEP_CODES.length - 1),
      offsetHours: fc.integer({ min: -48, max: 500 }),
      team: i(1),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('complete' as const), step: i(STEP_CODES.length - 1), team: i(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('skip' as const), step: i(STEP_CODES.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('choose' as const), option: i(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('assign' as const), clinician: i(2), role: i(ROLES.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), clinician: i(2), role: i(ROLES.length - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('seat' as const), programme: i(PROGRAMMES.length - 1), team: i(1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), programme: i(PROGRAMMES.length - 1), team: i(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('waitlist' as const), programme: i(PROGRAMMES.length - 1), team: i(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave' as const), programme: i(PROGRAMMES.length - 1), team: i(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('end' as const), reason: i(COURSE_END_REASONS.length - 1) }) },
);
const sequenceArb = fc.array(intentArb, { minLength: 1, maxLength: 90, size: 'max' });

const team = (programme: string, n: number) => `${programme.toLowerCase()}-${TEAMS[n]}`;

/** the commands a diligent secretary would issue next to move the course along */
function advance(state: CourseState, clock: number, option: number): { commands: CommandInput[]; clock: number } {
  const refer = (): CommandInput => ({
    type: 'ReceiveReferral',
    courseId: 'c-prop',
    patientId: 'p-prop',
    receivedAt: iso(clock),
    referrer: { kind: 'GP', id: 'GP-1' },
    content: FULL_REFERRAL_CONTENT,
  });
  switch (state.status) {
    case 'none':
      return { commands: [refer()], clock };
    case 'on_hold':
      return {
        commands: [{ type: 'CompleteReferral', content: Object.fromEntries(state.referral.missing.map((m) => [m, 'sent'])) }],
        clock,
      };
    case 'awaiting_visitation':
      return { commands: [{ type: 'DecideVisitation', decision: 'accept', assessment: ALL_CRITERIA_MET }], clock };
    case 'ended':
      return { commands: [{ type: 'AddAddOn', stepCode: 'HA', reason: 'after the end' }], clock };
    case 'active':
      break;
  }
  const final = present(pathway.steps.find((s) => s.final));
  if (progressOf(state, final.code)?.status === 'completed')
    return { commands: [{ type: 'EndCourse', reason: 'completed', note: 'done' }], clock };
  const booked = pathway.steps.find((s) => progressOf(state, s.code)?.status === 'scheduled');
  if (booked) {
    const p = present(progressOf(state, booked.code));
    const end = Date.parse(present(p.endsAt ?? p.at));
    const at = Math.max(clock, end);
    return { commands: [{ type: 'CompleteStep', stepCode: booked.code, completedAt: iso(end) }], clock: at + HOUR };
  }
  const next = nextStep(state, pathway);
  if (!next) return { commands: [], clock };
  const commands: CommandInput[] = [];
  let now = clock;
  if (next.needsChoice && next.step.kind === 'choice') {
    const at = progressOf(state, next.step.chosenAt);
    if (at?.at) now = Math.max(now, Date.parse(at.at));
    commands.push({ type: 'ChooseOption', stepCode: next.stepCode, option: next.step.options[option % next.step.options.length] });
  }
  for (const role of next.step.requiresRoles ?? []) {
    if (!state.microteam.some((m) => m.role === role))
      commands.push({ type: 'AssignMicroteamMember', clinicianId: `${role.toLowerCase()}-1`, role });
  }
  const programme = next.programme ?? (next.step.kind === 'choice' ? next.step.options[option % next.step.options.length] : undefined);
  if (programme && !state.seats.some((s) => s.programme === programme))
    commands.push({ type: 'RecordSeatBooked', teamId: team(programme, 0), programme });
  const at = now + 8 * 24 * HOUR;
  commands.push({ type: 'ScheduleStep', stepCode: next.stepCode, at: iso(at), endsAt: iso(at + 2 * HOUR) });
  return { commands, clock: now };
}

function concrete(intent: Intent, state: CourseState, clock: number): { commands: CommandInput[]; clock: number } {
  switch (intent.kind) {
    case 'advance':
      return advance(state, clock + intent.hours * HOUR, intent.option);
    case 'referral': {
      const content = Object.fromEntries(
        Object.entries(FULL_REFERRAL_CONTENT).filter(([k]) => !intent.drop.some((d) => CONTENT_CODES[d] === k)),
      );
      return {
        commands: [
          {
            type: 'ReceiveReferral',
            courseId: 'c-prop',
            patientId: 'p-prop',
            receivedAt: iso(clock),
            referrer: { kind: 'GP', id: 'GP-1' },
            content,
          },
        ],
        clock,
      };
    }
    case 'completeReferral': {
      const missing = state.referral?.missing ?? [];
      const supply = intent.all ? missing : missing.slice(0, 1);
      return { commands: [{ type: 'CompleteReferral', content: Object.fromEntries(supply.map((m) => [m, 'sent'])) }], clock };
    }
    case 'visitation': {
      const criteria = pathway.referral.criteriaSet.criteria;
      const assessment = { ...ALL_CRITERIA_MET, ...(intent.spoil < criteria.length ? { [criteria[intent.spoil].code]: false } : {}) };
      return {
        commands: [
          intent.accept
            ? { type: 'DecideVisitation', decision: 'accept', assessment }
            : { type: 'DecideVisitation', decision: 'reject', assessment, reason: 'not suitable', planForGp: 'physiotherapy' },
        ],
        clock,
      };
    }
    case 'fact': {
      const fact = FACTS[intent.fact];
      return {
        commands: [
          {
            type: 'RecordPatientFact',
            fact,
            ...(fact === 'motivatedFor' ? { key: 'MBSR' } : {}),
            value: intent.value,
            basis: { source: 'CONSULTATION' },
          },
        ],
        clock,
      };
    }
    case 'addOn':
      return { commands: [{ type: 'AddAddOn', stepCode: STEP_CODES[intent.step], reason: 'needed' }], clock };
    case 'schedule': {
      const stepCode = STEP_CODES[intent.step];
      const at = clock + intent.offsetHours * HOUR;
      const programme = programmesOf(pathway.steps[intent.step])[0];
      return {
        commands: [{ type: 'ScheduleStep', stepCode, at: iso(at), ...(programme ? { teamId: team(programme, intent.team) } : {}) }],
        clock,
      };
    }
    case 'complete':
      return { commands: [{ type: 'CompleteStep', stepCode: STEP_CODES[intent.step] }], clock };
    case 'skip':
      return { commands: [{ type: 'SkipStep', stepCode: STEP_CODES[intent.step], reason: 'not relevant' }], clock };
    case 'choose':
      return {
        commands: [{ type: 'ChooseOption', stepCode: 'STRESS_REDUCTION', option: ['AFSPAENDING', 'MBSR', 'YOGA'][intent.option] }],
        clock,
      };
    case 'assign':
      return { commands: [{ type: 'AssignMicroteamMember', clinicianId: CLINICIANS[intent.clinician], role: ROLES[intent.role] }], clock };
    case 'remove': {
      const member = state.microteam.at(intent.clinician);
      return {
        commands: [
          {
            type: 'RemoveMicroteamMember',
            clinicianId: member?.clinicianId ?? CLINICIANS[intent.clinician],
            role: member?.role ?? ROLES[intent.role],
          },
        ],
        clock,
      };
    }
    case 'seat':
    case 'release':
    case 'waitlist':
    case 'leave': {
      const programme = PROGRAMMES[intent.programme];
      const type = {
        seat: 'RecordSeatBooked',
        release: 'RecordSeatReleased',
        waitlist: 'RecordWaitlisted',
        leave: 'RecordLeftWaitlist',
      } as const;
      return { commands: [{ type: type[intent.kind], teamId: team(programme, intent.team), programme }], clock };
    }
    case 'end': {
      const reason = COURSE_END_REASONS[intent.reason];
      return {
        commands: [
          { type: 'EndCourse', reason, note: 'ended', ...(reason === 'excluded' ? { exclusionCode: 'ACTIVE_SUBSTANCE_ABUSE' } : {}) },
        ],
        clock,
      };
    }
  }
}

interface Trace {
  readonly events: CourseEvent[];
  /** the state after each accepted command, evolved step by step */
  readonly states: CourseState[];
  readonly decisions: { readonly command: CourseCommand; readonly before: CourseState; readonly result: CourseEvent[] | DomainError }[];
}

function simulate(intents: readonly Intent[]): Trace {
  let state = courseDecider.initialState();
  let clock = START;
  const events: CourseEvent[] = [];
  const states: CourseState[] = [];
  const decisions: Trace['decisions'][number][] = [];
  for (const intent of intents) {
    const next = concrete(intent, state, clock);
    clock = Math.max(clock, next.clock);
    for (const input of next.commands) {
      clock += 60_000;
      const cmd = command(input, iso(clock), pathway);
      const before = state;
      const result = courseDecider.decide(cmd, state);
      decisions.push({ command: cmd, before, result });
      if (isDomainError(result)) continue;
      for (const e of result) state = courseDecider.evolve(state, e);
      events.push(...result);
      states.push(state);
    }
  }
  return { events, states, decisions };
}

const RUNS = { numRuns: 300 };

describe('course decider properties (random command sequences)', () => {
  it('the random sequences reach deep into the course (guards the generator)', () => {
    const traces = fc.sample(sequenceArb, { numRuns: 300, seed: 42 }).map(simulate);
    const reachedEnd = traces.filter((t) => t.events.some((e) => e.type === 'CourseEnded')).length;
    const reachedConference = traces.filter((t) =>
      t.events.some((e) => e.type === 'StepCompleted' && e.data.stepCode === 'CONFERENCE'),
    ).length;
    expect(reachedEnd).toBeGreaterThan(30);
    expect(reachedConference).toBeGreaterThan(15);
  });

  it('replaying the events (also after a JSON round trip through the store) gives the same state as step-by-step', () => {
    fc.assert(
      fc.property(sequenceArb, (intents) => {
        const { events, states } = simulate(intents);
        const last = states.at(-1) ?? courseDecider.initialState();
        expect(replay(courseDecider, events)).toEqual(last);
        expect(replay(courseDecider, JSON.parse(JSON.stringify(events)) as CourseEvent[])).toStrictEqual(JSON.parse(JSON.stringify(last)));
      }),
      RUNS,
    );
  });

  it('steps are only ever completed in pathway order (care-model §3)', () => {
    fc.assert(
      fc.property(sequenceArb, (intents) => {
        const { events } = simulate(intents);
        const done = new Map<string, number>();
        const addOns = new Set<string>();
        for (const e of events) {
          if (e.type === 'AddOnAdded') addOns.add(e.data.stepCode);
          if (e.type === 'StepSkipped') done.set(e.data.stepCode, -Infinity);
          if (e.type !== 'StepCompleted') continue;
          const step = present(pathway.steps.find((s) => s.code === e.data.stepCode));
          const required = [...prerequisitesOf(pathway, step.code), ...(step.final ? [...addOns] : [])];
          for (const p of required) {
            expect(done.has(p)).toBe(true);
            expect(present(done.get(p))).toBeLessThanOrEqual(Date.parse(e.data.completedAt));
          }
          expect(step.optional ? addOns.has(step.code) : true).toBe(true);
          done.set(step.code, Date.parse(e.data.completedAt));
        }
      }),
      RUNS,
    );
  });

  it('an ended course accepts no further change (care-model §3)', () => {
    fc.assert(
      fc.property(sequenceArb, (intents) => {
        const { events, decisions } = simulate(intents);
        const endAt = events.findIndex((e) => e.type === 'CourseEnded');
        if (endAt >= 0) expect(endAt).toBe(events.length - 1);
        for (const d of decisions.filter((x) => x.before.status === 'ended')) {
          expect(isDomainError(d.result) && d.result.code).toBe('COURSE_ENDED');
        }
      }),
      RUNS,
    );
  });

  it('a course never holds two seats of one programme (care-model §1)', () => {
    fc.assert(
      fc.property(sequenceArb, (intents) => {
        const { states, events } = simulate(intents);
        for (const s of states) {
          const programmes = s.seats.map((x) => x.programme);
          expect(new Set(programmes).size).toBe(programmes.length);
        }
        // the same, recomputed from the events alone
        const held = new Map<string, string>();
        for (const e of events) {
          if (e.type === 'CourseSeatBooked') {
            expect(held.has(e.data.programme)).toBe(false);
            held.set(e.data.programme, e.data.teamId);
          }
          if (e.type === 'CourseSeatReleased') held.delete(e.data.programme);
          if (e.type === 'StepCompleted' && e.data.programme) held.delete(e.data.programme);
          if (e.type === 'CourseEnded') held.clear();
        }
      }),
      RUNS,
    );
  });

  it('every refusal has a stable code and a readable sentence', () => {
    fc.assert(
      fc.property(sequenceArb, (intents) => {
        for (const d of simulate(intents).decisions) {
          if (!isDomainError(d.result)) continue;
          expect(d.result.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
          expect(d.result.message).toMatch(/^[A-Z"].{15,}\.$/);
        }
      }),
      RUNS,
    );
  });
});
