import { defaultCatalogue, toMillis, type PlannedTeam } from '#app/domain';
import { eligibleFor } from '../../libs/domain/src/team/testing/team.fixtures.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp } from '../support/test-app.js';
import { localTime, safeId, staff, World } from './read-side-world.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

/**
 * One patient course from referral to closing talk (and a second patient alongside), written through the
 * real deciders and DeciderStore, with the roster, the calendars, the team board and the reports read over
 * HTTP at each stage, then the object-level access rules of every roster and calendar route.
 * Times: a future timeline (2030) so no clock-driven job (offer expiry) acts on it; deadlines are judged
 * with ?at= where the stage needs a particular "now".
 */
const targets = await testDatabaseTargets();
const BASE = '2030-01-07'; // a Monday
const at = (day: number, time: string) => localTime(BASE, day, time);
const dateOf = (day: number) => at(day, '12:00').slice(0, 10);
const q = (day: number, time: string) => encodeURIComponent(at(day, time));

describeForEachDatabase(targets, 'read side through a full course', (target) => {
  let w: World;
  const A = safeId();
  const B = safeId();
  const fs = safeId();
  const lms = safeId();
  const mbsr = safeId();
  const other = 'senfoelgeklinik';
  let lmsTeam: PlannedTeam;
  let stressEnd: string;
  let endDay: number;

  beforeAll(async () => {
    w = new World(await startTestApp(target));
  });
  afterAll(() => closeIfStarted(w));

  const both = async (fn: (courseId: string, i: number) => Promise<void>) => {
    await fn(A, 0);
    await fn(B, 1);
  };
  const seat = async (teamId: string, programme: string, courseId: string, now: string) => {
    await w.team(teamId, { type: 'ReserveSeat', courseId, referralDate: at(0, '09:00'), facts: eligibleFor(programme), now });
    await w.course(courseId, { type: 'RecordSeatBooked', teamId, programme, now });
    // let the enrolment process manager record the seat on the course before the course moves on: a late
    // follow-up after the step is completed is refused by the course and the team then gives the seat up
    await w.settle();
  };

  it('stage 1: teams planned and staffed, two referrals accepted, first talk held, Forstå smerte held, microteams formed', async () => {
    for (const id of ['doc-1', 'doc-2', 'nurse-1']) await w.registerClinician(id, at(0, '07:00'));
    const plan = (teamId: string, programmeCode: string, day: number, time: string, roomId: string, seats: number) =>
      w.team(teamId, {
        type: 'PlanTeam',
        catalogue: defaultCatalogue,
        programmeCode,
        room: { roomId, seats },
        startsOn: dateOf(day),
        startTime: time,
        now: at(0, '08:00'),
      });
    await plan(fs, 'FORSTAA_SMERTE', 14, '13:00', 'room-fs', 30);
    lmsTeam = await plan(lms, 'LIVET_MED_SMERTER', 30, '13:00', 'room-lms', 16);
    await plan(mbsr, 'MBSR', 70, '09:00', 'room-mbsr', 1);
    const assign = (teamId: string, clinicianId: string, role: string) =>
      w.team(teamId, { type: 'AssignTherapist', clinicianId, role, clinician: staff(clinicianId), now: at(0, '08:30') });
    await assign(fs, 'th-fs1', 'primary');
    await assign(fs, 'th-fs2', 'secondary');
    await assign(lms, 'th-lms1', 'teacher');
    await assign(lms, 'th-lms2', 'teacher');
    await assign(mbsr, 'th-m1', 'teacher');
    await assign(mbsr, 'th-m2', 'teacher');

    await both(async (c, i) => {
      await w.referral(c, `p-${i === 0 ? 'a' : 'b'}-${c.slice(0, 6)}`, at(0, i === 0 ? '09:00' : '09:05'), at(1, '10:00'));
      await w.course(c, { type: 'ScheduleStep', stepCode: 'KORT_PRIMAERSAMTALE', at: at(7, '10:00'), now: at(1, '11:00') });
      await w.course(c, { type: 'CompleteStep', stepCode: 'KORT_PRIMAERSAMTALE', completedAt: at(7, '10:15'), now: at(7, '10:20') });
      await seat(fs, 'FORSTAA_SMERTE', c, at(7, '11:00'));
      await w.course(c, {
        type: 'ScheduleStep',
        stepCode: 'FORSTAA_SMERTE',
        teamId: fs,
        at: at(14, '13:00'),
        endsAt: at(14, '14:30'),
        now: at(7, '11:01'),
      });
      await w.course(c, { type: 'CompleteStep', stepCode: 'FORSTAA_SMERTE', completedAt: at(14, '14:30'), now: at(14, '15:00') });
      await w.course(c, { type: 'AssignMicroteamMember', clinicianId: i === 0 ? 'doc-1' : 'doc-2', role: 'PAL', now: at(14, '15:10') });
      await w.course(c, {
        type: 'AssignMicroteamMember',
        clinicianId: i === 0 ? 'nurse-1' : 'nurse-2',
        role: 'CONTACT_NURSE',
        now: at(14, '15:11'),
      });
    });
    await w.settle();

    const res = await w.get(`/me/roster?at=${q(15, '10:00')}`, ['clinician'], 'doc-1');
    expect(res.status).toBe(200);
    expect(res.body.courses).toHaveLength(1);
    expect(res.body.courses[0]).toMatchObject({
      courseId: A,
      status: 'active',
      roles: ['PAL'],
      pathwayStep: { stepCode: 'FORSTAA_SMERTE', status: 'completed' },
      nextStep: { stepCode: 'LANG_PRIMAERSAMTALE', window: { from: dateOf(21), to: dateOf(28) } },
      nextAppointment: null,
      openItems: [],
    });
    // the same stored state judged at later moments: the deadline is read, not frozen
    const closing = await w.get(`/clinicians/doc-1/roster?at=${q(26, '08:00')}`, ['secretary']);
    expect(closing.body.courses[0].openItems).toEqual([
      expect.objectContaining({ code: 'STEP_WINDOW_CLOSING', stepCode: 'LANG_PRIMAERSAMTALE', dueBy: dateOf(28) }),
    ]);
    const missed = await w.get(`/clinicians/doc-1/roster?at=${q(29, '08:00')}`, ['admin']);
    expect(missed.body.courses[0].openItems.map((i: { code: string }) => i.code)).toEqual(['STEP_WINDOW_MISSED']);
    const nurse = await w.get('/me/roster', ['clinician'], 'nurse-1');
    expect(nurse.body.courses.map((c: { courseId: string; roles: string[] }) => [c.courseId, c.roles])).toEqual([[A, ['CONTACT_NURSE']]]);
  });

  it('stage 2: the long first talk booked as a step and as an appointment; a social visitation booked and cancelled', async () => {
    await both((c) => w.course(c, { type: 'ScheduleStep', stepCode: 'LANG_PRIMAERSAMTALE', at: at(23, '09:00'), now: at(15, '09:00') }));
    const patientA = (await w.get(`/clinicians/doc-1/roster`, ['clinician'], 'doc-1')).body.courses[0].patientId as string;
    const appointment = (appointmentId: string, intervention: string, day: number, clinicianIds: string[]) =>
      w.schedule(patientA, {
        type: 'ReserveSlot',
        appointmentId,
        kind: 'appointment',
        resource: { kind: 'patient', id: patientA },
        start: at(day, '09:00'),
        end: at(day, '11:30'),
        courseId: A,
        intervention,
        clinicianIds,
        roomId: 'room-consult',
        now: at(15, '09:05'),
        timeZone: 'Europe/Copenhagen',
      });
    await appointment('appt-lang-a', 'LANG_PRIMAERSAMTALE', 23, ['doc-1', 'nurse-1']);
    await appointment('appt-social-a', 'SOCIAL_VISITATION', 33, ['doc-1']);
    await w.schedule(patientA, { type: 'ReleaseSlot', appointmentId: 'appt-social-a', reason: 'Patient ill', now: at(32, '09:00') });

    const res = await w.get(`/me/roster?at=${q(15, '10:00')}`, ['clinician'], 'doc-1');
    expect(res.body.courses[0].pathwayStep).toMatchObject({ stepCode: 'LANG_PRIMAERSAMTALE', status: 'scheduled' });
    expect(res.body.courses[0].nextAppointment).toMatchObject({
      uid: 'appointment:appt-lang-a',
      kind: 'appointment',
      startsAt: at(23, '09:00'),
      roomId: 'room-consult',
    });
    const cal = await w.get(`/calendars/clinicians/doc-1?from=${q(20, '00:00')}&to=${q(40, '00:00')}`, ['clinician'], 'doc-1');
    expect(cal.status).toBe(200);
    expect(cal.body.entries.map((e: Record<string, unknown>) => [e.uid, e.status, e.sequence, e.courseIds])).toEqual([
      ['appointment:appt-lang-a', 'confirmed', 0, [A]],
      ['appointment:appt-social-a', 'cancelled', 1, [A]],
    ]);
    expect(cal.body.entries[1]).toMatchObject({ cancelReason: 'Patient ill', clinicianIds: ['doc-1'] });
  });

  it('stage 3: after the long first talk both courses need Living with pain; the outlook sets them against the planned team', async () => {
    await both((c) =>
      w.course(c, { type: 'CompleteStep', stepCode: 'LANG_PRIMAERSAMTALE', completedAt: at(23, '11:30'), now: at(23, '12:00') }),
    );
    const res = await w.get(`/capacity-outlook?from=${dateOf(21)}&to=${dateOf(34)}&programme=LIVET_MED_SMERTER`, ['secretary']);
    expect(res.status).toBe(200);
    const [programme] = res.body.programmes;
    expect(programme.programme).toBe('LIVET_MED_SMERTER');
    expect(
      programme.weeks.map((x: Record<string, unknown>) => [x.week, x.teams, x.seatsPlanned, x.seatsFree, x.patientsNeeding, x.balance]),
    ).toEqual([
      ['2030-W05', 0, 0, 0, 2, -2],
      ['2030-W06', 1, 16, 16, 0, 16],
    ]);
  });

  it('stage 4: Living with pain booked, one session moved and one cancelled: calendars keep both with a higher sequence', async () => {
    await both(async (c) => {
      await seat(lms, 'LIVET_MED_SMERTER', c, at(23, '12:10'));
      await w.course(c, {
        type: 'ScheduleStep',
        stepCode: 'LIVET_MED_SMERTER',
        teamId: lms,
        at: at(30, '13:00'),
        endsAt: at(51, '15:00'),
        now: at(23, '12:11'),
      });
    });
    const [s1, s2, s3, s4] = lmsTeam.sessions.map((s) => s.key);
    await w.team(lms, {
      type: 'MoveSession',
      sessionKey: s2,
      startsAt: at(38, '13:00'),
      room: { roomId: 'room-lms-b', seats: 16 },
      reason: 'Room taken',
      now: at(24, '09:00'),
    });
    await w.team(lms, { type: 'CancelSession', sessionKey: s3, reason: 'Teacher ill', now: at(40, '08:00') });
    await w.settle();

    const range = `from=${q(28, '00:00')}&to=${q(56, '00:00')}`;
    const team = await w.get(`/calendars/teams/${lms}?${range}`, ['secretary']);
    expect(team.status).toBe(200);
    expect(team.body.entries.map((e: Record<string, unknown>) => [e.uid, e.status, e.sequence, e.startsAt, e.roomId])).toEqual([
      [`session:${lms}:${s1}`, 'confirmed', 0, at(30, '13:00'), 'room-lms'],
      [`session:${lms}:${s2}`, 'confirmed', 1, at(38, '13:00'), 'room-lms-b'],
      [`session:${lms}:${s3}`, 'cancelled', 1, at(44, '13:00'), 'room-lms'],
      [`session:${lms}:${s4}`, 'confirmed', 0, at(51, '13:00'), 'room-lms'],
    ]);
    expect(team.body.entries[0]).toMatchObject({
      kind: 'team-session',
      sessionNumber: 1,
      programme: 'LIVET_MED_SMERTER',
      clinicianIds: ['th-lms1', 'th-lms2'],
      courseIds: [A, B].sort(),
    });
    expect(team.body.entries[2].cancelReason).toBe('Teacher ill');
    const therapist = await w.get(`/calendars/clinicians/th-lms1?${range}`, ['clinician'], 'th-lms1');
    expect(therapist.body.entries).toHaveLength(4);
    expect(therapist.body.entries[0].courseIds).toEqual([A, B].sort()); // takes part: sees who is on the team
    const roomB = await w.get(`/calendars/rooms/room-lms-b?${range}`, ['secretary']);
    expect(roomB.body.entries.map((e: { uid: string }) => e.uid)).toEqual([`session:${lms}:${s2}`]);
    const room = await w.get(`/calendars/rooms/room-lms?${range}&includeCancelled=false`, ['secretary']);
    expect(room.body.entries.map((e: { uid: string }) => e.uid)).toEqual([`session:${lms}:${s1}`, `session:${lms}:${s4}`]);

    const board = await w.get(`/teams/${lms}/board`, ['clinician'], 'doc-1');
    expect(board.status).toBe(200);
    expect(board.body.seats).toMatchObject({ capacity: 16, taken: 2, free: 14 });
    expect(board.body.seats.reserved.map((s: { courseId: string | null }) => s.courseId)).toEqual([A, null]); // B is not doc-1's patient
    expect(board.body.staffRule).toMatchObject({ holds: true, failures: [], roles: [{ role: 'teacher', required: 2, assigned: 2 }] });
    expect(board.body.sessions.map((s: { status: string }) => s.status)).toEqual(['planned', 'planned', 'cancelled', 'planned']);
  });

  it('stage 5: the stress-reduction team is full, A waits, B gives the seat up, A is offered it and takes it', async () => {
    await both(async (c) => {
      await w.course(c, { type: 'CompleteStep', stepCode: 'LIVET_MED_SMERTER', completedAt: at(51, '15:00'), now: at(51, '15:30') });
      await w.course(c, { type: 'ScheduleStep', stepCode: 'NURSE_FOLLOWUP_1', at: at(59, '10:00'), now: at(52, '09:00') });
      await w.course(c, { type: 'ChooseOption', stepCode: 'STRESS_REDUCTION', option: 'MBSR', now: at(59, '10:30') });
      await w.course(c, { type: 'CompleteStep', stepCode: 'NURSE_FOLLOWUP_1', completedAt: at(59, '10:45'), now: at(59, '10:50') });
    });
    await seat(mbsr, 'MBSR', B, at(59, '10:55'));
    await w.team(mbsr, {
      type: 'JoinWaitlist',
      courseId: A,
      referralDate: at(0, '09:00'),
      facts: eligibleFor('MBSR'),
      now: at(59, '11:00'),
    });
    await w.course(A, { type: 'RecordWaitlisted', teamId: mbsr, programme: 'MBSR', now: at(59, '11:00') });
    await w.settle();

    const roster = await w.get(`/me/roster?at=${q(59, '12:00')}`, ['clinician'], 'nurse-1');
    expect(roster.body.courses[0].openItems).toEqual([
      expect.objectContaining({ code: 'WAITING_FOR_SEAT', programme: 'MBSR', teamId: mbsr }),
    ]);
    let board = await w.get(`/teams/${mbsr}/board`, ['secretary']);
    expect(board.body).toMatchObject({ seats: { capacity: 1, taken: 1, free: 0 }, offersOutstanding: 0, staffRule: { holds: true } });
    expect(board.body.seats.reserved.map((s: { courseId: string }) => s.courseId)).toEqual([B]);
    expect(board.body.waitlist).toEqual([expect.objectContaining({ position: 1, courseId: A, offer: null })]);

    await w.team(mbsr, { type: 'ReleaseSeat', courseId: B, reason: 'Prefers a later team', now: at(60, '09:00') });
    await w.course(B, {
      type: 'RecordSeatReleased',
      teamId: mbsr,
      programme: 'MBSR',
      reason: 'Prefers a later team',
      now: at(60, '09:00'),
    });
    await w.settle();
    board = await w.get(`/teams/${mbsr}/board`, ['secretary']);
    expect(board.body).toMatchObject({ seats: { taken: 1, free: 0, reserved: [] }, offersOutstanding: 1 });
    expect(board.body.waitlist).toEqual([
      expect.objectContaining({ courseId: A, offer: expect.objectContaining({ expiresAt: at(62, '09:00'), lapsed: false }) }),
    ]);

    const team = await w.team(mbsr, { type: 'AcceptSeatOffer', courseId: A, facts: eligibleFor('MBSR'), now: at(60, '10:00') });
    await w.course(A, { type: 'RecordSeatBooked', teamId: mbsr, programme: 'MBSR', now: at(60, '10:00') });
    stressEnd = present(
      team.sessions
        .map((s) => s.endsAt)
        .sort((a, b) => toMillis(a) - toMillis(b))
        .at(-1),
    );
    await w.course(A, {
      type: 'ScheduleStep',
      stepCode: 'STRESS_REDUCTION',
      teamId: mbsr,
      at: at(70, '09:00'),
      endsAt: stressEnd,
      now: at(60, '10:01'),
    });
    await w.settle();
    board = await w.get(`/teams/${mbsr}/board`, ['clinician'], 'th-m1');
    expect(board.body).toMatchObject({ seats: { taken: 1, free: 0 }, offersOutstanding: 0, waitlist: [] });
    expect(board.body.seats.reserved.map((s: { courseId: string }) => s.courseId)).toEqual([A]);
  });

  it('stage 6: to the closing talk and the end; the course calendar holds the whole course once', async () => {
    endDay = Math.round((toMillis(stressEnd) - toMillis(at(0, '12:00'))) / 86_400_000);
    await w.course(A, { type: 'CompleteStep', stepCode: 'STRESS_REDUCTION', completedAt: stressEnd, now: at(endDay, '15:00') });
    await w.course(A, { type: 'ScheduleStep', stepCode: 'NURSE_FOLLOWUP_2', at: at(endDay + 7, '10:00'), now: at(endDay + 1, '09:00') });
    await w.course(A, {
      type: 'CompleteStep',
      stepCode: 'NURSE_FOLLOWUP_2',
      completedAt: at(endDay + 7, '10:45'),
      now: at(endDay + 7, '11:00'),
    });
    await w.course(A, { type: 'ScheduleStep', stepCode: 'CONFERENCE', at: at(endDay + 14, '09:00'), now: at(endDay + 7, '11:10') });
    await w.course(A, {
      type: 'CompleteStep',
      stepCode: 'CONFERENCE',
      completedAt: at(endDay + 14, '11:30'),
      now: at(endDay + 14, '12:00'),
    });
    await w.course(A, { type: 'ScheduleStep', stepCode: 'CLOSING_TALK', at: at(endDay + 35, '10:00'), now: at(endDay + 14, '12:10') });
    const ready = await w.get(`/me/roster?at=${q(endDay + 14, '13:00')}`, ['clinician'], 'doc-1');
    expect(ready.body.courses[0].nextAppointment).toMatchObject({ uid: `step:${A}:CLOSING_TALK`, kind: 'course-step' });
    await w.course(A, {
      type: 'CompleteStep',
      stepCode: 'CLOSING_TALK',
      completedAt: at(endDay + 35, '10:30'),
      now: at(endDay + 35, '11:00'),
    });
    await w.course(A, { type: 'EndCourse', reason: 'completed', note: 'Standard course completed.', now: at(endDay + 35, '11:30') });
    await w.settle();

    expect((await w.get('/me/roster', ['clinician'], 'doc-1')).body.courses).toEqual([]);
    const ended = await w.get('/me/roster?includeEnded=true', ['clinician'], 'doc-1');
    expect(ended.body.courses).toEqual([expect.objectContaining({ courseId: A, status: 'ended', openItems: [] })]);

    const cal = await w.get(`/calendars/courses/${A}?from=${q(0, '00:00')}&to=${q(endDay + 60, '00:00')}`, ['clinician'], 'doc-1');
    expect(cal.status).toBe(200);
    const kinds = (cal.body.entries as Array<{ kind: string; uid: string; status: string }>).map((e) => `${e.kind}:${e.status}`);
    expect(
      cal.body.entries.filter((e: { uid: string }) => e.uid.startsWith(`step:${A}:`)).map((e: { stepCode: string }) => e.stepCode),
    ).toEqual(['KORT_PRIMAERSAMTALE', 'NURSE_FOLLOWUP_1', 'NURSE_FOLLOWUP_2', 'CONFERENCE', 'CLOSING_TALK']); // the long first talk is shown once, as the appointment
    expect(kinds.filter((k) => k.startsWith('team-session')).length).toBe(1 + 4 + 10);
    expect(kinds.filter((k) => k.startsWith('appointment'))).toEqual(['appointment:confirmed', 'appointment:cancelled']);
    expect(cal.body.entries).toHaveLength(5 + 15 + 2);
  });

  it('reports waiting times per referral month: to visitation, to the first consultation and per step', async () => {
    const res = await w.get('/reports/waiting-times?from=2029-12&to=2030-01', ['auditor']);
    expect(res.status).toBe(200);
    expect(res.body.months.map((m: { month: string; referrals: number }) => [m.month, m.referrals])).toEqual([
      ['2029-12', 0],
      ['2030-01', 2],
    ]);
    const jan = res.body.months[1];
    expect(jan.visitation).toMatchObject({ decided: 2, withinDeadline: 2, overdueNow: 0 });
    expect(jan.firstConsultation).toMatchObject({ patients: 2, median: 7, max: 7 });
    expect(jan.stillWaiting).toEqual({ patients: 0, longestDays: null });
    expect(jan.steps[0]).toMatchObject({ stepCode: 'KORT_PRIMAERSAMTALE', days: { patients: 2, median: 7 } });
    expect(jan.steps.map((s: { stepCode: string }) => s.stepCode)).toEqual(
      expect.arrayContaining(['FORSTAA_SMERTE', 'LANG_PRIMAERSAMTALE', 'CLOSING_TALK']),
    );
  });

  describe('access', () => {
    const range = () => `from=${q(0, '00:00')}&to=${q(200, '00:00')}`;

    it("GET /clinicians/{id}/roster: another clinician's roster is refused; secretaries and admins may; unknown is 404", async () => {
      const refused = await w.get('/clinicians/doc-1/roster', ['clinician'], 'doc-2');
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN', message: expect.stringMatching(/only your own roster/) });
      expect((await w.get('/clinicians/doc-1/roster', ['auditor'], 'aud-1')).status).toBe(403);
      expect((await w.get('/clinicians/doc-1/roster?includeEnded=true', ['secretary'])).body.courses).toHaveLength(1);
      expect((await w.get('/clinicians/doc-1/roster?includeEnded=true', ['admin'])).status).toBe(200);
      expect((await w.get('/clinicians/nobody/roster', ['secretary'])).status).toBe(404);
      expect((await w.get('/clinicians/doc-1/roster', ['secretary'], 'S9', other)).status).toBe(404);
    });

    it('GET /me/roster: only the caller’s own microteam patients', async () => {
      const outsider = await w.get('/me/roster?includeEnded=true', ['clinician'], 'outsider');
      expect(outsider.body).toMatchObject({ clinicianId: 'outsider', courses: [] });
      const doc2 = await w.get('/me/roster', ['clinician'], 'doc-2');
      expect(doc2.body.courses.map((c: { courseId: string }) => c.courseId)).toEqual([B]);
    });

    it("GET /calendars/clinicians/{id}: another clinician's calendar is refused; secretaries may", async () => {
      const refused = await w.get(`/calendars/clinicians/doc-1?${range()}`, ['clinician'], 'outsider');
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/only your own calendar/) });
      expect((await w.get(`/calendars/clinicians/th-lms1?${range()}`, ['clinician'], 'doc-1')).status).toBe(403);
      expect((await w.get(`/calendars/clinicians/doc-1?${range()}`, ['secretary'])).body.entries).toHaveLength(2);
    });

    it('GET /calendars/courses/{id}: only the course’s microteam, secretaries and admins; another clinic gets 404', async () => {
      const refused = await w.get(`/calendars/courses/${A}?${range()}`, ['clinician'], 'doc-2');
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/microteam/) });
      expect((await w.get(`/calendars/courses/${A}?${range()}`, ['clinician'], 'th-lms1')).status).toBe(403); // teaches A, not in A's microteam
      expect((await w.get(`/calendars/courses/${B}?${range()}`, ['clinician'], 'doc-2')).status).toBe(200);
      expect((await w.get(`/calendars/courses/${A}?${range()}`, ['secretary'])).status).toBe(200);
      expect((await w.get(`/calendars/courses/${A}?${range()}`, ['admin'], 'adm')).status).toBe(200);
      expect((await w.get(`/calendars/courses/${A}?${range()}`, ['secretary'], 'S9', other)).status).toBe(404);
    });

    it('GET /calendars/rooms/{id} and /calendars/teams/{id}: a clinician outside the microteam gets the bookings but no patient', async () => {
      for (const path of [`/calendars/rooms/room-lms`, `/calendars/teams/${lms}`]) {
        const outsider = await w.get(`${path}?${range()}`, ['clinician'], 'outsider');
        expect(outsider.status).toBe(200);
        expect(outsider.body.entries.length).toBeGreaterThan(0);
        expect(outsider.body.entries.every((e: { courseIds: string[] }) => e.courseIds.length === 0)).toBe(true);
        const doc2 = await w.get(`${path}?${range()}`, ['clinician'], 'doc-2');
        expect(doc2.body.entries[0].courseIds).toEqual([B]);
      }
      expect((await w.get(`/calendars/teams/${lms}?${range()}`, ['secretary'], 'S9', other)).status).toBe(404);
      expect((await w.get(`/calendars/rooms/no-such-room?${range()}`, ['secretary'])).status).toBe(404);
    });

    it('GET /teams/{id}/board: another clinic gets 404; a clinician outside sees no patient', async () => {
      expect((await w.get(`/teams/${lms}/board`, ['secretary'], 'S9', other)).status).toBe(404);
      const outsider = await w.get(`/teams/${lms}/board`, ['clinician'], 'outsider');
      expect(outsider.body.seats.reserved.map((s: { courseId: string | null }) => s.courseId)).toEqual([null, null]);
    });

    it('GET /health lists the read-side projections with their lag', async () => {
      const res = await w.get('/health', ['secretary']);
      const names = res.body.projections.map((p: { name: string }) => p.name);
      expect(names).toEqual(
        expect.arrayContaining(['roster.v1', 'calendars.v1', 'team-board.v1', 'capacity-outlook.v1', 'waiting-times.v1']),
      );
      expect(res.body.projections.find((p: { name: string }) => p.name === 'calendars.v1')).toMatchObject({ running: true, lag: 0 });
    });
  });
});
