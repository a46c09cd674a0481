import { replay } from '../shared/index.js';
import { given } from '../shared/testing/index.js';
import { clinicianDecider, clinicianVocabularyOf, createClinicianDecider } from '../clinician/clinician.decider.js';
import { eligibilityContextFor, evaluateEligibility } from '../eligibility/eligibility.evaluator.js';
import { teamDecider } from '../team/team.decider.js';
import type { TeamEvent } from '../team/team.events.js';
import { staffRuleHolds } from '../team/team.queries.js';
import type { Catalogue } from './catalogue.types.js';
import { validateCatalogue } from './catalogue.validation.js';
import { lateEffectsCatalogue as example } from './examples/late-effects.catalogue.js';

const NOW = '2025-01-06T09:00:00+01:00';

/** the example catalogue with a 3-seat programme, so capacity and the waitlist are quick to reach */
const lateEffectsCatalogue: Catalogue = {
  ...example,
  programmes: example.programmes.map((p) => ({ ...p, seats: 3 })),
};

describe('a second clinic (late effects) defines its own catalogue without code changes', () => {
  const ot = {
    ...replay(clinicianDecider, [
      {
        type: 'ClinicianRegistered',
        data: { clinicianId: 'ot1', professions: ['OCCUPATIONAL_THERAPIST'], employmentStart: '2022-01-01', registeredAt: NOW },
      },
      {
        type: 'CompetenceGranted',
        data: { clinicianId: 'ot1', competence: 'FATIGUE_COURSE', grantedAt: '2024-01-01', expiresAt: null, recordedAt: NOW },
      },
    ]),
  };

  it('is valid and plain JSON', () => {
    expect(validateCatalogue(lateEffectsCatalogue)).toEqual([]);
    expect(JSON.parse(JSON.stringify(lateEffectsCatalogue))).toEqual(lateEffectsCatalogue);
  });

  it('evaluates its own criteria over its own custom fact', () => {
    const programme = lateEffectsCatalogue.programmes[0];
    const ctx = eligibilityContextFor(lateEffectsCatalogue);
    expect(evaluateEligibility(programme, { custom: { cancerTreatmentCompleted: true }, motivatedFor: { FATIGUE: true } }, ctx)).toEqual(
      [],
    );
    expect(evaluateEligibility(programme, {}, ctx).map((f) => f.reason)).toEqual([
      'Not yet recorded: Has the cancer treatment been completed? The cancer treatment must be completed before the fatigue group.',
      'Not yet recorded: Is the patient motivated for FATIGUE? The patient must be motivated for the fatigue group.',
    ]);
  });

  it('runs a team through the same deciders: plan, staff rule, eligibility, capacity, its own late-join rule and hold hours', () => {
    let events: TeamEvent[] = [];
    const step = (command: Parameters<typeof teamDecider.decide>[0]) => {
      events = [...events, ...given(teamDecider, events).when(command).thenEvents()];
    };
    step({
      type: 'PlanTeam',
      teamId: 'le-1',
      catalogue: lateEffectsCatalogue,
      programmeCode: 'FATIGUE',
      room: { roomId: 'r', seats: 10 },
      startsOn: '2025-02-03',
      startTime: '10:00',
      now: NOW,
    });
    given(teamDecider, events)
      .when({
        type: 'AssignTherapist',
        teamId: 'le-1',
        clinicianId: 'x',
        role: 'apprentice',
        clinician: { ...ot, clinicianId: 'x' },
        now: NOW,
      })
      .thenRefused('APPRENTICES_NOT_ALLOWED');
    const nurse = { ...ot, clinicianId: 'n1', professions: ['NURSE'], competences: [] };
    const missing = given(teamDecider, events)
      .when({ type: 'AssignTherapist', teamId: 'le-1', clinicianId: 'n1', role: 'lead', clinician: nurse, now: NOW })
      .thenRefused('COMPETENCE_MISSING');
    expect(missing.failures.map((f) => f.code)).toEqual(['FATIGUE_LEAD_OT', 'FATIGUE_LEAD_COURSE']);
    step({ type: 'AssignTherapist', teamId: 'le-1', clinicianId: 'ot1', role: 'lead', clinician: ot, now: NOW });
    expect(staffRuleHolds(replay(teamDecider, events), '2025-02-03T10:00:00+01:00')).toBe(true);

    const facts = { custom: { cancerTreatmentCompleted: true }, motivatedFor: { FATIGUE: true } };
    given(teamDecider, events)
      .when({ type: 'ReserveSeat', teamId: 'le-1', courseId: 'x', referralDate: '2024-12-01', facts: {}, now: NOW })
      .thenRefused('NOT_ELIGIBLE');
    for (const c of ['a', 'b', 'c'])
      step({ type: 'ReserveSeat', teamId: 'le-1', courseId: c, referralDate: '2024-12-01', facts, now: NOW });
    given(teamDecider, events)
      .when({ type: 'ReserveSeat', teamId: 'le-1', courseId: 'd', referralDate: '2024-12-01', facts, now: NOW })
      .thenRefused('TEAM_FULL');
    step({ type: 'JoinWaitlist', teamId: 'le-1', courseId: 'd', referralDate: '2024-12-01', facts, now: NOW });
    // its own late-join rule: still open after the first session, closed at the second
    const released = given(teamDecider, events)
      .when({ type: 'ReleaseSeat', teamId: 'le-1', courseId: 'a', reason: 'Ill', now: '2025-02-09T10:00:00+01:00' })
      .thenEvents();
    expect(released[1]).toEqual({
      type: 'SeatOffered',
      data: { teamId: 'le-1', courseId: 'd', offeredAt: '2025-02-09T10:00:00+01:00', expiresAt: '2025-02-12T10:00:00+01:00' },
    });
    given(teamDecider, [...events, ...released])
      .when({ type: 'AcceptSeatOffer', teamId: 'le-1', courseId: 'd', facts, now: '2025-02-10T10:30:00+01:00' })
      .thenRefused('TEAM_CLOSED_FOR_LATE_JOINERS');
  });

  it('registers its clinicians against its own vocabulary', () => {
    const decider = createClinicianDecider(clinicianVocabularyOf(lateEffectsCatalogue));
    given(decider)
      .when({ type: 'RegisterClinician', clinicianId: 'p', professions: ['PSYCHOLOGIST'], employmentStart: '2024-01-01', now: NOW })
      .thenRefused('UNKNOWN_PROFESSION');
    given(decider)
      .when({
        type: 'RegisterClinician',
        clinicianId: 'o',
        professions: ['OCCUPATIONAL_THERAPIST'],
        employmentStart: '2024-01-01',
        now: NOW,
      })
      .thenEvents();
  });
});
