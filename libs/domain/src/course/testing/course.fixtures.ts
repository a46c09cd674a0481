import { standardPathway } from '../../catalogue/default-pathway.js';
import type { PathwayDefinition } from '../../catalogue/pathway.js';
import { isDomainError, replay } from '../../shared/index.js';
import type { CourseCommand } from '../course.commands.js';
import { courseDecider } from '../course.decider.js';
import type { CourseEvent } from '../course.events.js';
import type { CourseState } from '../course.state.js';

/** Test fixtures for the course decider (used by the specs; no test-framework imports here). */

type WithoutBase<C> = C extends CourseCommand ? Omit<C, 'now' | 'pathway'> : never;
export type CommandInput = WithoutBase<CourseCommand>;

export const FULL_REFERRAL_CONTENT = {
  CURRENT_MEDICATION: 'paracetamol, tramadol',
  PREVIOUS_MEDICATION: 'gabapentin (stopped: dizziness)',
  PSYCHOLOGICAL_FACTORS: 'low mood, avoidance',
  SLEEP_AND_ACTIVITY: 'sleeps 4-5 hours, walks 10 minutes a day',
  EMPLOYMENT_STATUS: 'sick-listed since August',
  INCOME_SETTLED: 'sickness benefit, not settled long term',
  PENDING_COMPENSATION_CASES: 'none',
};

export const ALL_CRITERIA_MET = Object.fromEntries(standardPathway.referral.criteriaSet.criteria.map((c) => [c.code, true]));

export function command(input: CommandInput, now: string, pathway: PathwayDefinition = standardPathway): CourseCommand {
  return { ...input, now, pathway };
}

export function receiveReferral(
  now: string,
  content: Record<string, string> = FULL_REFERRAL_CONTENT,
  pathway = standardPathway,
): CourseCommand {
  return command(
    {
      type: 'ReceiveReferral',
      courseId: 'course-1',
      patientId: 'p-7f3a',
      receivedAt: now,
      referrer: { kind: 'GP', id: 'GP-0421' },
      content,
    },
    now,
    pathway,
  );
}

/** applies commands one by one; throws (naming the command) on the first refusal */
export function run(commands: readonly CourseCommand[], from: readonly CourseEvent[] = []): { events: CourseEvent[]; state: CourseState } {
  const events = [...from];
  let state = replay(courseDecider, events);
  for (const c of commands) {
    const result = courseDecider.decide(c, state);
    if (isDomainError(result)) throw new Error(`${c.type} refused: ${result.code} ${result.message}`);
    for (const e of result) state = courseDecider.evolve(state, e);
    events.push(...result);
  }
  return { events, state };
}

/**
 * The standard course of the pain centre, step by step, with times a secretary would book
 * (2024; the clocks go to summer time on 31 March). Each entry is labelled so a test can stop after it.
 */
