import { defaultCatalogue } from '../catalogue/default.catalogue.js';
import type { Catalogue } from '../catalogue/catalogue.types.js';
import { replay } from '../shared/index.js';
import { given, present } from '../shared/testing/index.js';
import { teamDecider } from './team.decider.js';
import type { TeamEvent } from './team.events.js';
import { attendanceCount, staffRuleHolds } from './team.queries.js';
import type { PlannedTeam } from './team.state.js';
import {
  ALL_CLEAR,
  NOW,
  TEAM,
  assignedEvent,
  clinician,
  eligibleFor,
  planCommand,
  planned,
  qualified,
  reservedEvent,
  service,
  waitlistedEvent,
} from './testing/team.fixtures.js';

const at = (events: TeamEvent[]) => given(teamDecider, events);
const stateOf = (events: TeamEvent[]) => replay(teamDecider, events) as PlannedTeam;
const withSettings = (settings: Partial<Catalogue['settings']>): Catalogue => ({
  ...defaultCatalogue,
  settings: { ...defaultCatalogue.settings, ...settings },
});
const session = (events: TeamEvent[], key: string) => present(stateOf(events).sessions.find((s) => s.key === key));
const AFTER_FIRST = '2025-02-03T13:05:00+01:00';

describe('team decider (stream team-<id>)', () => {
  describe('planning', () => {
    it('computes session times from the plan, keeping 13:00 local across the last Sunday of October (care-model §1 Afspænding: 5 weekly sessions)', () => {
      const event = planned('AFSPAENDING', { now: '2025-09-01T09:00:00+02:00', startsOn: '2025-10-13', startTime: '13:00' });
      expect(event.type === 'TeamPlanned' && event.data.sessions.map((s) => [s.startsAt, s.endsAt])).toEqual([
        ['2025-10-13T13:00:00+02:00', '2025-10-13T15:30:00+02:00'],
        ['2025-10-20T13:00:00+02:00', '2025-10-20T15:30:00+02:00'],
        ['2025-10-27T13:00:00+01:00', '2025-10-27T15:30:00+01:00'],
        ['2025-11-03T13:00:00+01:00', '2025-11-03T15:30:00+01:00'],
        ['2025-11-10T13:00:00+01:00', '2025-11-10T15:30:00+01:00'],
      ]);
    });

    it('keeps the local time across the last Sunday of March too', () => {
      const event = planned('LIVET_MED_SMERTER', { startsOn: '2025-03-24', startTime: '09:30' });
      expect(event.type === 'TeamPlanned' && event.data.sessions.map((s) => s.startsAt)).toEqual([
        '2025-03-24T09:30:00+01:00',
        '2025-03-31T09:30:00+02:00',
        '2025-04-07T09:30:00+02:00',
        '2025-04-14T09:30:00+02:00',
      ]);
    });

    it('Nedtrapning meets every 14 days, 5 × 2.5 h (care-model §1, seed 004 l.3269–3273)', () => {
      const event = planned('NEDTRAPNING');
      expect(event.type === 'TeamPlanned' && event.data.sessions.map((s) => s.startsAt.slice(0, 10))).toEqual([
        '2025-02-03',
        '2025-02-17',
        '2025-03-03',
        '2025-03-17',
        '2025-03-31',
      ]);
    });

    it('MBSR plans the silent retreat day (6 h) after the 6th themed session (care-model §1, seed 004 l.1771–1802)', () => {
      const event = planned('MBSR');
      const sessions = event.type === 'TeamPlanned' ? event.data.sessions : [];
      expect(sessions.map((s) => s.key)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'RETREAT', 'S8', 'S9']);
      expect(sessions[7]).toMatchObject({ kind: 'retreat', startsAt: '2025-03-22T09:00:00+01:00', endsAt: '2025-03-22T15:00:00+01:00' });
    });

    it('copies the programme and the catalogue rules into the stream, with capacity = min(programme seats, room seats)', () => {
      const event = planned('AFSPAENDING', { room: { roomId: 'small', seats: 12 } });
      expect(event.type === 'TeamPlanned' && event.data).toMatchObject({
        teamId: TEAM,
        clinicId: 'smertecenter-syd',
        catalogueVersion: 1,
        programmeCode: 'AFSPAENDING',
        capacity: 12,
        room: { roomId: 'small', seats: 12, maxPeople: null },
        rules: { timeZone: 'Europe/Copenhagen', offerHoldHours: 48, waitlistTieBreak: 'joinedAt' },
      });
    });

    it('refuses a second plan, an unknown programme, a bad catalogue (with every problem), a start in the past, and any other command first', () => {
      at([planned('HA')])
        .when(planCommand('HA'))
        .thenRefused('TEAM_ALREADY_PLANNED');
      at([]).when(planCommand('YOGA')).thenRefused('PROGRAMME_NOT_FOUND');
      const bad = at([])
        .when(planCommand('HA', { catalogue: { ...defaultCatalogue, clinicId: '', version: 0 } }))
        .thenRefused('INVALID_CATALOGUE');
      expect(bad.failures.map((f) => f.code)).toEqual(['CLINIC_ID_MISSING', 'VERSION_INVALID']);
      at([])
        .when(planCommand('HA', { startsOn: '2024-12-01' }))
        .thenRefused('TEAM_START_IN_PAST');
      at([]).when({ type: 'OfferSeat', teamId: TEAM, now: NOW }).thenRefused('TEAM_NOT_PLANNED');
    });
  });

  describe('therapists and the staff rule', () => {
    it('MBSR is run by two MBSR teachers (care-model §1, seed 004 l.1806–1808)', () => {
      const one = [planned('MBSR'), assignedEvent('t1', 'teacher', '2025-11-01T01:00:00+01:00')];
      const events = at(one)
        .when({ type: 'AssignTherapist', teamId: TEAM, clinicianId: 't2', role: 'teacher', clinician: qualified('t2'), now: NOW })
        .thenEvents();
      expect(events).toEqual([
        {
          type: 'TherapistAssigned',
          data: { teamId: TEAM, clinicianId: 't2', role: 'teacher', competentUntil: '2025-11-01T01:00:00+01:00', assignedAt: NOW },
        },
      ]);
      const firstSession = '2025-02-03T13:00:00+01:00';
      expect(staffRuleHolds(stateOf(one), firstSession)).toBe(false);
      expect(staffRuleHolds(stateOf([...one, ...events]), firstSession)).toBe(true);
      at([...one, ...events])
        .when({ type: 'AssignTherapist', teamId: TEAM, clinicianId: 't3', role: 'teacher', clinician: qualified('t3'), now: NOW })
        .thenRefused('ROLE_FULL');
    });

    it('MBSR teachers must be approved, practise daily and have a retreat that still holds at every session (care-model §1 decision: lapses after 12 months)', () => {
      const lapsing = clinician('t1', {
        competences: [
          ['MBSR_TEACHER', '2019-01-01'],
          ['MBSR_DAILY_PRACTICE', '2019-01-01'],
          ['MBSR_RETREAT', '2024-03-20'],
        ],
      });
      const refusal = at([planned('MBSR')])
        .when({ type: 'AssignTherapist', teamId: TEAM, clinicianId: 't1', role: 'teacher', clinician: lapsing, now: NOW })
        .thenRefused('COMPETENCE_MISSING');
      expect(refusal.failures.map((f) => f.code)).toEqual(['MBSR_YEARLY_RETREAT']);
      const none = at([planned('MBSR')])
        .when({ type: 'AssignTherapist', teamId: TEAM, clinicianId: 't1', role: 'teacher', clinician: clinician('t1'), now: NOW })
        .thenRefused('COMPETENCE_MISSING');
      expect(none.failures.map((f) => f.code)).toEqual(['MBSR_APPROVED_TEACHER', 'MBSR_DAILY_PRACTICE', 'MBSR_YEARLY_RETREAT']);
    });

    it('Forstå smerte needs one primary and one secondary therapist, and a refusal lists every missing requirement (care-model §1, seed 004 l.775–781)', () => {
      const novice = clinician('n', { professions: ['SOCIAL_WORKER'], employmentStart: '2024-10-01' });
      const refusal = at([planned('FORSTAA_SMERTE')])
        .when({ type: 'AssignTherapist', teamId: TEAM, clinicianId: 'n', role: 'primary', clinician: novice, now: NOW })
        .thenRefused('COMPETENCE_MISSING');
      expect(refusal.failures.map((f) => f.code)).toEqual([
        'FS_PRIMARY_HEALTH_PROFESSION',
        'FS_PRIMARY_EMPLOYED_1_YEAR',
        'FS_PRIMARY_4_EARLIER_TEAMS',
        'FS_TEACHING_COURSE',
      ]);
      for (const f of refusal.failures) expect(f.reason.length).toBeGreaterThan(20);

      const secondary = clinician('s', {
        employmentStart: '2024-07-01',
        competences: [['TEACHING_COURSE', '2024-08-01']],
        teamService: service(1, 'FORSTAA_SMERTE', 'apprentice'),
      });
      const withPrimary = [planned('FORSTAA_SMERTE'), assignedEvent('p', 'primary')];
      const events = at(withPrimary)
        .when({ type: 'AssignTherapist', teamId: TEAM, clinicianId: 's', role: 'secondary', clinician: secondary, now: NOW })
        .thenEvents();
      expect(staffRuleHolds(stateOf(withPrimary), AFTER_FIRST)).toBe(false);
      expect(staffRuleHolds(stateOf([...withPrimary, ...events]), AFTER_FIRST)).toBe(true);
    });

    it('Forstå smerte: employment is judged at the session, so a clinician reaching 6 months by the session may be assigned (care-model §1)', () => {
      const almost = clinician('s', {
        employmentStart: '2024-08-03',
        competences: [['TEACHING_COURSE', '2024-08-01']],
        teamService: service(1, 'FORSTAA_SMERTE', 'apprentice'),
      });
      at([planned('FORSTAA_SMERTE')])
        .when({ type: 'AssignTherapist', teamId: TEAM, clinicianId: 's', role: 'secondary', clinician: almost, now: NOW })
        .thenEvents();
      const tooNew = { ...almost, employmentStart: '2024-08-04' };
      at([planned('FORSTAA_SMERTE')])
        .when({ type: 'AssignTherapist', teamId: TEAM, clinicianId: 's', role: 'secondary', clinician: tooNew, now: NOW })
        .thenRefused('COMPETENCE_MISSING');
    });

    it('apprentices never count as staff and may exceed the staff count (care-model §1)', () => {
      let events: TeamEvent[] = [planned('NEDTRAPNING')];
      for (const id of ['a1', 'a2', 'a3']) {
        events = [
          ...events,
          ...at(events)
            .when({ type: 'AssignTherapist', teamId: TEAM, clinicianId: id, role: 'apprentice', clinician: clinician(id), now: NOW })
            .thenEvents(),
        ];
      }
      expect(staffRuleHolds(stateOf(events), AFTER_FIRST)).toBe(false);
      events = [
        ...events,
        ...at(events)
          .when({ type: 'AssignTherapist', teamId: TEAM, clinicianId: 't', role: 'therapist', clinician: qualified('t'), now: NOW })
          .thenEvents(),
      ];
      expect(staffRuleHolds(stateOf(events), AFTER_FIRST)).toBe(true);
      events = [
        ...events,
        ...at(events)
          .when({ type: 'AssignTherapist', teamId: TEAM, clinicianId: 'a4', role: 'apprentice', clinician: clinician('a4'), now: NOW })
          .thenEvents(),
      ];
      expect(stateOf(events).therapists).toHaveLength(5);
    });

    it('refuses an unknown role, a clinician twice, and an unregistered clinician (care-model §1: who may be assigned)', () => {
      const events = [planned('HA'), assignedEvent('t1', 'teacher')];
      at(events)
        .when({ type: 'AssignTherapist', teamId: TEAM, clinicianId: 'x', role: 'primary', clinician: qualified('x'), now: NOW })
        .thenRefused('UNKNOWN_ROLE');
      at(events)
        .when({ type: 'AssignTherapist', teamId: TEAM, clinicianId: 't1', role: 'apprentice', clinician: qualified('t1'), now: NOW })
        .thenRefused('ALREADY_ASSIGNED');
      at(events)
        .when({
          type: 'AssignTherapist',
          teamId: TEAM,
          clinicianId: 'x',
          role: 'teacher',
          clinician: { ...qualified('x'), registered: false },
          now: NOW,
        })
        .thenRefused('CLINICIAN_NOT_REGISTERED');
    });

    it('removing a therapist (with a reason) breaks the staff rule until replaced (care-model §1 staff per team)', () => {
      const events = [planned('NEDTRAPNING'), assignedEvent('t', 'therapist')];
      const removed = at(events)
        .when({ type: 'RemoveTherapist', teamId: TEAM, clinicianId: 't', reason: 'Sick leave', now: NOW })
        .thenEvents();
      expect(removed).toEqual([
        { type: 'TherapistRemoved', data: { teamId: TEAM, clinicianId: 't', role: 'therapist', reason: 'Sick leave', removedAt: NOW } },
      ]);
      expect(staffRuleHolds(stateOf([...events, ...removed]), AFTER_FIRST)).toBe(false);
      at(events)
        .when({ type: 'RemoveTherapist', teamId: TEAM, clinicianId: 'zz', reason: 'x', now: NOW })
        .thenRefused('THERAPIST_NOT_ASSIGNED');
      at(events).when({ type: 'RemoveTherapist', teamId: TEAM, clinicianId: 't', reason: ' ', now: NOW }).thenRefused('REASON_REQUIRED');
    });
  });

  describe('seats', () => {
    const reserve = (courseId: string, facts = eligibleFor('NEDTRAPNING'), extra: object = {}) =>
      ({ type: 'ReserveSeat', teamId: TEAM, courseId, referralDate: '2024-12-01', facts, now: NOW, ...extra }) as const;

    it('reserves a seat for an eligible course; seats are per patient (care-model §1)', () => {
      at([planned('NEDTRAPNING')])
        .when(reserve('c1'))
        .then([reservedEvent('c1')]);
    });

    it('refuses NOT_ELIGIBLE naming every failed criterion (care-model §1: a refused enrolment names every criterion)', () => {
      const refusal = at([planned('TERAPIHOLD')])
        .when({
          ...reserve('c1'),
          facts: { ...ALL_CLEAR, programmesCompleted: ['FORSTAA_SMERTE'], acuteCrisis: true, needsInterpreter: undefined },
        })
        .thenRefused('NOT_ELIGIBLE');
      expect(refusal.failures.map((f) => f.code)).toEqual([
        'TH_COMPLETED_LIVET_MED_SMERTER',
        'TH_COMPLETED_STRESS_REDUCTION',
        'TH_ACUTE_CRISIS',
        'TH_NEEDS_INTERPRETER',
      ]);
      expect(refusal.failures[3].reason).toMatch(/^Not yet recorded: Does the patient need an interpreter\?/);
    });

    it('Nedtrapning has 5 seats: the sixth course is refused TEAM_FULL (care-model §1, seed 004 l.3277)', () => {
      const full = [planned('NEDTRAPNING'), ...['c1', 'c2', 'c3', 'c4', 'c5'].map((c) => reservedEvent(c))];
      at(full).when(reserve('c6')).thenRefused('TEAM_FULL');
    });

    it('a course is never twice on a team, on a seat or the waitlist (care-model §1: seats are per patient)', () => {
      at([planned('NEDTRAPNING'), reservedEvent('c1')])
        .when(reserve('c1'))
        .thenRefused('ALREADY_ON_TEAM');
      at([planned('NEDTRAPNING'), waitlistedEvent('c1', '2024-12-01')])
        .when(reserve('c1'))
        .thenRefused('ALREADY_WAITLISTED');
    });

    it('late joiners: no new patient once the first session has started (decision, programme.lateJoin)', () => {
      at([planned('NEDTRAPNING')])
        .when(reserve('c1', undefined, { now: '2025-02-03T12:59:00+01:00' }))
        .thenEvents();
      at([planned('NEDTRAPNING')])
        .when(reserve('c1', undefined, { now: '2025-02-03T13:00:00+01:00' }))
        .thenRefused('TEAM_CLOSED_FOR_LATE_JOINERS');
    });

    it('the late-join cut-off is per-programme data (e.g. closing 48 h before session 2)', () => {
      const catalogue: Catalogue = {
        ...defaultCatalogue,
        programmes: defaultCatalogue.programmes.map((p) =>
          p.code === 'LIVET_MED_SMERTER' ? { ...p, lateJoin: { sessionNumber: 2, hoursBefore: 48 } } : p,
        ),
      };
      const events = [planned('LIVET_MED_SMERTER', { catalogue })];
      at(events)
        .when(reserve('c1', eligibleFor('LIVET_MED_SMERTER'), { now: '2025-02-08T12:59:00+01:00' }))
        .thenEvents();
      at(events)
        .when(reserve('c1', eligibleFor('LIVET_MED_SMERTER'), { now: '2025-02-08T13:00:00+01:00' }))
        .thenRefused('TEAM_CLOSED_FOR_LATE_JOINERS');
    });

    it('a team can be closed for late joiners by hand, with a reason (decision: late joiners)', () => {
      const closed = at([planned('NEDTRAPNING')])
        .when({ type: 'CloseForLateJoiners', teamId: TEAM, reason: 'Group has formed', now: NOW })
        .thenEvents();
      expect(closed).toEqual([{ type: 'TeamClosedForLateJoiners', data: { teamId: TEAM, reason: 'Group has formed', closedAt: NOW } }]);
      at([planned('NEDTRAPNING'), ...closed])
        .when(reserve('c1'))
        .thenRefused('TEAM_CLOSED_FOR_LATE_JOINERS');
      at([planned('NEDTRAPNING'), ...closed])
        .when({ type: 'CloseForLateJoiners', teamId: TEAM, reason: 'again', now: NOW })
        .thenRefused('ALREADY_CLOSED');
    });

    it('Forstå smerte: 25 patients, each may bring one relative aged 18+ who takes no seat (care-model §1, seed 004 l.744, 759)', () => {
      const fs = eligibleFor('FORSTAA_SMERTE');
      let events: TeamEvent[] = [planned('FORSTAA_SMERTE')];
      for (let i = 1; i <= 25; i++) {
        events = [
          ...events,
          ...at(events)
            .when({ ...reserve(`c${i}`, fs), relatives: [{ age: 40 }] })
            .thenEvents(),
        ];
      }
      expect(stateOf(events).seats).toHaveLength(25);
      expect(stateOf(events).seats.every((s) => s.relatives === 1)).toBe(true);
      at(events).when(reserve('c26', fs)).thenRefused('TEAM_FULL');
      const young = at([planned('FORSTAA_SMERTE')])
        .when({ ...reserve('c1', fs), relatives: [{ age: 17 }] })
        .thenRefused('RELATIVE_NOT_ALLOWED');
      expect(young.failures.map((f) => f.code)).toEqual(['RELATIVE_UNDER_AGE']);
      const two = at([planned('FORSTAA_SMERTE')])
        .when({ ...reserve('c1', fs), relatives: [{ age: 40 }, { age: 15 }] })
        .thenRefused('RELATIVE_NOT_ALLOWED');
      expect(two.failures.map((f) => f.code)).toEqual(['TOO_MANY_RELATIVES', 'RELATIVE_UNDER_AGE']);
      const mbsr = at([planned('MBSR')])
        .when({ ...reserve('c1', eligibleFor('MBSR')), relatives: [{ age: 40 }] })
        .thenRefused('RELATIVE_NOT_ALLOWED');
      expect(mbsr.failures.map((f) => f.code)).toEqual(['RELATIVES_NOT_ALLOWED']);
    });

    it('a room may cap patients + relatives (decision: settings.roomPeopleCap, default no cap)', () => {
      const fs = eligibleFor('FORSTAA_SMERTE');
      let events: TeamEvent[] = [planned('FORSTAA_SMERTE', { room: { roomId: 'hall', seats: 25, maxPeople: 30 } })];
      for (let i = 1; i <= 15; i++)
        events = [
          ...events,
          ...at(events)
            .when({ ...reserve(`c${i}`, fs), relatives: [{ age: 30 }] })
            .thenEvents(),
        ];
      at(events).when(reserve('c16', fs)).thenRefused('ROOM_FULL');
      const capped = planned('FORSTAA_SMERTE', { catalogue: withSettings({ roomPeopleCap: 40 }) });
      expect(capped.type === 'TeamPlanned' && capped.data.room.maxPeople).toBe(40);
    });

    it('releases a seat with a reason (care-model §3: the reason is always recorded)', () => {
      at([planned('NEDTRAPNING'), reservedEvent('c1')])
        .when({ type: 'ReleaseSeat', teamId: TEAM, courseId: 'c1', reason: 'Dropped out', now: NOW })
        .then([{ type: 'SeatReleased', data: { teamId: TEAM, courseId: 'c1', reason: 'Dropped out', releasedAt: NOW } }]);
      at([planned('NEDTRAPNING')])
        .when({ type: 'ReleaseSeat', teamId: TEAM, courseId: 'c1', reason: 'x', now: NOW })
        .thenRefused('SEAT_NOT_FOUND');
      at([planned('NEDTRAPNING'), reservedEvent('c1')])
        .when({ type: 'ReleaseSeat', teamId: TEAM, courseId: 'c1', reason: '', now: NOW })
        .thenRefused('REASON_REQUIRED');
    });
  });

  describe('waitlist and offers', () => {
    const full = [planned('NEDTRAPNING'), ...['c1', 'c2', 'c3', 'c4', 'c5'].map((c) => reservedEvent(c))];
    const join = (courseId: string, referralDate: string, now = NOW) =>
      ({ type: 'JoinWaitlist', teamId: TEAM, courseId, referralDate, facts: eligibleFor('NEDTRAPNING'), now }) as const;
    const release = (courseId: string, now = NOW) => ({ type: 'ReleaseSeat', teamId: TEAM, courseId, reason: 'Dropped out', now }) as const;

    it('a full team takes eligible courses on its waitlist; a free seat is reserved instead (care-model §4: the secretary rebooks)', () => {
      at(full)
        .when(join('w1', '2024-11-01'))
        .then([waitlistedEvent('w1', '2024-11-01')]);
      at([planned('NEDTRAPNING')])
        .when(join('w1', '2024-11-01'))
        .thenRefused('SEAT_AVAILABLE');
      at(full)
        .when({ ...join('w1', '2024-11-01'), facts: { ...ALL_CLEAR, substanceAbuse: true } })
        .thenRefused('NOT_ELIGIBLE');
    });

    it('the waitlist is fair: referral date first, ties by time joined (care-model §6 waiting time from referral; decision settings.waitlist.tieBreak)', () => {
      const events = [
        ...full,
        waitlistedEvent('late-ref', '2024-12-01', '2025-01-06T09:00:00+01:00'),
        waitlistedEvent('tie-second', '2024-11-01', '2025-01-06T11:00:00+01:00'),
        waitlistedEvent('tie-first', '2024-11-01', '2025-01-06T10:00:00+01:00'),
      ];
      expect(stateOf(events).waitlist.map((w) => w.courseId)).toEqual(['tie-first', 'tie-second', 'late-ref']);
      const byId = [
        {
          ...full[0],
          data: {
            ...(full[0].data as object),
            rules: { ...(full[0] as { data: { rules: object } }).data.rules, waitlistTieBreak: 'courseId' },
          },
        } as TeamEvent,
        ...events.slice(1),
      ];
      expect(stateOf(byId).waitlist.map((w) => w.courseId)).toEqual(['tie-first', 'tie-second', 'late-ref']);
      const reversedIds = [
        byId[0],
        ...full.slice(1),
        waitlistedEvent('b', '2024-11-01', '2025-01-06T09:00:00+01:00'),
        waitlistedEvent('a', '2024-11-01', '2025-01-06T10:00:00+01:00'),
      ];
      expect(stateOf(reversedIds).waitlist.map((w) => w.courseId)).toEqual(['a', 'b']);
    });

    it('a freed seat is offered to the first in line, held for 48 hours (care-model §4 rebooking cancellations; decision settings.offerHoldHours)', () => {
      const events = [...full, waitlistedEvent('w-late', '2024-12-01'), waitlistedEvent('w-early', '2024-10-01')];
      at(events)
        .when(release('c1', '2025-01-10T09:00:00+01:00'))
        .then([
          { type: 'SeatReleased', data: { teamId: TEAM, courseId: 'c1', reason: 'Dropped out', releasedAt: '2025-01-10T09:00:00+01:00' } },
          {
            type: 'SeatOffered',
            data: { teamId: TEAM, courseId: 'w-early', offeredAt: '2025-01-10T09:00:00+01:00', expiresAt: '2025-01-12T09:00:00+01:00' },
          },
        ]);
    });

    it('confirming an offer reserves the seat; an expired offer cannot be confirmed', () => {
      const offered = [
        ...full,
        waitlistedEvent('w1', '2024-10-01'),
        ...at([...full, waitlistedEvent('w1', '2024-10-01')])
          .when(release('c1'))
          .thenEvents(),
      ];
      const accepted = at(offered)
        .when({
          type: 'AcceptSeatOffer',
          teamId: TEAM,
          courseId: 'w1',
          facts: eligibleFor('NEDTRAPNING'),
          now: '2025-01-07T09:00:00+01:00',
        })
        .thenEvents();
      expect(accepted).toEqual([
        { type: 'SeatOfferAccepted', data: { teamId: TEAM, courseId: 'w1', acceptedAt: '2025-01-07T09:00:00+01:00' } },
        {
          type: 'SeatReserved',
          data: {
            teamId: TEAM,
            courseId: 'w1',
            referralDate: '2024-10-01',
            relatives: 0,
            via: 'offer',
            reservedAt: '2025-01-07T09:00:00+01:00',
          },
        },
      ]);
      const after = stateOf([...offered, ...accepted]);
      expect([after.seats.length, after.waitlist.length, after.offers.length]).toEqual([5, 0, 0]);
      at(offered)
        .when({
          type: 'AcceptSeatOffer',
          teamId: TEAM,
          courseId: 'w1',
          facts: eligibleFor('NEDTRAPNING'),
          now: '2025-01-08T09:00:00+01:00',
        })
        .thenRefused('OFFER_EXPIRED');
      at(offered)
        .when({ type: 'AcceptSeatOffer', teamId: TEAM, courseId: 'w1', facts: { ...ALL_CLEAR, inOpioidTreatment: false }, now: NOW })
        .thenRefused('NOT_ELIGIBLE');
      at(offered).when({ type: 'AcceptSeatOffer', teamId: TEAM, courseId: 'zz', facts: ALL_CLEAR, now: NOW }).thenRefused('NO_OFFER');
    });

    it('a declined offer goes to the next in line (decline removes the course from the waitlist)', () => {
      const base = [...full, waitlistedEvent('w1', '2024-10-01'), waitlistedEvent('w2', '2024-11-01')];
      const offered = [...base, ...at(base).when(release('c1')).thenEvents()];
      at(offered)
        .when({ type: 'DeclineSeatOffer', teamId: TEAM, courseId: 'w1', reason: 'Cannot on Mondays', now: NOW })
        .then([
          { type: 'SeatOfferDeclined', data: { teamId: TEAM, courseId: 'w1', reason: 'Cannot on Mondays', declinedAt: NOW } },
          { type: 'SeatOffered', data: { teamId: TEAM, courseId: 'w2', offeredAt: NOW, expiresAt: '2025-01-08T09:00:00+01:00' } },
        ]);
    });

    it('an expired offer goes to the next in line; nothing due means no events', () => {
      const base = [...full, waitlistedEvent('w1', '2024-10-01'), waitlistedEvent('w2', '2024-11-01')];
      const offered = [...base, ...at(base).when(release('c1')).thenEvents()];
      at(offered).when({ type: 'ExpireSeatOffers', teamId: TEAM, now: '2025-01-07T09:00:00+01:00' }).then([]);
      at(offered)
        .when({ type: 'ExpireSeatOffers', teamId: TEAM, now: '2025-01-08T09:00:00+01:00' })
        .then([
          {
            type: 'SeatOfferExpired',
            data: { teamId: TEAM, courseId: 'w1', expiresAt: '2025-01-08T09:00:00+01:00', expiredAt: '2025-01-08T09:00:00+01:00' },
          },
          {
            type: 'SeatOffered',
            data: { teamId: TEAM, courseId: 'w2', offeredAt: '2025-01-08T09:00:00+01:00', expiresAt: '2025-01-10T09:00:00+01:00' },
          },
        ]);
    });

    it('without automatic offers, waiting courses still come first and the secretary offers by hand', () => {
      const manual = withSettings({ waitlist: { tieBreak: 'joinedAt', autoOfferFreedSeats: false } });
      const base = [
        planned('NEDTRAPNING', { catalogue: manual }),
        ...['c1', 'c2', 'c3', 'c4', 'c5'].map((c) => reservedEvent(c)),
        waitlistedEvent('w1', '2024-10-01'),
      ];
      const released = at(base).when(release('c1')).thenEvents();
      expect(released.map((e) => e.type)).toEqual(['SeatReleased']);
      const events = [...base, ...released];
      at(events)
        .when({
          type: 'ReserveSeat',
          teamId: TEAM,
          courseId: 'new',
          referralDate: '2024-01-01',
          facts: eligibleFor('NEDTRAPNING'),
          now: NOW,
        })
        .thenRefused('WAITLIST_HAS_PRIORITY');
      const offer = at(events).when({ type: 'OfferSeat', teamId: TEAM, now: NOW }).thenEvents();
      expect(offer).toEqual([
        { type: 'SeatOffered', data: { teamId: TEAM, courseId: 'w1', offeredAt: NOW, expiresAt: '2025-01-08T09:00:00+01:00' } },
      ]);
      at([...events, ...offer])
        .when({ type: 'OfferSeat', teamId: TEAM, now: NOW })
        .thenRefused('TEAM_FULL');
      at(base).when({ type: 'OfferSeat', teamId: TEAM, now: NOW }).thenRefused('TEAM_FULL');
      at([planned('NEDTRAPNING')])
        .when({ type: 'OfferSeat', teamId: TEAM, now: NOW })
        .thenRefused('WAITLIST_EMPTY');
    });

    it('a course can leave the waitlist; its open offer then goes to the next (decision settings.waitlist.autoOfferFreedSeats)', () => {
      const base = [...full, waitlistedEvent('w1', '2024-10-01'), waitlistedEvent('w2', '2024-11-01')];
      const offered = [...base, ...at(base).when(release('c1')).thenEvents()];
      const left = at(offered).when({ type: 'LeaveWaitlist', teamId: TEAM, courseId: 'w1', reason: 'Moved away', now: NOW }).thenEvents();
      expect(left.map((e) => e.type)).toEqual(['CourseLeftWaitlist', 'SeatOffered']);
      at(base).when({ type: 'LeaveWaitlist', teamId: TEAM, courseId: 'zz', reason: 'x', now: NOW }).thenRefused('NOT_ON_WAITLIST');
    });
  });

  describe('sessions and attendance', () => {
    const staffed = [planned('NEDTRAPNING'), assignedEvent('t', 'therapist'), reservedEvent('c1'), reservedEvent('c2')];

    it('records attendance per session once it has started: attended / no-show (care-model §1 attendance list)', () => {
      at(staffed)
        .when({
          type: 'RecordAttendance',
          teamId: TEAM,
          sessionKey: 'S1',
          entries: [
            { courseId: 'c1', status: 'attended' },
            { courseId: 'c2', status: 'noShow' },
          ],
          now: AFTER_FIRST,
        })
        .then([
          {
            type: 'AttendanceRecorded',
            data: {
              teamId: TEAM,
              sessionKey: 'S1',
              entries: [
                { courseId: 'c1', status: 'attended', relativesPresent: 0 },
                { courseId: 'c2', status: 'noShow', relativesPresent: 0 },
              ],
              recordedAt: AFTER_FIRST,
            },
          },
        ]);
      at(staffed)
        .when({ type: 'RecordAttendance', teamId: TEAM, sessionKey: 'S1', entries: [{ courseId: 'c1', status: 'attended' }], now: NOW })
        .thenRefused('SESSION_NOT_STARTED');
      at(staffed)
        .when({
          type: 'RecordAttendance',
          teamId: TEAM,
          sessionKey: 'S9',
          entries: [{ courseId: 'c1', status: 'attended' }],
          now: AFTER_FIRST,
        })
        .thenRefused('SESSION_NOT_FOUND');
      const stranger = at(staffed)
        .when({
          type: 'RecordAttendance',
          teamId: TEAM,
          sessionKey: 'S1',
          entries: [{ courseId: 'zz', status: 'attended' }],
          now: AFTER_FIRST,
        })
        .thenRefused('COURSE_NOT_ON_TEAM');
      expect(stranger.failures).toHaveLength(1);
    });

    it('a session may not be held while the staff rule is not met (care-model §1 staff per team)', () => {
      const unstaffed = [planned('HA'), assignedEvent('t1', 'teacher'), assignedEvent('a', 'apprentice'), reservedEvent('c1')];
      const refusal = at(unstaffed)
        .when({
          type: 'RecordAttendance',
          teamId: TEAM,
          sessionKey: 'S1',
          entries: [{ courseId: 'c1', status: 'attended' }],
          now: AFTER_FIRST,
        })
        .thenRefused('STAFF_RULE_NOT_MET');
      expect(refusal.failures).toEqual([
        { code: 'STAFF_TEACHER_MISSING', reason: expect.stringContaining('needs 2 teachers; 1 is assigned') as string },
      ]);
    });

    it('relatives at Forstå smerte take no seat but are counted on attendance (care-model §1)', () => {
      const events = [
        planned('FORSTAA_SMERTE'),
        assignedEvent('p', 'primary'),
        assignedEvent('s', 'secondary'),
        reservedEvent('c1', '2024-12-01', 1),
        reservedEvent('c2'),
      ];
      const recorded = at(events)
        .when({
          type: 'RecordAttendance',
          teamId: TEAM,
          sessionKey: 'S1',
          entries: [
            { courseId: 'c1', status: 'attended', relativesPresent: 1 },
            { courseId: 'c2', status: 'attended' },
          ],
          now: AFTER_FIRST,
        })
        .thenEvents();
      expect(attendanceCount(stateOf([...events, ...recorded]).sessions[0])).toEqual({ patients: 2, relatives: 1 });
      const tooMany = at(events)
        .when({
          type: 'RecordAttendance',
          teamId: TEAM,
          sessionKey: 'S1',
          entries: [{ courseId: 'c1', status: 'attended', relativesPresent: 2 }],
          now: AFTER_FIRST,
        })
        .thenRefused('RELATIVE_NOT_ALLOWED');
      expect(tooMany.failures.map((f) => f.code)).toEqual(['TOO_MANY_RELATIVES']);
      const elsewhere = at(staffed)
        .when({
          type: 'RecordAttendance',
          teamId: TEAM,
          sessionKey: 'S1',
          entries: [{ courseId: 'c1', status: 'attended', relativesPresent: 1 }],
          now: AFTER_FIRST,
        })
        .thenRefused('RELATIVE_NOT_ALLOWED');
      expect(elsewhere.failures.map((f) => f.code)).toEqual(['RELATIVES_NOT_ALLOWED']);
    });

    it('cancels a session with a reason; a cancelled session takes no attendance (care-model §4: afbudstider)', () => {
      const cancelled = at(staffed)
        .when({ type: 'CancelSession', teamId: TEAM, sessionKey: 'S2', reason: 'Therapist ill', now: NOW })
        .thenEvents();
      expect(cancelled).toEqual([
        { type: 'SessionCancelled', data: { teamId: TEAM, sessionKey: 'S2', reason: 'Therapist ill', cancelledAt: NOW } },
      ]);
      at([...staffed, ...cancelled])
        .when({
          type: 'RecordAttendance',
          teamId: TEAM,
          sessionKey: 'S2',
          entries: [{ courseId: 'c1', status: 'attended' }],
          now: '2025-02-17T14:00:00+01:00',
        })
        .thenRefused('SESSION_CANCELLED');
      at([...staffed, ...cancelled])
        .when({ type: 'CancelSession', teamId: TEAM, sessionKey: 'S2', reason: 'x', now: NOW })
        .thenRefused('SESSION_CANCELLED');
    });

    it('moves a session to a new time and room, refusing a room too small for the seats taken (care-model §4: ombooking)', () => {
      const moved = at(staffed)
        .when({
          type: 'MoveSession',
          teamId: TEAM,
          sessionKey: 'S2',
          startsAt: '2025-02-18T10:00:00+01:00',
          room: { roomId: 'b', seats: 6 },
          reason: 'Room booked',
          now: NOW,
        })
        .thenEvents();
      expect(moved).toEqual([
        {
          type: 'SessionMoved',
          data: {
            teamId: TEAM,
            sessionKey: 'S2',
            from: { startsAt: '2025-02-17T13:00:00+01:00', roomId: 'room-a' },
            startsAt: '2025-02-18T10:00:00+01:00',
            endsAt: '2025-02-18T12:30:00+01:00',
            room: { roomId: 'b', seats: 6, maxPeople: null },
            reason: 'Room booked',
            movedAt: NOW,
          },
        },
      ]);
      expect(session([...staffed, ...moved], 'S2').startsAt).toBe('2025-02-18T10:00:00+01:00');
      at(staffed)
        .when({
          type: 'MoveSession',
          teamId: TEAM,
          sessionKey: 'S2',
          startsAt: '2025-02-18T10:00:00+01:00',
          room: { roomId: 'b', seats: 1 },
          reason: 'x',
          now: NOW,
        })
        .thenRefused('ROOM_TOO_SMALL');
      at(staffed)
        .when({ type: 'MoveSession', teamId: TEAM, sessionKey: 'S2', startsAt: '2024-02-18T10:00:00+01:00', reason: 'x', now: NOW })
        .thenRefused('SESSION_IN_PAST');
    });

    it('moving the first session moves the late-join cut-off with it (decision: programme.lateJoin reads the current session time)', () => {
      const moved = at(staffed)
        .when({ type: 'MoveSession', teamId: TEAM, sessionKey: 'S1', startsAt: '2025-02-05T13:00:00+01:00', reason: 'Holiday', now: NOW })
        .thenEvents();
      at([...staffed, ...moved])
        .when({
          type: 'ReserveSeat',
          teamId: TEAM,
          courseId: 'c3',
          referralDate: '2024-12-01',
          facts: eligibleFor('NEDTRAPNING'),
          now: '2025-02-04T13:00:00+01:00',
        })
        .thenEvents();
    });

    it('a teacher whose MBSR retreat lapses before a moved session no longer counts as staff then (care-model §1 decision)', () => {
      const events = [
        planned('MBSR'),
        assignedEvent('t1', 'teacher', '2025-04-10T00:00:00+02:00'),
        assignedEvent('t2', 'teacher'),
        reservedEvent('c1'),
      ];
      expect(staffRuleHolds(stateOf(events), '2025-03-31T13:00:00+02:00')).toBe(true);
      const moved = at(events)
        .when({ type: 'MoveSession', teamId: TEAM, sessionKey: 'S9', startsAt: '2025-04-14T13:00:00+02:00', reason: 'Easter', now: NOW })
        .thenEvents();
      at([...events, ...moved])
        .when({
          type: 'RecordAttendance',
          teamId: TEAM,
          sessionKey: 'S9',
          entries: [{ courseId: 'c1', status: 'attended' }],
          now: '2025-04-14T13:10:00+02:00',
        })
        .thenRefused('STAFF_RULE_NOT_MET');
    });
  });
});
