import { standardPathway } from '../catalogue/default-pathway.js';
import type { PathwayDefinition } from '../catalogue/pathway.js';
import { isDomainError, replay, type DomainError } from '../shared/index.js';
import { given as givenShared, present } from '../shared/testing/index.js';
import type { CourseCommand } from './course.commands.js';
import { courseDecider } from './course.decider.js';
import type { CourseEvent } from './course.events.js';
import {
  ALL_CRITERIA_MET,
  command,
  courseAfter,
  FULL_REFERRAL_CONTENT,
  happyPath,
  receiveReferral,
  run,
  type CommandInput,
} from './testing/course.fixtures.js';
import { currentStep, nextStep, openItems, visitationOverdue, waitingTimes } from './course.queries.js';

// ---------------------------------------------------------------- given / when / then

/** the shared given/when over the course decider, returning the raw result for `refused` / `accepted` */
const given = (events: readonly CourseEvent[]) => ({ when: (c: CourseCommand) => givenShared(courseDecider, events).when(c).result });

const eventsAfter = (label: string) => courseAfter(label).events;
const stateAfter = (label: string) => courseAfter(label).state;

/** a refusal with this code and a sentence a secretary can read: no internal codes, ends with a full stop */
function refused(result: CourseEvent[] | DomainError, code: string): DomainError {
  if (!isDomainError(result)) throw new Error(`expected ${code}, got events ${result.map((e) => e.type).join(', ')}`);
  expect(result.code).toBe(code);
  expect(result.message).toMatch(/^[A-Z"].{15,}\.$/);
  expect(result.message).not.toMatch(/\b[A-Z]{2,}_[A-Z_]+\b/);
  return result;
}

function accepted(result: CourseEvent[] | DomainError): CourseEvent[] {
  if (isDomainError(result)) throw new Error(`refused: ${result.code} ${result.message}`);
  return result;
}

const types = (events: readonly CourseEvent[]) => events.map((e) => e.type);
type DataOf<T extends CourseEvent['type']> = Extract<CourseEvent, { type: T }>['data'];
function dataOf<T extends CourseEvent['type']>(events: readonly CourseEvent[], type: T): DataOf<T> {
  const found = events.find((e) => e.type === type);
  if (!found) throw new Error(`no ${type} among ${types(events).join(', ')}`);
  return found.data as unknown as DataOf<T>;
}

const at = (input: CommandInput, now: string, pathway?: PathwayDefinition) => command(input, now, pathway);

const RECEIVED = '2024-03-04T09:00:00+01:00';
const PARTIAL_CONTENT = { ...FULL_REFERRAL_CONTENT, INCOME_SETTLED: '', PENDING_COMPENSATION_CASES: '   ' } as Record<string, string>;
delete PARTIAL_CONTENT.PREVIOUS_MEDICATION;

// ---------------------------------------------------------------- §6 referral and visitation

describe('referral (care-model §6)', () => {
  it('a referral missing required content waits on hold with the list of what is missing (care-model §6, seed 003 l.1633–1640)', () => {
    const events = accepted(given([]).when(receiveReferral(RECEIVED, PARTIAL_CONTENT)));
    expect(types(events)).toEqual(['ReferralReceived', 'ReferralPutOnHold']);
    expect(dataOf(events, 'ReferralPutOnHold').missing.map((m) => m.code)).toEqual([
      'PREVIOUS_MEDICATION',
      'INCOME_SETTLED',
      'PENDING_COMPENSATION_CASES',
    ]);
    expect(replay(courseDecider, events).status).toBe('on_hold');
  });

  it('a referral carrying every §6 item is not put on hold (care-model §6)', () => {
    const events = accepted(given([]).when(receiveReferral(RECEIVED)));
    expect(types(events)).toEqual(['ReferralReceived']);
    expect(replay(courseDecider, events).status).toBe('awaiting_visitation');
  });

  it('CompleteReferral adds what the referrer sends; the hold is released only when nothing is missing (care-model §6, seed 003 l.1651–1652)', () => {
    const held = run([receiveReferral(RECEIVED, PARTIAL_CONTENT)]).events;
    const partly = accepted(
      given(held).when(at({ type: 'CompleteReferral', content: { INCOME_SETTLED: 'flex job' } }, '2024-03-04T13:00:00+01:00')),
    );
    expect(types(partly)).toEqual(['ReferralSupplemented']);
    expect(dataOf(partly, 'ReferralSupplemented').stillMissing).toEqual(['PREVIOUS_MEDICATION', 'PENDING_COMPENSATION_CASES']);
    const rest = accepted(
      given([...held, ...partly]).when(
        at(
          { type: 'CompleteReferral', content: { PREVIOUS_MEDICATION: 'none', PENDING_COMPENSATION_CASES: 'none' } },
          '2024-03-04T15:00:00+01:00',
        ),
      ),
    );
    expect(types(rest)).toEqual(['ReferralSupplemented', 'ReferralHoldReleased']);
    expect(replay(courseDecider, [...held, ...partly, ...rest]).status).toBe('awaiting_visitation');
  });

  it('CompleteReferral that supplies none of the missing items is refused, and is refused when nothing is on hold (care-model §6)', () => {
    const held = run([receiveReferral(RECEIVED, PARTIAL_CONTENT)]).events;
    refused(given(held).when(at({ type: 'CompleteReferral', content: { SLEEP_AND_ACTIVITY: 'better' } }, RECEIVED)), 'NOTHING_ADDED');
    refused(
      given(eventsAfter('referral')).when(at({ type: 'CompleteReferral', content: { INCOME_SETTLED: 'x' } }, RECEIVED)),
      'REFERRAL_NOT_ON_HOLD',
    );
  });

  it('paper visitation is due within 48 h of receipt and the clock is never reset (care-model §6, seed 004 l.549)', () => {
    const held = run([receiveReferral(RECEIVED, PARTIAL_CONTENT)]).events;
    const dueBy = dataOf(held, 'ReferralReceived').visitationDueBy;
    expect(Date.parse(dueBy) - Date.parse(RECEIVED)).toBe(48 * 3600_000);
    const released = run(
      [
        at(
          { type: 'CompleteReferral', content: { PREVIOUS_MEDICATION: 'none', INCOME_SETTLED: 'yes', PENDING_COMPENSATION_CASES: 'none' } },
          '2024-03-06T10:00:00+01:00',
        ),
      ],
      held,
    );
    expect(dataOf(released.events, 'ReferralHoldReleased')).toMatchObject({ visitationDueBy: dueBy, visitationOverdue: true });
    expect(present(released.state.referral).visitationDueBy).toBe(dueBy);
    expect(visitationOverdue(released.state, '2024-03-06T10:00:00+01:00')).toBe(true);
    const decided = accepted(
      given(released.events).when(
        at({ type: 'DecideVisitation', decision: 'accept', assessment: ALL_CRITERIA_MET }, '2024-03-06T11:00:00+01:00'),
      ),
    );
    expect(dataOf(decided, 'VisitationDecided')).toMatchObject({ withinDeadline: false, visitationDueBy: dueBy });
  });

  it('visitationOverdue is false within 48 h and once visitation is decided (care-model §6, seed 004 l.549)', () => {
    const { state } = courseAfter('referral');
    expect(visitationOverdue(state, '2024-03-06T08:59:00+01:00')).toBe(false);
    expect(visitationOverdue(state, '2024-03-06T09:01:00+01:00')).toBe(true);
    expect(visitationOverdue(stateAfter('accept'), '2024-03-10T09:00:00+01:00')).toBe(false);
    expect(dataOf(eventsAfter('accept'), 'VisitationDecided').withinDeadline).toBe(true);
  });

  it('paper visitation is refused while the referral is on hold (care-model §6)', () => {
    const held = run([receiveReferral(RECEIVED, PARTIAL_CONTENT)]).events;
    refused(
      given(held).when(at({ type: 'DecideVisitation', decision: 'accept', assessment: ALL_CRITERIA_MET }, RECEIVED)),
      'REFERRAL_ON_HOLD',
    );
  });

  it('paper visitation is decided once (care-model §6)', () => {
    refused(
      given(eventsAfter('accept')).when(
        at({ type: 'DecideVisitation', decision: 'accept', assessment: ALL_CRITERIA_MET }, '2024-03-05T12:00:00+01:00'),
      ),
      'VISITATION_ALREADY_DECIDED',
    );
  });

  it.each(standardPathway.referral.criteriaSet.criteria.map((c) => [c.code]))(
    'a referral is accepted only when every criterion holds: refused when %s is not met (care-model §6, seed 004 l.519–531)',
    (code) => {
      const result = given(eventsAfter('referral')).when(
        at(
          { type: 'DecideVisitation', decision: 'accept', assessment: { ...ALL_CRITERIA_MET, [code]: false } },
          '2024-03-05T10:00:00+01:00',
        ),
      );
      expect(refused(result, 'CRITERIA_NOT_MET').failures.map((f) => f.code)).toEqual([code]);
    },
  );

  it('every criterion of the set must be assessed before deciding (care-model §6)', () => {
    const { PAIN_OVER_SIX_MONTHS: _omitted, ...partial } = ALL_CRITERIA_MET;
    const result = given(eventsAfter('referral')).when(
      at({ type: 'DecideVisitation', decision: 'reject', assessment: partial, reason: 'r', planForGp: 'p' }, RECEIVED),
    );
    expect(refused(result, 'CRITERIA_NOT_ASSESSED').failures.map((f) => f.code)).toEqual(['PAIN_OVER_SIX_MONTHS']);
  });

  it('the visitation decision records which criteria set and version it used (care-model §6: criteria differ by region and over time)', () => {
    const regional = {
      code: 'REGION_NORD',
      version: '2025-02',
      criteria: [{ code: 'OVER_SIX_MONTHS', text: 'pain for more than six months' }],
      source: { careModel: '§6' },
    };
    const events = accepted(
      given(eventsAfter('referral')).when(
        at(
          { type: 'DecideVisitation', decision: 'accept', criteriaSet: regional, assessment: { OVER_SIX_MONTHS: true } },
          '2024-03-05T10:00:00+01:00',
        ),
      ),
    );
    expect(dataOf(events, 'VisitationDecided').criteriaSet).toEqual({ code: 'REGION_NORD', version: '2025-02' });
    expect(dataOf(eventsAfter('accept'), 'VisitationDecided').criteriaSet).toEqual({
      code: 'SST_SPECIALEVEJLEDNING_ANAESTESIOLOGI',
      version: '2023-01-18',
    });
  });

  it('a rejection needs a reason and a plan for the GP, and ends the course as rejected (care-model §3 step 1, seed 004 l.541–544)', () => {
    const assessment = { ...ALL_CRITERIA_MET, SINGLE_DISCIPLINE_FAILED: false };
    const noPlan = refused(
      given(eventsAfter('referral')).when(
        at({ type: 'DecideVisitation', decision: 'reject', assessment, reason: 'Physiotherapy not tried.' }, RECEIVED),
      ),
      'REASON_REQUIRED',
    );
    expect(noPlan.failures.map((f) => f.code)).toEqual(['PLAN_FOR_GP_REQUIRED']);
    const events = accepted(
      given(eventsAfter('referral')).when(
        at(
          {
            type: 'DecideVisitation',
            decision: 'reject',
            assessment,
            reason: 'Physiotherapy not tried.',
            planForGp: 'Refer to physiotherapy first.',
          },
          '2024-03-05T10:00:00+01:00',
        ),
      ),
    );
    expect(types(events)).toEqual(['VisitationDecided', 'CourseEnded']);
    expect(dataOf(events, 'CourseEnded')).toMatchObject({
      reason: 'rejected',
      reReferralAllowed: false,
      planForGp: 'Refer to physiotherapy first.',
    });
  });

  it('a course is rejected by the visitation decision, never by EndCourse (care-model §3)', () => {
    refused(
      given(eventsAfter('referral')).when(at({ type: 'EndCourse', reason: 'rejected', note: 'no' }, RECEIVED)),
      'REJECT_AT_VISITATION',
    );
  });

  it('a course starts with a referral, once (care-model §3 step 1)', () => {
    refused(
      given([]).when(at({ type: 'DecideVisitation', decision: 'accept', assessment: ALL_CRITERIA_MET }, RECEIVED)),
      'COURSE_NOT_FOUND',
    );
    refused(given(eventsAfter('referral')).when(receiveReferral(RECEIVED)), 'COURSE_ALREADY_EXISTS');
    refused(given([]).when({ ...receiveReferral('2024-03-05T09:00:00+01:00'), now: RECEIVED }), 'RECEIVED_IN_FUTURE');
  });

  it('events name the patient only by the random patientId; a CPR number anywhere in a command is refused without echoing it (architecture: no CPR in events)', () => {
    const referral = accepted(given([]).when(receiveReferral(RECEIVED)));
    expect(JSON.stringify(referral)).not.toMatch(/\d{6}-?\d{4}/);
    const withCpr = refused(given([]).when({ ...receiveReferral(RECEIVED), patientId: '070761-4285' } as CourseCommand), 'CPR_IN_TEXT');
    expect(JSON.stringify(withCpr)).not.toContain('4285');
    const inText = refused(
      given([]).when(receiveReferral(RECEIVED, { ...FULL_REFERRAL_CONTENT, CURRENT_MEDICATION: 'pt 0707614285 takes morphine' })),
      'CPR_IN_TEXT',
    );
    expect(JSON.stringify(inText)).not.toContain('0707614285');
    refused(
      given(eventsAfter('accept')).when(at({ type: 'EndCourse', reason: 'dropped_out', note: 'Called 070761-4285, declined.' }, RECEIVED)),
      'CPR_IN_TEXT',
    );
  });

  it('ids that merely contain ten digits (a uuid such as …a1234567-8901…) are not mistaken for a CPR number', () => {
    accepted(given([]).when({ ...receiveReferral(RECEIVED), patientId: 'd0a1b2a1-2345-6789-a123-4567890123ab' } as CourseCommand));
    accepted(given([]).when({ ...receiveReferral(RECEIVED), patientId: '3f2e1d0c-a010-1234-8901-b1234567890c' } as CourseCommand));
    // ten digits that are no valid date (month 13) are not a CPR number either
    accepted(given([]).when(receiveReferral(RECEIVED, { ...FULL_REFERRAL_CONTENT, CURRENT_MEDICATION: 'order 011399-1234' })));
  });

  it('a course stays on the pathway version it started on (care-model §3: the pathway is data)', () => {
    const v2 = { ...standardPathway, version: 2 };
    refused(
      given(eventsAfter('accept')).when(
        at({ type: 'ScheduleStep', stepCode: 'KORT_PRIMAERSAMTALE', at: '2024-03-11T10:00:00+01:00' }, RECEIVED, v2),
      ),
      'PATHWAY_MISMATCH',
    );
  });
});

// ---------------------------------------------------------------- §3 steps in order

describe('pathway steps (care-model §3)', () => {
  it('no step is booked before the referral is accepted at paper visitation (care-model §3 steps 1–3)', () => {
    refused(
      given(eventsAfter('referral')).when(
        at({ type: 'ScheduleStep', stepCode: 'KORT_PRIMAERSAMTALE', at: '2024-03-11T10:00:00+01:00' }, RECEIVED),
      ),
      'VISITATION_NOT_ACCEPTED',
    );
  });

  it('steps are booked in pathway order, naming the earlier step that is missing (care-model §3)', () => {
    const result = given(eventsAfter('accept')).when(
      at({ type: 'ScheduleStep', stepCode: 'LANG_PRIMAERSAMTALE', at: '2024-03-27T09:00:00+01:00' }, '2024-03-05T11:00:00+01:00'),
    );
    const error = refused(result, 'STEP_OUT_OF_ORDER');
    expect(error.details).toEqual({ missing: ['FORSTAA_SMERTE'] });
    expect(error.message).toContain('Understanding pain');
  });

  it('a step is completed only after the steps before it are completed, even when both are booked (care-model §3)', () => {
    const booked = eventsAfter('book fs');
    const result = given(booked.filter((e) => !(e.type === 'StepCompleted' && e.data.stepCode === 'KORT_PRIMAERSAMTALE'))).when(
      at({ type: 'CompleteStep', stepCode: 'FORSTAA_SMERTE', completedAt: '2024-03-18T14:30:00+01:00' }, '2024-03-18T15:00:00+01:00'),
    );
    expect(refused(result, 'STEP_OUT_OF_ORDER').details).toEqual({ missing: ['KORT_PRIMAERSAMTALE'] });
  });

  it('a step cannot take place before the step before it has ended (care-model §3)', () => {
    const result = given(eventsAfter('seat fs')).when(
      at(
        { type: 'ScheduleStep', stepCode: 'FORSTAA_SMERTE', teamId: 'fs-1', at: '2024-03-11T09:00:00+01:00' },
        '2024-03-11T11:00:00+01:00',
      ),
    );
    refused(result, 'STEP_BEFORE_PREREQUISITE');
  });

  it('a completed step is not booked or completed again (care-model §3)', () => {
    refused(
      given(eventsAfter('kort')).when(at({ type: 'CompleteStep', stepCode: 'KORT_PRIMAERSAMTALE' }, '2024-03-12T10:00:00+01:00')),
      'STEP_ALREADY_COMPLETED',
    );
    refused(
      given(eventsAfter('kort')).when(
        at({ type: 'ScheduleStep', stepCode: 'KORT_PRIMAERSAMTALE', at: '2024-03-12T10:00:00+01:00' }, '2024-03-12T10:00:00+01:00'),
      ),
      'STEP_ALREADY_COMPLETED',
    );
  });

  it('a step cannot be recorded as done before it has happened (care-model §3)', () => {
    refused(
      given(eventsAfter('book kort')).when(
        at(
          { type: 'CompleteStep', stepCode: 'KORT_PRIMAERSAMTALE', completedAt: '2024-03-11T10:15:00+01:00' },
          '2024-03-10T10:00:00+01:00',
        ),
      ),
      'COMPLETION_IN_FUTURE',
    );
  });

  it('re-booking a step records the earlier time (care-model §4: secretaries rebook)', () => {
    const events = accepted(
      given(eventsAfter('book kort')).when(
        at({ type: 'ScheduleStep', stepCode: 'KORT_PRIMAERSAMTALE', at: '2024-03-12T10:00:00+01:00' }, '2024-03-06T10:00:00+01:00'),
      ),
    );
    expect(dataOf(events, 'StepScheduled').previousAt).toBe('2024-03-11T10:00:00+01:00');
  });

  it('Lang primærsamtale 1–2 weeks after Forstå smerte: inside the window it is not flagged (care-model §2, seed 004 l.734–736)', () => {
    const lang = dataOf(eventsAfter('book lang').slice(-1), 'StepScheduled');
    expect(lang).toMatchObject({
      stepCode: 'LANG_PRIMAERSAMTALE',
      outsideWindow: false,
      window: { unit: 'day', from: '2024-03-25', to: '2024-04-01' },
    });
  });

  it('a step outside its window is accepted but flagged with the window (decision: windowPolicy flag; care-model §2, seed 004 l.734–736)', () => {
    const events = accepted(
      given(eventsAfter('nurse')).when(
        at(
          { type: 'ScheduleStep', stepCode: 'LANG_PRIMAERSAMTALE', at: '2024-04-05T09:00:00+02:00', deviationReason: 'patient on holiday' },
          '2024-03-19T09:00:00+01:00',
        ),
      ),
    );
    expect(dataOf(events, 'StepScheduled')).toMatchObject({
      outsideWindow: true,
      deviationReason: 'patient on holiday',
      window: { from: '2024-03-25', to: '2024-04-01' },
    });
    const early = accepted(
      given(eventsAfter('nurse')).when(
        at({ type: 'ScheduleStep', stepCode: 'LANG_PRIMAERSAMTALE', at: '2024-03-22T09:00:00+01:00' }, '2024-03-19T09:00:00+01:00'),
      ),
    );
    expect(dataOf(early, 'StepScheduled').outsideWindow).toBe(true);
  });

  it('with windowPolicy refuse, a step outside its window is refused (care-model §2: windows as data)', () => {
    const strict: PathwayDefinition = { ...standardPathway, windowPolicy: 'refuse' };
    const events = run(happyPath.slice(0, 9).map(([, c]) => ({ ...c, pathway: strict }))).events;
    refused(
      given(events).when(
        at({ type: 'ScheduleStep', stepCode: 'LANG_PRIMAERSAMTALE', at: '2024-04-05T09:00:00+02:00' }, '2024-03-19T09:00:00+01:00', strict),
      ),
      'OUTSIDE_WINDOW',
    );
  });

  it('day windows count local calendar days, so a clock change does not push a booking out (care-model §2; Europe/Copenhagen)', () => {
    // Forstå smerte ends Saturday 19 Oct 2024 14:30 CEST; 14 calendar days later is 2 Nov 14:30 CET (14 days + 1 hour)
    const autumn = run([
      receiveReferral('2024-10-01T09:00:00+02:00'),
      at({ type: 'DecideVisitation', decision: 'accept', assessment: ALL_CRITERIA_MET }, '2024-10-01T10:00:00+02:00'),
      at({ type: 'CompleteStep', stepCode: 'KORT_PRIMAERSAMTALE', completedAt: '2024-10-07T10:00:00+02:00' }, '2024-10-07T10:00:00+02:00'),
      at({ type: 'RecordSeatBooked', teamId: 'fs-9', programme: 'FORSTAA_SMERTE' }, '2024-10-07T11:00:00+02:00'),
      at({ type: 'CompleteStep', stepCode: 'FORSTAA_SMERTE', completedAt: '2024-10-19T14:30:00+02:00' }, '2024-10-19T15:00:00+02:00'),
      at({ type: 'AssignMicroteamMember', clinicianId: 'doc-1', role: 'PAL' }, '2024-10-19T15:00:00+02:00'),
      at({ type: 'AssignMicroteamMember', clinicianId: 'nurse-1', role: 'CONTACT_NURSE' }, '2024-10-19T15:00:00+02:00'),
    ]).events;
    const onTime = accepted(
      given(autumn).when(
        at({ type: 'ScheduleStep', stepCode: 'LANG_PRIMAERSAMTALE', at: '2024-11-02T14:30:00+01:00' }, '2024-10-21T09:00:00+02:00'),
      ),
    );
    expect(dataOf(onTime, 'StepScheduled')).toMatchObject({ outsideWindow: false, window: { to: '2024-11-02' } });
    const late = accepted(
      given(autumn).when(
        at({ type: 'ScheduleStep', stepCode: 'LANG_PRIMAERSAMTALE', at: '2024-11-03T08:00:00+01:00' }, '2024-10-21T09:00:00+02:00'),
      ),
    );
    expect(dataOf(late, 'StepScheduled').outsideWindow).toBe(true);
  });

  it('nurse follow-up 1 is 1–2 weeks after Livet med smerter ends (care-model §2, seed 004 l.1530)', () => {
    const events = accepted(
      given(eventsAfter('lms')).when(
        at({ type: 'ScheduleStep', stepCode: 'NURSE_FOLLOWUP_1', at: '2024-05-10T10:00:00+02:00' }, '2024-04-25T09:00:00+02:00'),
      ),
    );
    expect(dataOf(events, 'StepScheduled')).toMatchObject({
      outsideWindow: true,
      window: { relativeTo: 'Living with pain (end)', from: '2024-05-01', to: '2024-05-08' },
    });
  });

  it('nurse follow-up 2 is 1–2 weeks after the stress-reduction team ends (care-model §2, seed 004 l.1933)', () => {
    const events = accepted(
      given(eventsAfter('stress')).when(
        at({ type: 'ScheduleStep', stepCode: 'NURSE_FOLLOWUP_2', at: '2024-07-10T10:00:00+02:00' }, '2024-07-08T12:10:00+02:00'),
      ),
    );
    expect(dataOf(events, 'StepScheduled')).toMatchObject({ outsideWindow: true, window: { from: '2024-07-15', to: '2024-07-22' } });
    const inside = dataOf(eventsAfter('book nf2').slice(-1), 'StepScheduled');
    expect(inside.outsideWindow).toBe(false);
  });

  it('the closing talk is 2–4 weeks after the last intervention, which may be an add-on (decision; care-model §2, seed 004 l.2115)', () => {
    const withHa = eventsAfter('conference');
    const ha = run(
      [
        at({ type: 'AddAddOn', stepCode: 'HA', reason: 'Sick-listed; job-centre process.' }, '2024-07-24T12:05:00+02:00'),
        at({ type: 'RecordSeatBooked', teamId: 'ha-1', programme: 'HA' }, '2024-07-24T12:06:00+02:00'),
        at(
          { type: 'ScheduleStep', stepCode: 'HA', teamId: 'ha-1', at: '2024-08-05T09:00:00+02:00', endsAt: '2024-08-26T11:30:00+02:00' },
          '2024-07-24T12:07:00+02:00',
        ),
      ],
      withHa,
    ).events;
    const early = accepted(
      given(ha).when(at({ type: 'ScheduleStep', stepCode: 'CLOSING_TALK', at: '2024-08-30T10:00:00+02:00' }, '2024-07-24T12:10:00+02:00')),
    );
    expect(dataOf(early, 'StepScheduled')).toMatchObject({ outsideWindow: true, window: { from: '2024-09-09', to: '2024-09-23' } });
    expect(present(dataOf(early, 'StepScheduled').window).relativeTo).toContain('Health and labour market');
  });

  it('a group programme is booked on a team where the course holds a seat (care-model §1: seats are per patient)', () => {
    refused(
      given(eventsAfter('kort')).when(
        at({ type: 'ScheduleStep', stepCode: 'FORSTAA_SMERTE', at: '2024-03-18T13:00:00+01:00' }, '2024-03-11T11:00:00+01:00'),
      ),
      'TEAM_REQUIRED',
    );
    const seated = accepted(
      given(eventsAfter('seat fs')).when(
        at({ type: 'ScheduleStep', stepCode: 'FORSTAA_SMERTE', at: '2024-03-18T13:00:00+01:00' }, '2024-03-11T11:00:00+01:00'),
      ),
    );
    expect(dataOf(seated, 'StepScheduled').teamId).toBe('fs-1');
    refused(
      given(eventsAfter('kort')).when(
        at(
          { type: 'ScheduleStep', stepCode: 'FORSTAA_SMERTE', teamId: 'fs-1', at: '2024-03-18T13:00:00+01:00' },
          '2024-03-11T11:00:00+01:00',
        ),
      ),
      'NO_SEAT_ON_TEAM',
    );
  });

  it('completed programmes are recorded for the eligibility rules (Terapihold needs Forstå smerte, Livet med smerter and stress reduction; care-model §1, seed 004 l.2876–2878)', () => {
    expect(stateAfter('referral').facts.programmesCompleted).toEqual([]);
    expect(stateAfter('stress').facts.programmesCompleted).toEqual(['FORSTAA_SMERTE', 'LIVET_MED_SMERTER', 'MBSR']);
    expect(stateAfter('stress').seats).toEqual([]);
  });
});

describe('stress-reduction choice (care-model §3 steps 7–8)', () => {
  it('the patient chooses Afspænding or MBSR at nurse follow-up 1, not before (care-model §3 step 7, seed 004 l.1515–1517)', () => {
    refused(
      given(eventsAfter('lms')).when(
        at({ type: 'ChooseOption', stepCode: 'STRESS_REDUCTION', option: 'MBSR' }, '2024-04-25T09:00:00+02:00'),
      ),
      'CHOICE_TOO_EARLY',
    );
    refused(
      given(eventsAfter('book nf1')).when(
        at({ type: 'ChooseOption', stepCode: 'STRESS_REDUCTION', option: 'MBSR' }, '2024-05-01T09:00:00+02:00'),
      ),
      'CHOICE_TOO_EARLY',
    );
    const events = accepted(
      given(eventsAfter('book nf1')).when(
        at({ type: 'ChooseOption', stepCode: 'STRESS_REDUCTION', option: 'AFSPAENDING' }, '2024-05-02T10:30:00+02:00'),
      ),
    );
    expect(types(events)).toEqual(['OptionChosen', 'PatientFactRecorded']);
    expect(dataOf(events, 'PatientFactRecorded')).toMatchObject({
      fact: 'chosenStressReduction',
      value: 'AFSPAENDING',
      basis: { source: 'COURSE', stepCode: 'NURSE_FOLLOWUP_1' },
    });
  });

  it('stress reduction is Afspænding or MBSR, nothing else (care-model §3 step 8)', () => {
    refused(
      given(eventsAfter('nf1')).when(
        at({ type: 'ChooseOption', stepCode: 'STRESS_REDUCTION', option: 'YOGA' }, '2024-05-02T11:00:00+02:00'),
      ),
      'UNKNOWN_OPTION',
    );
    refused(
      given(eventsAfter('nf1')).when(at({ type: 'ChooseOption', stepCode: 'CONFERENCE', option: 'MBSR' }, '2024-05-02T11:00:00+02:00')),
      'NOT_A_CHOICE',
    );
  });

  it('a seat is booked only on the chosen option (care-model §3 step 8)', () => {
    refused(
      given(eventsAfter('nf1')).when(
        at({ type: 'RecordSeatBooked', teamId: 'afs-1', programme: 'AFSPAENDING' }, '2024-05-02T11:00:00+02:00'),
      ),
      'OPTION_NOT_CHOSEN',
    );
    const notChosen = eventsAfter('book nf1');
    refused(
      given(notChosen).when(at({ type: 'RecordSeatBooked', teamId: 'mbsr-1', programme: 'MBSR' }, '2024-05-02T11:00:00+02:00')),
      'OPTION_NOT_CHOSEN',
    );
  });

  it('the choice can change until it is acted on (care-model §3 step 7)', () => {
    const changed = accepted(
      given(eventsAfter('nf1')).when(
        at({ type: 'ChooseOption', stepCode: 'STRESS_REDUCTION', option: 'AFSPAENDING' }, '2024-05-02T11:00:00+02:00'),
      ),
    );
    expect(dataOf(changed, 'OptionChosen')).toMatchObject({ option: 'AFSPAENDING', previous: 'MBSR' });
    refused(
      given(eventsAfter('seat mbsr')).when(
        at({ type: 'ChooseOption', stepCode: 'STRESS_REDUCTION', option: 'AFSPAENDING' }, '2024-05-02T11:05:00+02:00'),
      ),
      'CHOICE_LOCKED',
    );
  });

  it('the chosen option is recorded by the course, not as a free patient fact (care-model §5)', () => {
    refused(
      given(eventsAfter('nf1')).when(
        at(
          { type: 'RecordPatientFact', fact: 'chosenStressReduction', value: 'MBSR', basis: { source: 'CONSULTATION' } },
          '2024-05-02T11:00:00+02:00',
        ),
      ),
      'FACT_DERIVED',
    );
  });
});

describe('add-ons (care-model §3 step 10)', () => {
  const afterConference = () => eventsAfter('conference');

  it('an add-on is part of the course only once added with a reason (care-model §3 steps 5 and 10)', () => {
    refused(
      given(afterConference()).when(at({ type: 'RecordSeatBooked', teamId: 'ha-1', programme: 'HA' }, '2024-07-24T12:05:00+02:00')),
      'ADD_ON_NOT_ADDED',
    );
    refused(
      given(afterConference()).when(
        at({ type: 'ScheduleStep', stepCode: 'MEDICATION_COURSE', at: '2024-08-01T10:00:00+02:00' }, '2024-07-24T12:05:00+02:00'),
      ),
      'ADD_ON_NOT_ADDED',
    );
    refused(
      given(afterConference()).when(at({ type: 'AddAddOn', stepCode: 'HA', reason: ' ' }, '2024-07-24T12:05:00+02:00')),
      'REASON_REQUIRED',
    );
    const events = accepted(
      given(afterConference()).when(at({ type: 'AddAddOn', stepCode: 'HA', reason: 'Sick-listed.' }, '2024-07-24T12:05:00+02:00')),
    );
    expect(types(events)).toEqual(['AddOnAdded']);
    refused(
      given([...afterConference(), ...events]).when(at({ type: 'AddAddOn', stepCode: 'HA', reason: 'again' }, '2024-07-24T12:06:00+02:00')),
      'ADD_ON_ALREADY_ADDED',
    );
  });

  it('standard-course steps are not add-ons (care-model §3)', () => {
    refused(
      given(afterConference()).when(at({ type: 'AddAddOn', stepCode: 'LIVET_MED_SMERTER', reason: 'x' }, '2024-07-24T12:05:00+02:00')),
      'NOT_AN_ADD_ON',
    );
  });

  it('add-on visitations follow Lang primærsamtale (care-model §3 step 5, seed 004 l.947–951)', () => {
    const added = run(
      [at({ type: 'AddAddOn', stepCode: 'SOCIAL_VISITATION', reason: 'Unclear employment.' }, '2024-03-18T16:00:00+01:00')],
      eventsAfter('nurse'),
    ).events;
    const early = refused(
      given(added).when(
        at({ type: 'ScheduleStep', stepCode: 'SOCIAL_VISITATION', at: '2024-03-25T10:00:00+01:00' }, '2024-03-18T16:00:00+01:00'),
      ),
      'STEP_OUT_OF_ORDER',
    );
    expect(early.details).toEqual({ missing: ['LANG_PRIMAERSAMTALE'] });
  });

  it('a completed social-worker visitation is recorded as a patient fact (HA needs it; care-model §1, seed 004 l.2154–2289)', () => {
    const events = run(
      [
        at({ type: 'AddAddOn', stepCode: 'SOCIAL_VISITATION', reason: 'Unclear employment.' }, '2024-03-27T12:00:00+01:00'),
        at({ type: 'CompleteStep', stepCode: 'SOCIAL_VISITATION', completedAt: '2024-04-02T11:30:00+02:00' }, '2024-04-02T12:00:00+02:00'),
      ],
      eventsAfter('lang'),
    );
    expect(events.state.facts.socialWorkerVisitationDone).toBe(true);
    expect(events.state.factHistory.at(-1)).toMatchObject({
      fact: 'socialWorkerVisitationDone',
      basis: { source: 'COURSE', stepCode: 'SOCIAL_VISITATION' },
    });
  });

  it('Terapihold follows a psychologist visitation after the stress-reduction team (care-model §1, seed 004 l.2876–2878)', () => {
    const added = run(
      [
        at({ type: 'AddAddOn', stepCode: 'TERAPIHOLD', reason: 'ACT recommended.' }, '2024-07-24T12:05:00+02:00'),
        at({ type: 'RecordSeatBooked', teamId: 'th-1', programme: 'TERAPIHOLD' }, '2024-07-24T12:06:00+02:00'),
      ],
      afterConference(),
    ).events;
    const book = at(
      { type: 'ScheduleStep', stepCode: 'TERAPIHOLD', teamId: 'th-1', at: '2024-09-02T09:00:00+02:00' },
      '2024-07-24T12:07:00+02:00',
    );
    expect(refused(given(added).when(book), 'STEP_OUT_OF_ORDER').details).toEqual({ missing: ['PSYCH_VISITATION_THERAPY'] });
    const visited = run(
      [
        at(
          { type: 'AddAddOn', stepCode: 'PSYCH_VISITATION_THERAPY', reason: 'Barriers after the standard course.' },
          '2024-07-24T12:08:00+02:00',
        ),
        at(
          { type: 'CompleteStep', stepCode: 'PSYCH_VISITATION_THERAPY', completedAt: '2024-08-01T10:00:00+02:00' },
          '2024-08-01T11:00:00+02:00',
        ),
      ],
      added,
    ).events;
    expect(types(accepted(given(visited).when({ ...book, now: '2024-08-01T11:05:00+02:00' })))).toEqual(['StepScheduled']);
  });

  it('individual therapy is offered instead of Terapihold, not as well (care-model §2, seed 004 l.3006–3012)', () => {
    const added = run(
      [at({ type: 'AddAddOn', stepCode: 'TERAPIHOLD', reason: 'ACT recommended.' }, '2024-07-24T12:05:00+02:00')],
      afterConference(),
    ).events;
    refused(
      given(added).when(at({ type: 'AddAddOn', stepCode: 'INDIVIDUAL_THERAPY', reason: 'x' }, '2024-07-24T12:06:00+02:00')),
      'ADD_ON_CONFLICT',
    );
    const skipped = run(
      [at({ type: 'SkipStep', stepCode: 'TERAPIHOLD', reason: 'Difficulty in groups.' }, '2024-07-25T12:00:00+02:00')],
      added,
    ).events;
    accepted(
      given(skipped).when(
        at({ type: 'AddAddOn', stepCode: 'INDIVIDUAL_THERAPY', reason: 'Group format not possible.' }, '2024-07-25T12:05:00+02:00'),
      ),
    );
  });

  it('the closing talk waits for every add-on of the course (care-model §3 step 11: after the last intervention)', () => {
    const added = run(
      [at({ type: 'AddAddOn', stepCode: 'MEDICATION_COURSE', reason: 'Tapering plan.' }, '2024-07-24T12:05:00+02:00')],
      afterConference(),
    ).events;
    const error = refused(
      given(added).when(
        at({ type: 'ScheduleStep', stepCode: 'CLOSING_TALK', at: '2024-08-14T10:00:00+02:00' }, '2024-07-24T12:10:00+02:00'),
      ),
      'STEP_OUT_OF_ORDER',
    );
    expect(error.details).toEqual({ missing: ['MEDICATION_COURSE'] });
  });

  it('a step may be skipped with a reason, which counts as done; the final step cannot be skipped (care-model §3: the reason is always recorded)', () => {
    refused(
      given(eventsAfter('kort')).when(at({ type: 'SkipStep', stepCode: 'FORSTAA_SMERTE', reason: '' }, '2024-03-12T10:00:00+01:00')),
      'REASON_REQUIRED',
    );
    const skipped = run(
      [
        at(
          { type: 'SkipStep', stepCode: 'FORSTAA_SMERTE', reason: 'Needs an interpreter (excluded from Forstå smerte).' },
          '2024-03-12T10:00:00+01:00',
        ),
      ],
      eventsAfter('kort'),
    );
    expect(skipped.state.steps.FORSTAA_SMERTE).toMatchObject({ status: 'skipped' });
    expect(nextStep(skipped.state, standardPathway)?.stepCode).toBe('LANG_PRIMAERSAMTALE');
    refused(
      given(eventsAfter('conference')).when(at({ type: 'SkipStep', stepCode: 'CLOSING_TALK', reason: 'x' }, '2024-07-25T10:00:00+02:00')),
      'FINAL_STEP_REQUIRED',
    );
    refused(
      given(eventsAfter('seat fs')).when(at({ type: 'SkipStep', stepCode: 'FORSTAA_SMERTE', reason: 'x' }, '2024-03-12T10:00:00+01:00')),
      'SEAT_HELD',
    );
  });
});

// ---------------------------------------------------------------- §4 microteam

describe('microteam (care-model §4)', () => {
  it('Lang primærsamtale needs a PAL and a contact nurse in the microteam (care-model §2, seed 004 l.936–941)', () => {
    const error = refused(
      given(eventsAfter('fs')).when(
        at({ type: 'ScheduleStep', stepCode: 'LANG_PRIMAERSAMTALE', at: '2024-03-27T09:00:00+01:00' }, '2024-03-19T09:00:00+01:00'),
      ),
      'MICROTEAM_INCOMPLETE',
    );
    expect(error.failures.map((f) => f.code)).toEqual(['ROLE_PAL', 'ROLE_CONTACT_NURSE']);
  });

  it('coordination moves from the secretary to the contact nurse at Lang primærsamtale (care-model §4, seed 004 l.943–945)', () => {
    expect(stateAfter('book lang').coordinator).toEqual({ role: 'SECRETARY' });
    const events = eventsAfter('lang');
    expect(dataOf(events, 'CoordinationHandedOver')).toMatchObject({
      fromRole: 'SECRETARY',
      toRole: 'CONTACT_NURSE',
      toClinicianId: 'nurse-1',
      atStep: 'LANG_PRIMAERSAMTALE',
    });
    expect(stateAfter('lang').coordinator).toEqual({ role: 'CONTACT_NURSE', clinicianId: 'nurse-1' });
  });

  it('a new contact nurse replaces the old one and takes over coordination (care-model §4: one contact nurse)', () => {
    const events = accepted(
      given(eventsAfter('lang')).when(
        at({ type: 'AssignMicroteamMember', clinicianId: 'nurse-2', role: 'CONTACT_NURSE' }, '2024-04-01T09:00:00+02:00'),
      ),
    );
    expect(types(events)).toEqual(['MicroteamMemberAssigned', 'CoordinationHandedOver']);
    const state = replay(courseDecider, [...eventsAfter('lang'), ...events]);
    expect(state.microteam.filter((m) => m.role === 'CONTACT_NURSE').map((m) => m.clinicianId)).toEqual(['nurse-2']);
    expect(state.coordinator).toEqual({ role: 'CONTACT_NURSE', clinicianId: 'nurse-2' });
  });

  it('the coordinating contact nurse is not removed without a replacement (care-model §4)', () => {
    refused(
      given(eventsAfter('lang')).when(
        at({ type: 'RemoveMicroteamMember', clinicianId: 'nurse-1', role: 'CONTACT_NURSE' }, '2024-04-01T09:00:00+02:00'),
      ),
      'COORDINATOR_NEEDED',
    );
    accepted(
      given(eventsAfter('nurse')).when(
        at({ type: 'RemoveMicroteamMember', clinicianId: 'nurse-1', role: 'CONTACT_NURSE' }, '2024-03-18T16:00:00+01:00'),
      ),
    );
    refused(
      given(eventsAfter('nurse')).when(
        at({ type: 'RemoveMicroteamMember', clinicianId: 'nurse-9', role: 'CONTACT_NURSE' }, '2024-03-18T16:00:00+01:00'),
      ),
      'NOT_IN_MICROTEAM',
    );
  });

  it('the microteam is composed by need from the pathway roles; several psychologists or therapists may join (care-model §4)', () => {
    refused(
      given(eventsAfter('accept')).when(
        at({ type: 'AssignMicroteamMember', clinicianId: 'x', role: 'JANITOR' }, '2024-03-06T09:00:00+01:00'),
      ),
      'UNKNOWN_ROLE',
    );
    const two = run(
      [
        at({ type: 'AssignMicroteamMember', clinicianId: 'psy-1', role: 'PSYCHOLOGIST' }, '2024-03-06T09:00:00+01:00'),
        at({ type: 'AssignMicroteamMember', clinicianId: 'psy-2', role: 'PSYCHOLOGIST' }, '2024-03-06T09:00:00+01:00'),
      ],
      eventsAfter('accept'),
    );
    expect(two.state.microteam.map((m) => m.clinicianId)).toEqual(['psy-1', 'psy-2']);
    expect(
      given(two.events).when(
        at({ type: 'AssignMicroteamMember', clinicianId: 'psy-1', role: 'PSYCHOLOGIST' }, '2024-03-06T09:00:00+01:00'),
      ),
    ).toEqual([]);
  });
});

// ---------------------------------------------------------------- seats from the course's side

describe('seats (care-model §1)', () => {
  it('a course is never booked on two teams of the same programme at once (care-model §1)', () => {
    const error = refused(
      given(eventsAfter('seat fs')).when(
        at({ type: 'RecordSeatBooked', teamId: 'fs-2', programme: 'FORSTAA_SMERTE' }, '2024-03-11T11:05:00+01:00'),
      ),
      'ALREADY_BOOKED_ON_PROGRAMME',
    );
    expect(error.details).toEqual({ teamId: 'fs-1', programme: 'FORSTAA_SMERTE' });
    const moved = run(
      [
        at({ type: 'RecordSeatReleased', teamId: 'fs-1', programme: 'FORSTAA_SMERTE', reason: 'rebooked' }, '2024-03-11T11:05:00+01:00'),
        at({ type: 'RecordSeatBooked', teamId: 'fs-2', programme: 'FORSTAA_SMERTE' }, '2024-03-11T11:06:00+01:00'),
      ],
      eventsAfter('seat fs'),
    );
    expect(moved.state.seats.map((s) => s.teamId)).toEqual(['fs-2']);
  });

  it('recording the same seat twice changes nothing (idempotent retries)', () => {
    expect(
      given(eventsAfter('seat fs')).when(
        at({ type: 'RecordSeatBooked', teamId: 'fs-1', programme: 'FORSTAA_SMERTE' }, '2024-03-11T11:05:00+01:00'),
      ),
    ).toEqual([]);
  });

  it('releasing the seat of a booked group step unbooks the step (care-model §4: cancellations)', () => {
    const events = accepted(
      given(eventsAfter('book fs')).when(
        at({ type: 'RecordSeatReleased', teamId: 'fs-1', programme: 'FORSTAA_SMERTE' }, '2024-03-12T09:00:00+01:00'),
      ),
    );
    expect(types(events)).toEqual(['CourseSeatReleased', 'StepUnscheduled']);
    const state = replay(courseDecider, [...eventsAfter('book fs'), ...events]);
    expect(state.steps.FORSTAA_SMERTE).toBeUndefined();
    refused(
      given(eventsAfter('kort')).when(
        at({ type: 'RecordSeatReleased', teamId: 'fs-1', programme: 'FORSTAA_SMERTE' }, '2024-03-12T09:00:00+01:00'),
      ),
      'SEAT_NOT_HELD',
    );
  });

  it('a waiting course is reported until it gets a seat; booking on that team takes it off the waitlist', () => {
    const waiting = run(
      [at({ type: 'RecordWaitlisted', teamId: 'fs-3', programme: 'FORSTAA_SMERTE' }, '2024-03-11T11:00:00+01:00')],
      eventsAfter('kort'),
    );
    expect(openItems(waiting.state, '2024-03-12T09:00:00+01:00', standardPathway).map((i) => i.code)).toContain('WAITING_FOR_SEAT');
    const seated = run(
      [at({ type: 'RecordSeatBooked', teamId: 'fs-3', programme: 'FORSTAA_SMERTE' }, '2024-03-12T11:00:00+01:00')],
      waiting.events,
    );
    expect(seated.state.waitlists).toEqual([]);
    refused(
      given(eventsAfter('kort')).when(
        at({ type: 'RecordLeftWaitlist', teamId: 'fs-3', programme: 'FORSTAA_SMERTE' }, '2024-03-12T11:00:00+01:00'),
      ),
      'NOT_ON_WAITLIST',
    );
  });

  it('seats are only for programmes of the pathway (care-model §3)', () => {
    refused(
      given(eventsAfter('kort')).when(at({ type: 'RecordSeatBooked', teamId: 'x-1', programme: 'PILATES' }, '2024-03-11T11:00:00+01:00')),
      'PROGRAMME_NOT_IN_PATHWAY',
    );
  });
});

// ---------------------------------------------------------------- §5 patient facts

describe('patient facts (care-model §5)', () => {
  const record = (input: Partial<Extract<CommandInput, { type: 'RecordPatientFact' }>>) =>
    at(
      { type: 'RecordPatientFact', fact: 'needsInterpreter', value: true, basis: { source: 'REFERRAL' }, ...input },
      '2024-03-05T09:00:00+01:00',
    );

  it('each fact is recorded with when and on what basis, giving a current view and a history (care-model §5)', () => {
    const { state } = run(
      [
        record({ fact: 'inOpioidTreatment', value: true, basis: { source: 'REFERRAL' } }),
        record({
          fact: 'inOpioidTreatment',
          value: false,
          basis: { source: 'CONSULTATION', stepCode: 'KORT_PRIMAERSAMTALE', note: 'stopped in February' },
        }),
        record({ fact: 'motivatedFor', key: 'MBSR', value: true, basis: { source: 'PATIENT_STATEMENT' } }),
      ],
      eventsAfter('referral'),
    );
    expect(state.facts).toMatchObject({ inOpioidTreatment: false, motivatedFor: { MBSR: true }, programmesCompleted: [] });
    expect(state.factHistory.map((f) => [f.fact, f.value, f.basis.source])).toEqual([
      ['inOpioidTreatment', true, 'REFERRAL'],
      ['inOpioidTreatment', false, 'CONSULTATION'],
      ['motivatedFor', true, 'PATIENT_STATEMENT'],
    ]);
  });

  it('a fact needs the right kind of value and a basis (care-model §5)', () => {
    const events = eventsAfter('referral');
    refused(given(events).when(record({ value: 'yes' })), 'FACT_VALUE_INVALID');
    refused(given(events).when(record({ fact: 'motivatedFor', value: true })), 'FACT_KEY_REQUIRED');
    refused(given(events).when(record({ fact: 'hairColour' })), 'UNKNOWN_FACT');
    refused(given(events).when(record({ basis: { source: 'OTHER' } })), 'BASIS_REQUIRED');
    refused(given(events).when(record({ fact: 'programmesCompleted', value: 'MBSR' })), 'FACT_DERIVED');
  });

  it('a clinic may record the custom facts its catalogue declares (care-model §3: another clinic without code changes)', () => {
    const customFacts = [{ name: 'fatigueScoreHigh', type: 'boolean' as const, question: 'Is the fatigue score high?' }];
    const { state } = run([record({ fact: 'fatigueScoreHigh', value: true, customFacts })], eventsAfter('referral'));
    expect(state.facts.custom).toEqual({ fatigueScoreHigh: true });
  });
});

// ---------------------------------------------------------------- §3 / §6 end of course

describe('end of course (care-model §3, §6)', () => {
  it.each(['ACTIVE_SUBSTANCE_ABUSE', 'CONCURRENT_INVESTIGATION_OR_TREATMENT', 'LACKING_RESOURCES_OR_MOTIVATION'])(
    'Kort primærsamtale may end the course as excluded for %s (care-model §6, seed 004 l.620–654)',
    (code) => {
      const events = accepted(
        given(eventsAfter('kort')).when(
          at(
            { type: 'EndCourse', reason: 'excluded', exclusionCode: code, note: 'Assessed at the short talk.', planForGp: 'Plan sent.' },
            '2024-03-11T11:00:00+01:00',
          ),
        ),
      );
      expect(dataOf(events, 'CourseEnded')).toMatchObject({
        reason: 'excluded',
        exclusion: { code },
        reReferralAllowed: false,
        atStep: 'KORT_PRIMAERSAMTALE',
      });
    },
  );

  it('exclusion needs one of the listed reasons and comes at or after Kort primærsamtale (care-model §6)', () => {
    refused(
      given(eventsAfter('kort')).when(
        at({ type: 'EndCourse', reason: 'excluded', exclusionCode: 'TOO_OLD', note: 'x' }, '2024-03-11T11:00:00+01:00'),
      ),
      'EXCLUSION_REASON_UNKNOWN',
    );
    refused(
      given(eventsAfter('accept')).when(
        at({ type: 'EndCourse', reason: 'excluded', exclusionCode: 'ACTIVE_SUBSTANCE_ABUSE', note: 'x' }, '2024-03-06T11:00:00+01:00'),
      ),
      'EXCLUSION_TOO_EARLY',
    );
  });

  it('a stalled course may be ended with re-referral allowed (care-model §6)', () => {
    const events = accepted(
      given(eventsAfter('lms')).when(
        at({ type: 'EndCourse', reason: 'stalled', note: 'No contact for three months.' }, '2024-08-01T09:00:00+02:00'),
      ),
    );
    expect(dataOf(events, 'CourseEnded')).toMatchObject({ reason: 'stalled', reReferralAllowed: true, atStep: 'LIVET_MED_SMERTER' });
  });

  it('a course is completed only once the closing talk has taken place (care-model §3 step 11)', () => {
    const error = refused(
      given(eventsAfter('conference')).when(at({ type: 'EndCourse', reason: 'completed', note: 'done' }, '2024-07-25T09:00:00+02:00')),
      'COURSE_NOT_COMPLETE',
    );
    expect(error.failures.map((f) => f.code)).toEqual(['CLOSING_TALK']);
    expect(stateAfter('end').ended).toMatchObject({ reason: 'completed', reReferralAllowed: false });
  });

  it('the reason for ending is always recorded (care-model §3)', () => {
    refused(
      given(eventsAfter('accept')).when(at({ type: 'EndCourse', reason: 'dropped_out', note: ' ' }, '2024-03-06T09:00:00+01:00')),
      'REASON_REQUIRED',
    );
    refused(
      given(eventsAfter('accept')).when(at({ type: 'EndCourse', reason: 'vanished' as never, note: 'x' }, '2024-03-06T09:00:00+01:00')),
      'UNKNOWN_END_REASON',
    );
  });

  it('ending a course lists the seats and waitlist places the teams must free', () => {
    const waiting = run(
      [at({ type: 'RecordWaitlisted', teamId: 'fs-2', programme: 'FORSTAA_SMERTE' }, '2024-03-11T11:02:00+01:00')],
      eventsAfter('seat fs'),
    ).events;
    const events = accepted(
      given(waiting).when(at({ type: 'EndCourse', reason: 'dropped_out', note: 'Moved abroad.' }, '2024-03-12T09:00:00+01:00')),
    );
    expect(dataOf(events, 'CourseEnded')).toMatchObject({
      seatsToRelease: [{ teamId: 'fs-1', programme: 'FORSTAA_SMERTE' }],
      waitlistsToLeave: [{ teamId: 'fs-2', programme: 'FORSTAA_SMERTE' }],
    });
    expect(replay(courseDecider, [...waiting, ...events]).seats).toEqual([]);
  });

  const later = '2024-09-01T09:00:00+02:00';
  it.each<[string, CommandInput]>([
    ['CompleteReferral', { type: 'CompleteReferral', content: { INCOME_SETTLED: 'x' } }],
    ['DecideVisitation', { type: 'DecideVisitation', decision: 'accept', assessment: ALL_CRITERIA_MET }],
    ['RecordPatientFact', { type: 'RecordPatientFact', fact: 'needsInterpreter', value: false, basis: { source: 'REFERRAL' } }],
    ['AddAddOn', { type: 'AddAddOn', stepCode: 'HA', reason: 'x' }],
    ['ScheduleStep', { type: 'ScheduleStep', stepCode: 'HA', at: later }],
    ['CompleteStep', { type: 'CompleteStep', stepCode: 'HA' }],
    ['SkipStep', { type: 'SkipStep', stepCode: 'HA', reason: 'x' }],
    ['ChooseOption', { type: 'ChooseOption', stepCode: 'STRESS_REDUCTION', option: 'MBSR' }],
    ['AssignMicroteamMember', { type: 'AssignMicroteamMember', clinicianId: 'x', role: 'PAL' }],
    ['RemoveMicroteamMember', { type: 'RemoveMicroteamMember', clinicianId: 'doc-1', role: 'PAL' }],
    ['RecordSeatBooked', { type: 'RecordSeatBooked', teamId: 'ha-1', programme: 'HA' }],
    ['RecordSeatReleased', { type: 'RecordSeatReleased', teamId: 'ha-1', programme: 'HA' }],
    ['RecordWaitlisted', { type: 'RecordWaitlisted', teamId: 'ha-1', programme: 'HA' }],
    ['RecordLeftWaitlist', { type: 'RecordLeftWaitlist', teamId: 'ha-1', programme: 'HA' }],
    ['EndCourse', { type: 'EndCourse', reason: 'stalled', note: 'x' }],
  ])('an ended course accepts nothing but reads: %s is refused (care-model §3)', (_name, input) => {
    refused(given(eventsAfter('end')).when(at(input, later)), 'COURSE_ENDED');
  });
});

// ---------------------------------------------------------------- queries

describe('queries', () => {
  it('nextStep and currentStep follow the standard course (care-model §3)', () => {
    expect(nextStep(stateAfter('referral'), standardPathway)).toBeUndefined();
    expect(nextStep(stateAfter('accept'), standardPathway)?.stepCode).toBe('KORT_PRIMAERSAMTALE');
    expect(nextStep(stateAfter('kort'), standardPathway)).toMatchObject({ stepCode: 'FORSTAA_SMERTE', programme: 'FORSTAA_SMERTE' });
    expect(nextStep(stateAfter('fs'), standardPathway)).toMatchObject({
      stepCode: 'LANG_PRIMAERSAMTALE',
      window: { from: '2024-03-25', to: '2024-04-01' },
    });
    expect(nextStep(stateAfter('book nf1'), standardPathway)).toMatchObject({ stepCode: 'STRESS_REDUCTION', needsChoice: true });
    expect(nextStep(stateAfter('nf1'), standardPathway)).toMatchObject({
      stepCode: 'STRESS_REDUCTION',
      needsChoice: false,
      programme: 'MBSR',
    });
    expect(currentStep(stateAfter('book fs'), standardPathway)).toEqual({
      stepCode: 'FORSTAA_SMERTE',
      status: 'scheduled',
      at: '2024-03-18T13:00:00+01:00',
    });
    expect(currentStep(stateAfter('fs'), standardPathway)).toEqual({
      stepCode: 'FORSTAA_SMERTE',
      status: 'completed',
      at: '2024-03-18T14:30:00+01:00',
    });
    expect(nextStep(stateAfter('end'), standardPathway)).toBeUndefined();
  });

  it('openItems reports the visitation deadline, a closing window, a missed window and a course ready to end', () => {
    expect(openItems(stateAfter('referral'), '2024-03-05T09:00:00+01:00', standardPathway).map((i) => i.code)).toEqual(['VISITATION_DUE']);
    expect(openItems(stateAfter('referral'), '2024-03-06T10:00:00+01:00', standardPathway).map((i) => i.code)).toEqual([
      'VISITATION_OVERDUE',
    ]);
    const held = run([receiveReferral(RECEIVED, PARTIAL_CONTENT)]).state;
    expect(openItems(held, RECEIVED, standardPathway).map((i) => i.code)).toEqual(['REFERRAL_ON_HOLD', 'VISITATION_DUE']);
    // Livet med smerter ended 24 April: nurse follow-up 1 must be booked by 8 May
    expect(openItems(stateAfter('lms'), '2024-04-26T09:00:00+02:00', standardPathway)).toEqual([]);
    expect(openItems(stateAfter('lms'), '2024-05-06T09:00:00+02:00', standardPathway)).toMatchObject([
      { code: 'STEP_WINDOW_CLOSING', stepCode: 'NURSE_FOLLOWUP_1', dueBy: '2024-05-08' },
    ]);
    expect(openItems(stateAfter('lms'), '2024-05-09T09:00:00+02:00', standardPathway)).toMatchObject([
      { code: 'STEP_WINDOW_MISSED', stepCode: 'NURSE_FOLLOWUP_1' },
    ]);
    expect(openItems(stateAfter('closing'), '2024-08-14T12:00:00+02:00', standardPathway).map((i) => i.code)).toEqual(['READY_TO_END']);
    expect(openItems(stateAfter('end'), '2024-08-15T12:00:00+02:00', standardPathway)).toEqual([]);
  });

  it('waiting time from referral to first consultation is reportable, and per step (care-model §6: the region publishes it)', () => {
    const times = present(waitingTimes(stateAfter('lang')));
    expect(times.firstConsultation).toEqual({ stepCode: 'KORT_PRIMAERSAMTALE', at: '2024-03-11T10:00:00+01:00', days: 7 });
    expect(times.visitation).toEqual({ decidedAt: '2024-03-05T10:00:00+01:00', hours: 25, withinDeadline: true });
    expect(times.steps.map((s) => [s.stepCode, s.daysFromReferral])).toEqual([
      ['KORT_PRIMAERSAMTALE', 7],
      ['FORSTAA_SMERTE', 14.2],
      ['LANG_PRIMAERSAMTALE', 23],
    ]);
  });
});
