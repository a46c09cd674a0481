import { validatePathway, type PathwayDefinition } from '../catalogue/pathway.js';
import { isDomainError } from '../shared/index.js';
import { courseDecider } from './course.decider.js';
import { command, run, type CommandInput } from './testing/course.fixtures.js';
import { nextStep, openItems } from './course.queries.js';

/** A small late-effects clinic (senfølgeklinik): its own programmes, roles, windows and rules, no code. */
const lateEffects: PathwayDefinition = {
  code: 'SENFOELGE_FORLOEB',
  version: 3,
  name: { da: 'Senfølgeforløb', en: 'Late-effects course' },
  timeZone: 'Europe/Copenhagen',
  windowPolicy: 'refuse',
  windowWarning: { value: 2, unit: 'days' },
  source: { careModel: 'test fixture: a second clinic' },
  referral: {
    requiredContent: [
      { code: 'CANCER_TREATMENT_SUMMARY', label: 'summary of the cancer treatment' },
      { code: 'CURRENT_SYMPTOMS', label: 'current late effects' },
    ],
    visitationWithin: { value: 5, unit: 'days' },
    criteriaSet: {
      code: 'SENFOELGE_KRITERIER',
      version: '1',
      criteria: [
        { code: 'TREATMENT_FINISHED', text: 'cancer treatment finished at least three months ago' },
        { code: 'LATE_EFFECTS', text: 'late effects that affect daily life' },
      ],
      source: { careModel: 'fixture' },
    },
    source: { careModel: 'fixture' },
  },
  exclusion: { assessedAt: 'INTAKE', reasons: [{ code: 'ACTIVE_CANCER', label: 'active cancer' }], source: { careModel: 'fixture' } },
  microteam: {
    roles: ['ONCOLOGIST', 'NURSE_COORDINATOR', 'OCCUPATIONAL_THERAPIST'],
    singleHolderRoles: ['NURSE_COORDINATOR'],
    initialCoordinator: 'SECRETARY',
    source: { careModel: 'fixture' },
  },
  steps: [
    {
      kind: 'intervention',
      code: 'INTAKE',
      intervention: 'INTAKE_TALK',
      name: { da: 'Indledende samtale', en: 'Intake talk' },
      requiresRoles: ['NURSE_COORDINATOR'],
      handsCoordinationTo: 'NURSE_COORDINATOR',
      source: { careModel: 'fixture' },
    },
    {
      kind: 'programme',
      code: 'SCHOOL',
      programme: 'SENFOELGESKOLE',
      name: { da: 'Senfølgeskole', en: 'Late-effects school' },
      window: {
        after: { kind: 'step', step: 'INTAKE', edge: 'end' },
        from: { value: 0, unit: 'days' },
        to: { value: 3, unit: 'weeks' },
        source: { careModel: 'fixture' },
      },
      source: { careModel: 'fixture' },
    },
    {
      kind: 'intervention',
      code: 'OT_ASSESSMENT',
      intervention: 'OT_ASSESSMENT',
      name: { da: 'Ergoterapeutisk vurdering', en: 'Occupational therapy assessment' },
      optional: true,
      after: ['INTAKE'],
      source: { careModel: 'fixture' },
    },
    {
      kind: 'choice',
      code: 'FATIGUE',
      options: ['ENERGY_GROUP', 'YOGA_GROUP'],
      chosenAt: 'SCHOOL',
      name: { da: 'Træthedshold', en: 'Fatigue group' },
      source: { careModel: 'fixture' },
    },
    {
      kind: 'intervention',
      code: 'FOLLOW_UP',
      intervention: 'FOLLOW_UP_TALK',
      name: { da: 'Opfølgning', en: 'Follow-up' },
      window: {
        after: { kind: 'step', step: 'FATIGUE', edge: 'end' },
        from: { value: 1, unit: 'weeks' },
        to: { value: 3, unit: 'weeks' },
        source: { careModel: 'fixture' },
      },
      source: { careModel: 'fixture' },
    },
    {
      kind: 'intervention',
      code: 'DISCHARGE',
      intervention: 'DISCHARGE_TALK',
      name: { da: 'Afslutning', en: 'Discharge talk' },
      final: true,
      requiresRoles: ['ONCOLOGIST'],
      window: {
        after: { kind: 'lastStep' },
        from: { value: 0, unit: 'days' },
        to: { value: 1, unit: 'months' },
        source: { careModel: 'fixture' },
      },
      source: { careModel: 'fixture' },
    },
  ],
};

const c = (input: CommandInput, now: string) => command(input, now, lateEffects);