export const happyPath: readonly (readonly [string, CourseCommand])[] = [
  ['referral', receiveReferral('2024-03-04T09:00:00+01:00')],
  ['accept', command({ type: 'DecideVisitation', decision: 'accept', assessment: ALL_CRITERIA_MET }, '2024-03-05T10:00:00+01:00')],
  [
    'book kort',
    command({ type: 'ScheduleStep', stepCode: 'KORT_PRIMAERSAMTALE', at: '2024-03-11T10:00:00+01:00' }, '2024-03-05T11:00:00+01:00'),
  ],
  [
    'kort',
    command(
      { type: 'CompleteStep', stepCode: 'KORT_PRIMAERSAMTALE', completedAt: '2024-03-11T10:15:00+01:00' },
      '2024-03-11T10:20:00+01:00',
    ),
  ],
  ['seat fs', command({ type: 'RecordSeatBooked', teamId: 'fs-1', programme: 'FORSTAA_SMERTE' }, '2024-03-11T11:00:00+01:00')],
  [
    'book fs',
    command(
      {
        type: 'ScheduleStep',
        stepCode: 'FORSTAA_SMERTE',
        teamId: 'fs-1',
        at: '2024-03-18T13:00:00+01:00',
        endsAt: '2024-03-18T14:30:00+01:00',
      },
      '2024-03-11T11:01:00+01:00',
    ),
  ],
  [
    'fs',
    command({ type: 'CompleteStep', stepCode: 'FORSTAA_SMERTE', completedAt: '2024-03-18T14:30:00+01:00' }, '2024-03-18T15:00:00+01:00'),
  ],
  ['pal', command({ type: 'AssignMicroteamMember', clinicianId: 'doc-1', role: 'PAL' }, '2024-03-18T15:10:00+01:00')],
  ['nurse', command({ type: 'AssignMicroteamMember', clinicianId: 'nurse-1', role: 'CONTACT_NURSE' }, '2024-03-18T15:11:00+01:00')],
  [
    'book lang',
    command({ type: 'ScheduleStep', stepCode: 'LANG_PRIMAERSAMTALE', at: '2024-03-27T09:00:00+01:00' }, '2024-03-19T09:00:00+01:00'),
  ],
  [
    'lang',
    command(
      { type: 'CompleteStep', stepCode: 'LANG_PRIMAERSAMTALE', completedAt: '2024-03-27T11:30:00+01:00' },
      '2024-03-27T12:00:00+01:00',
    ),
  ],
  ['seat lms', command({ type: 'RecordSeatBooked', teamId: 'lms-1', programme: 'LIVET_MED_SMERTER' }, '2024-03-27T12:10:00+01:00')],
  [
    'book lms',
    command(
      {
        type: 'ScheduleStep',
        stepCode: 'LIVET_MED_SMERTER',
        teamId: 'lms-1',
        at: '2024-04-03T13:00:00+02:00',
        endsAt: '2024-04-24T15:00:00+02:00',
      },
      '2024-03-27T12:11:00+01:00',
    ),
  ],
  [
    'lms',
    command({ type: 'CompleteStep', stepCode: 'LIVET_MED_SMERTER', completedAt: '2024-04-24T15:00:00+02:00' }, '2024-04-24T15:30:00+02:00'),
  ],
  [
    'book nf1',
    command({ type: 'ScheduleStep', stepCode: 'NURSE_FOLLOWUP_1', at: '2024-05-02T10:00:00+02:00' }, '2024-04-25T09:00:00+02:00'),
  ],
  ['choose', command({ type: 'ChooseOption', stepCode: 'STRESS_REDUCTION', option: 'MBSR' }, '2024-05-02T10:30:00+02:00')],
  [
    'nf1',
    command({ type: 'CompleteStep', stepCode: 'NURSE_FOLLOWUP_1', completedAt: '2024-05-02T10:45:00+02:00' }, '2024-05-02T10:50:00+02:00'),
  ],
  ['seat mbsr', command({ type: 'RecordSeatBooked', teamId: 'mbsr-1', programme: 'MBSR' }, '2024-05-02T11:00:00+02:00')],
  [
    'book stress',
    command(
      {
        type: 'ScheduleStep',
        stepCode: 'STRESS_REDUCTION',
        teamId: 'mbsr-1',
        at: '2024-05-13T09:00:00+02:00',
        endsAt: '2024-07-08T11:30:00+02:00',
      },
      '2024-05-02T11:01:00+02:00',
    ),
  ],
  [
    'stress',
    command({ type: 'CompleteStep', stepCode: 'STRESS_REDUCTION', completedAt: '2024-07-08T11:30:00+02:00' }, '2024-07-08T12:00:00+02:00'),
  ],
  [
    'book nf2',
    command({ type: 'ScheduleStep', stepCode: 'NURSE_FOLLOWUP_2', at: '2024-07-16T10:00:00+02:00' }, '2024-07-08T12:10:00+02:00'),
  ],
  [
    'nf2',
    command({ type: 'CompleteStep', stepCode: 'NURSE_FOLLOWUP_2', completedAt: '2024-07-16T10:45:00+02:00' }, '2024-07-16T11:00:00+02:00'),
  ],
  [
    'book conference',
    command({ type: 'ScheduleStep', stepCode: 'CONFERENCE', at: '2024-07-24T09:00:00+02:00' }, '2024-07-16T11:10:00+02:00'),
  ],
  [
    'conference',
    command({ type: 'CompleteStep', stepCode: 'CONFERENCE', completedAt: '2024-07-24T11:30:00+02:00' }, '2024-07-24T12:00:00+02:00'),
  ],
  [
    'book closing',
    command({ type: 'ScheduleStep', stepCode: 'CLOSING_TALK', at: '2024-08-14T10:00:00+02:00' }, '2024-07-24T12:10:00+02:00'),
  ],
  [
    'closing',
    command({ type: 'CompleteStep', stepCode: 'CLOSING_TALK', completedAt: '2024-08-14T10:30:00+02:00' }, '2024-08-14T11:00:00+02:00'),
  ],
  [
    'end',
    command(
      { type: 'EndCourse', reason: 'completed', note: 'Standard course completed; discharge letter sent.' },
      '2024-08-14T11:30:00+02:00',
    ),
  ],
];

/** the events of the happy path up to and including the entry labelled `label` */
export function courseAfter(label: string): { events: CourseEvent[]; state: CourseState } {
  const index = happyPath.findIndex(([l]) => l === label);
  if (index < 0) throw new Error(`no happy-path step "${label}"`);
  return run(happyPath.slice(0, index + 1).map(([, c]) => c));
}