const course = [
  c(
    {
      type: 'ReceiveReferral',
      courseId: 'le-1',
      patientId: 'p-11',
      receivedAt: '2025-01-06T08:00:00+01:00',
      referrer: { kind: 'HOSPITAL', id: 'ONK-OUH' },
      content: { CANCER_TREATMENT_SUMMARY: 'breast cancer, treated 2023' },
    },
    '2025-01-06T08:00:00+01:00',
  ),
  c({ type: 'CompleteReferral', content: { CURRENT_SYMPTOMS: 'fatigue, neuropathy' } }, '2025-01-08T08:00:00+01:00'),
  c(
    { type: 'DecideVisitation', decision: 'accept', assessment: { TREATMENT_FINISHED: true, LATE_EFFECTS: true } },
    '2025-01-10T08:00:00+01:00',
  ),
  c({ type: 'AssignMicroteamMember', clinicianId: 'rn-4', role: 'NURSE_COORDINATOR' }, '2025-01-10T09:00:00+01:00'),
  c({ type: 'CompleteStep', stepCode: 'INTAKE', completedAt: '2025-01-13T10:00:00+01:00' }, '2025-01-13T11:00:00+01:00'),
  c({ type: 'RecordSeatBooked', teamId: 'school-1', programme: 'SENFOELGESKOLE' }, '2025-01-13T11:05:00+01:00'),
  c(
    { type: 'ScheduleStep', stepCode: 'SCHOOL', teamId: 'school-1', at: '2025-01-20T09:00:00+01:00', endsAt: '2025-01-27T12:00:00+01:00' },
    '2025-01-13T11:06:00+01:00',
  ),
  c({ type: 'AddAddOn', stepCode: 'OT_ASSESSMENT', reason: 'Hand function.' }, '2025-01-13T11:07:00+01:00'),
  c({ type: 'CompleteStep', stepCode: 'OT_ASSESSMENT', completedAt: '2025-01-15T10:00:00+01:00' }, '2025-01-15T11:00:00+01:00'),
  c({ type: 'ChooseOption', stepCode: 'FATIGUE', option: 'YOGA_GROUP' }, '2025-01-21T09:00:00+01:00'),
  c({ type: 'CompleteStep', stepCode: 'SCHOOL', completedAt: '2025-01-27T12:00:00+01:00' }, '2025-01-27T13:00:00+01:00'),
  c({ type: 'RecordSeatBooked', teamId: 'yoga-2', programme: 'YOGA_GROUP' }, '2025-01-27T13:05:00+01:00'),
  c({ type: 'CompleteStep', stepCode: 'FATIGUE', completedAt: '2025-03-03T12:00:00+01:00' }, '2025-03-03T13:00:00+01:00'),
];

describe('a second clinic defines its own pathway and runs it through the same course decider (care-model §3: the pathway is data)', () => {
  it('is a valid pathway', () => {
    expect(validatePathway(lateEffects)).toEqual([]);
  });

  it('uses its own referral content, deadline, criteria, roles, hand-over, programmes and choice', () => {
    const { events, state } = run(course);
    expect(events.find((e) => e.type === 'ReferralPutOnHold')?.data).toMatchObject({ missing: [{ code: 'CURRENT_SYMPTOMS' }] });
    expect(events.find((e) => e.type === 'ReferralReceived')?.data).toMatchObject({ visitationDueBy: '2025-01-11T08:00:00+01:00' });
    expect(state.coordinator).toEqual({ role: 'NURSE_COORDINATOR', clinicianId: 'rn-4' });
    expect(state.facts.programmesCompleted).toEqual(['SENFOELGESKOLE', 'YOGA_GROUP']);
    expect(nextStep(state, lateEffects)).toMatchObject({ stepCode: 'FOLLOW_UP', window: { from: '2025-03-10', to: '2025-03-24' } });
    expect(openItems(state, '2025-03-23T09:00:00+01:00', lateEffects)).toMatchObject([
      { code: 'STEP_WINDOW_CLOSING', stepCode: 'FOLLOW_UP' },
    ]);
  });

  it('applies its own window policy (refuse) and its own roles and exclusion reasons', () => {
    const { state } = run(course);
    const late = courseDecider.decide(
      c({ type: 'ScheduleStep', stepCode: 'FOLLOW_UP', at: '2025-04-01T10:00:00+02:00' }, '2025-03-04T09:00:00+01:00'),
      state,
    );
    expect(isDomainError(late) && late.code).toBe('OUTSIDE_WINDOW');
    const pal = courseDecider.decide(
      c({ type: 'AssignMicroteamMember', clinicianId: 'doc-1', role: 'PAL' }, '2025-03-04T09:00:00+01:00'),
      state,
    );
    expect(isDomainError(pal) && pal.code).toBe('UNKNOWN_ROLE');
    const excluded = courseDecider.decide(
      c({ type: 'EndCourse', reason: 'excluded', exclusionCode: 'ACTIVE_CANCER', note: 'Relapse found.' }, '2025-03-04T09:00:00+01:00'),
      state,
    );
    expect(isDomainError(excluded)).toBe(false);
  });

  it('runs to completion', () => {
    const { state } = run([
      ...course,
      c({ type: 'CompleteStep', stepCode: 'FOLLOW_UP', completedAt: '2025-03-12T10:00:00+01:00' }, '2025-03-12T11:00:00+01:00'),
      c({ type: 'AssignMicroteamMember', clinicianId: 'onc-1', role: 'ONCOLOGIST' }, '2025-03-12T11:05:00+01:00'),
      c({ type: 'CompleteStep', stepCode: 'DISCHARGE', completedAt: '2025-04-02T10:00:00+02:00' }, '2025-04-02T11:00:00+02:00'),
      c({ type: 'EndCourse', reason: 'completed', note: 'Discharged to GP.' }, '2025-04-02T11:05:00+02:00'),
    ]);
    expect(state.status).toBe('ended');
    expect(state.completed).toEqual(['INTAKE', 'OT_ASSESSMENT', 'SCHOOL', 'FATIGUE', 'FOLLOW_UP', 'DISCHARGE']);
  });
});
