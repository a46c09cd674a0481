import { randomUUID } from 'node:crypto';
import {
  courseDecider,
  courseStreamId,
  defaultCatalogue,
  formatInZone,
  initialTeamState,
  isDomainError,
  teamDecider,
  type CourseCommand,
  type CourseEvent,
  type TeamEvent,
} from '#app/domain';
import { ALL_CRITERIA_MET, FULL_REFERRAL_CONTENT } from '../../libs/domain/src/course/testing/course.fixtures.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as, DAY, OTHER_CLINIC, seed } from './helpers.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();
const TZ = 'Europe/Copenhagen';
const localDate = (ms: number) => formatInZone(ms, TZ).slice(0, 10);
const now = Date.now();
/** a year whose autumn is still ahead, so teams can be planned across the last Sunday of October */
const Y = new Date(now).getUTCMonth() >= 8 ? new Date(now).getUTCFullYear() + 1 : new Date(now).getUTCFullYear();

type Api = Awaited<ReturnType<typeof as>>;
const codes = (failures: { code: string }[]) => failures.map((f) => f.code);

describeForEachDatabase(targets, 'teams', (target) => {
  let t: TestApp;
  let secretary: Api;
  let clinician: Api;
  let roomId: string;
  let smallRoomId: string;
  let fsTeam: string;
  let afspTeam: string;
  const pastTeams: string[] = [];
  /** the course on each past team */
  const courses: string[] = [];

  /**
   * An accepted course (referral + visitation, as the course decider writes them): a seat on a team must
   * belong to a real course, or the enrolment process manager gives the seat up again.
   */
  async function seedAcceptedCourse(courseId: string): Promise<void> {
    const pathway = defaultCatalogue.pathway;
    const receivedAt = formatInZone(now - 10 * DAY, TZ);
    const commands: CourseCommand[] = [
      {
        type: 'ReceiveReferral',
        courseId,
        patientId: `p-${courseId.slice(0, 8)}`,
        receivedAt,
        referrer: { kind: 'GP', id: 'GP-0421' },
        content: FULL_REFERRAL_CONTENT,
        now: receivedAt,
        pathway,
      },
      {
        type: 'DecideVisitation',
        decision: 'accept',
        assessment: ALL_CRITERIA_MET,
        now: formatInZone(now - 10 * DAY + 3_600_000, TZ),
        pathway,
      },
    ];
    let state = courseDecider.initialState();
    const events: CourseEvent[] = [];
    for (const command of commands) {
      const decided = courseDecider.decide(command, state);
      if (isDomainError(decided)) throw new Error(`${command.type} refused: ${decided.code}`);
      for (const e of decided) state = courseDecider.evolve(state, e);
      events.push(...decided);
    }
    await seed(t, courseStreamId(courseId), events);
  }

  /** a Forstå smerte team that met k days ago, with one accepted course on it: history the API cannot create */
  async function seedPastTeam(k: number): Promise<string> {
    const teamId = randomUUID();
    const courseId = randomUUID();
    courses.push(courseId);
    await seedAcceptedCourse(courseId);
    const planned = teamDecider.decide(
      {
        type: 'PlanTeam',
        teamId,
        catalogue: defaultCatalogue,
        programmeCode: 'FORSTAA_SMERTE',
        room: { roomId, seats: 25 },
        startsOn: localDate(now - k * DAY),
        startTime: '10:00',
        now: formatInZone(now - (k + 3) * DAY, TZ),
      },
      initialTeamState,
    ) as TeamEvent[];
    const seat: TeamEvent = {
      type: 'SeatReserved',
      data: {
        teamId,
        courseId,
        referralDate: localDate(now - 10 * DAY),
        relatives: 1,
        via: 'direct',
        reservedAt: formatInZone(now - (k + 2) * DAY, TZ),
      },
    };
    await seed(t, `team-${teamId}`, [...planned, seat]);
    return teamId;
  }

  async function register(id: string, professions: string[], employmentStart: string, competences: string[] = []): Promise<void> {
    await secretary.post('/clinicians', { clinicianId: id, professions, employmentStart }).expect(201);
    for (const competence of competences) {
      await secretary.post(`/clinicians/${id}/competences`, { competence, grantedAt: '2016-01-01', reason: 'Diploma seen' }).expect(201);
    }
  }

  const serviceBefore = (id: string, n: number, role: string) =>
    Array.from({ length: n }, (_, i) => ({
      type: 'TeamServiceRecorded',
      data: { clinicianId: id, teamId: `paper-${id}-${i}`, programme: 'FORSTAA_SMERTE', role, servedAt: `2020-03-0${i + 1}` },
    }));

  beforeAll(async () => {
    t = await startTestApp(target);
    secretary = await as(t, ['secretary']);
    clinician = await as(t, ['clinician'], 'P');
    roomId = (await secretary.post('/rooms', { name: 'Store mødelokale', seats: 25 }).expect(201)).body.roomId;
    smallRoomId = (await secretary.post('/rooms', { name: 'Lille lokale', seats: 15 }).expect(201)).body.roomId;
    // a new hire starting in June: by the team in November not yet a year at the centre
    await register('NOVICE', ['SOCIAL_WORKER'], `${Y}-06-01`);
    await register('P', ['NURSE'], '2015-01-01', ['TEACHING_COURSE']);
    await register('V', ['NURSE'], '2012-01-01', ['TEACHING_COURSE']);
    await register('S', ['PHYSIOTHERAPIST'], '2018-01-01', ['TEACHING_COURSE']);
    // service before the API existed: V has run 4 teams as secondary, S has been an apprentice once
    await seed(t, 'clinician-V', serviceBefore('V', 4, 'secondary'));
    await seed(t, 'clinician-S', serviceBefore('S', 1, 'apprentice'));
    for (const k of [1, 2, 3, 4]) pastTeams.push(await seedPastTeam(k));
  });
  afterAll(() => closeIfStarted(t));

  it('plans a Forstå smerte team in a 25-seat room: 25 free seats, its session at 13:00 local with the winter offset after the last Sunday of October', async () => {
    const res = await secretary
      .post('/teams', { programmeCode: 'FORSTAA_SMERTE', roomId, startsOn: `${Y}-11-02`, startTime: '13:00' })
      .expect(201);
    fsTeam = res.body.teamId;
    expect(res.headers.etag).toBe('"0"');
    expect(res.headers['x-event-position']).toMatch(/^\d+-\d+$/);
    expect(res.headers.location).toBe(`/teams/${fsTeam}`);

    const got = await secretary.get(`/teams/${fsTeam}`).expect(200);
    expect(got.headers.etag).toBe('"0"');
    expect(got.body).toMatchObject({
      teamId: fsTeam,
      clinicId: 'smertecenter-syd',
      status: 'planned',
      programme: { code: 'FORSTAA_SMERTE', seats: 25 },
      catalogueVersion: 1,
      room: { roomId, seats: 25, maxPeople: null },
      seats: { capacity: 25, taken: 0, free: 25, reserved: [] },
      therapists: [],
      waitlist: [],
      offers: [],
      lateJoin: { cutoff: `${Y}-11-02T13:00:00+01:00`, closed: false, closedByHand: null },
      staffRule: {
        holds: false,
        roles: [
          { role: 'primary', required: 1, assigned: 0 },
          { role: 'secondary', required: 1, assigned: 0 },
        ],
      },
      revision: 0,
    });
    expect(codes(got.body.staffRule.failures)).toEqual(['STAFF_PRIMARY_MISSING', 'STAFF_SECONDARY_MISSING']);
    // the board names the sessions each failure is at, by number (its OpenAPI schema once said strings)
    const board = await secretary.get(`/teams/${fsTeam}/board`).set('X-Min-Position', res.headers['x-event-position']).expect(200);
    expect(board.body.staffRule.failures).toEqual([
      { code: 'STAFF_PRIMARY_MISSING', reason: expect.any(String), sessions: [1] },
      { code: 'STAFF_SECONDARY_MISSING', reason: expect.any(String), sessions: [1] },
    ]);
    expect(got.body.sessions).toEqual([
      expect.objectContaining({
        number: 1,
        key: 'S1',
        kind: 'group',
        startsAt: `${Y}-11-02T13:00:00+01:00`,
        endsAt: `${Y}-11-02T14:30:00+01:00`,
        status: 'planned',
        staffRuleHolds: false,
      }),
    ]);

    // a weekly programme keeps 13:00 local across the change: summer offset before, winter offset after
    const afsp = await secretary
      .post('/teams', { programmeCode: 'AFSPAENDING', roomId, startsOn: `${Y}-10-20`, startTime: '13:00' })
      .expect(201);
    afspTeam = afsp.body.teamId;
    const starts: string[] = afsp.body.sessions.map((s: { startsAt: string }) => s.startsAt);
    expect(starts[0]).toBe(`${Y}-10-20T13:00:00+02:00`);
    expect(starts.slice(2)).toEqual([`${Y}-11-03T13:00:00+01:00`, `${Y}-11-10T13:00:00+01:00`, `${Y}-11-17T13:00:00+01:00`]);
    expect(starts.every((s) => s.slice(11, 16) === '13:00')).toBe(true);
    expect(afsp.body.seats).toMatchObject({ capacity: 15, free: 15 });
  });

  it('refuses a primary without the required history with 422 COMPETENCE_MISSING listing every missing requirement', async () => {
    const novice = await secretary.post(`/teams/${fsTeam}/therapists`, { clinicianId: 'NOVICE', role: 'primary' }).expect(422);
    expect(novice.body).toMatchObject({ statusCode: 422, code: 'COMPETENCE_MISSING', details: { role: 'primary' } });
    expect(codes(novice.body.details.failures)).toEqual([
      'FS_PRIMARY_HEALTH_PROFESSION',
      'FS_PRIMARY_EMPLOYED_1_YEAR',
      'FS_PRIMARY_4_EARLIER_TEAMS',
      'FS_TEACHING_COURSE',
    ]);
    for (const f of novice.body.details.failures) expect(f.reason.length).toBeGreaterThan(20);

    const nurse = await secretary.post(`/teams/${fsTeam}/therapists`, { clinicianId: 'P', role: 'primary' }).expect(422);
    expect(nurse.body.details.failures).toEqual([
      { code: 'FS_PRIMARY_4_EARLIER_TEAMS', reason: expect.stringContaining('Recorded so far: 0 of 4.') },
    ]);
    await secretary.post(`/teams/${fsTeam}/therapists`, { clinicianId: 'NOBODY', role: 'primary' }).expect(404);
    const role = await secretary.post(`/teams/${fsTeam}/therapists`, { clinicianId: 'P', role: 'teacher' }).expect(422);
    expect(role.body.code).toBe('UNKNOWN_ROLE');
  });

  it('refuses attendance while the staff rule does not hold, accepts it once it does, and records team service on every therapist', async () => {
    const past = pastTeams[0];
    await secretary.post(`/teams/${past}/therapists`, { clinicianId: 'V', role: 'primary' }).expect(201);
    await secretary.post(`/teams/${past}/therapists`, { clinicianId: 'P', role: 'apprentice' }).expect(201);
    const entries = [{ courseId: courses[0], status: 'attended', relativesPresent: 1 }];
    const refused = await clinician.post(`/teams/${past}/sessions/1/attendance`, { entries }).expect(422);
    expect(refused.body).toMatchObject({ code: 'STAFF_RULE_NOT_MET', details: { failures: [{ code: 'STAFF_SECONDARY_MISSING' }] } });

    await secretary.post(`/teams/${past}/therapists`, { clinicianId: 'S', role: 'secondary' }).expect(201);
    const held = await clinician.post(`/teams/${past}/sessions/1/attendance`, { entries }).expect(201);
    expect(held.headers.etag).toBe('"5"');
    expect(held.body.session).toMatchObject({
      number: 1,
      key: 'S1',
      status: 'held',
      attendance: { patients: 1, relatives: 1, noShows: 0 },
    });
    expect(held.body.teamService).toEqual([
      { clinicianId: 'V', role: 'primary', outcome: 'recorded' },
      { clinicianId: 'P', role: 'apprentice', outcome: 'recorded' },
      { clinicianId: 'S', role: 'secondary', outcome: 'recorded' },
    ]);
    // a correction (by session key) is accepted; team service is already there, which counts as done
    const corrected = await secretary
      .post(`/teams/${past}/sessions/S1/attendance`, { entries: [{ courseId: courses[0], status: 'no_show' }] })
      .expect(201);
    expect(corrected.body.session.attendance).toMatchObject({
      patients: 0,
      noShows: 1,
      entries: [{ courseId: courses[0], status: 'no_show', relativesPresent: 0 }],
    });
    expect(corrected.body.teamService.map((s: { outcome: string }) => s.outcome)).toEqual([
      'alreadyRecorded',
      'alreadyRecorded',
      'alreadyRecorded',
    ]);

    const stranger = await clinician
      .post(`/teams/${past}/sessions/1/attendance`, { entries: [{ courseId: 'nobody', status: 'attended' }] })
      .expect(422);
    expect(stranger.body.code).toBe('COURSE_NOT_ON_TEAM');
    const bad = await clinician
      .post(`/teams/${past}/sessions/1/attendance`, { entries: [{ courseId: courses[0], status: 'late' }] })
      .expect(400);
    expect(bad.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['entries.0.status']);
    await clinician.post(`/teams/${past}/sessions/2/attendance`, { entries }).expect(404);
    await (await as(t, ['auditor'], 'A1')).post(`/teams/${past}/sessions/1/attendance`, { entries }).expect(403);
  });

  it('derives "4 earlier Forstå smerte teams" from the recorded history: after four teams as apprentice the nurse may be primary; with a secondary the staff rule holds', async () => {
    for (const past of pastTeams.slice(1)) {
      await secretary.post(`/teams/${past}/therapists`, { clinicianId: 'V', role: 'primary' }).expect(201);
      await secretary.post(`/teams/${past}/therapists`, { clinicianId: 'S', role: 'secondary' }).expect(201);
      await secretary.post(`/teams/${past}/therapists`, { clinicianId: 'P', role: 'apprentice' }).expect(201);
      const course = courses[pastTeams.indexOf(past)];
      await clinician.post(`/teams/${past}/sessions/1/attendance`, { entries: [{ courseId: course, status: 'attended' }] }).expect(201);
    }
    const p = await secretary.get('/clinicians/P').expect(200);
    expect(p.body.teamService).toHaveLength(4);
    expect(p.body.derived.earlierTeams).toEqual([{ programme: 'FORSTAA_SMERTE', role: 'apprentice', teams: 4 }]);
    expect(
      p.body.staffRoles.find((r: { programmeCode: string; role: string }) => r.programmeCode === 'FORSTAA_SMERTE' && r.role === 'primary'),
    ).toMatchObject({
      qualifiedNow: true,
      missing: [],
    });

    const primary = await secretary.post(`/teams/${fsTeam}/therapists`, { clinicianId: 'P', role: 'primary' }).expect(201);
    expect(primary.body.staffRule.holds).toBe(false);
    const secondary = await secretary
      .post(`/teams/${fsTeam}/therapists`, { clinicianId: 'S', role: 'secondary' })
      .set('If-Match', primary.headers.etag)
      .expect(201);
    expect(secondary.headers.etag).toBe('"2"');
    expect(secondary.body.staffRule).toEqual({
      holds: true,
      roles: [
        { role: 'primary', required: 1, assigned: 1 },
        { role: 'secondary', required: 1, assigned: 1 },
      ],
      failures: [],
    });
    expect(secondary.body.therapists.map((x: { clinicianId: string; role: string }) => [x.clinicianId, x.role])).toEqual([
      ['P', 'primary'],
      ['S', 'secondary'],
    ]);
    expect(secondary.body.sessions[0].staffRuleHolds).toBe(true);
  });

  it('GET /teams lists the team from the team_summaries read model (read-your-write via X-Min-Position), with validated filters', async () => {
    // a write (and its position) to read after: a stale If-Match is refused first
    const stale = await secretary
      .post(`/teams/${fsTeam}/therapists`, { clinicianId: 'V', role: 'apprentice' })
      .set('If-Match', '"0"')
      .expect(412);
    expect(stale.body).toMatchObject({ code: 'PRECONDITION_FAILED', details: { expectedRevision: 0, currentRevision: 2 } });
    const written = await secretary
      .post(`/teams/${fsTeam}/therapists`, { clinicianId: 'V', role: 'apprentice' })
      .set('If-Match', '"2"')
      .expect(201);
    const position = written.headers['x-event-position'];

    const list = await secretary.get('/teams?programme=FORSTAA_SMERTE&hasSeats=true').set('X-Min-Position', position).expect(200);
    expect(list.body).toEqual([
      {
        teamId: fsTeam,
        programmeCode: 'FORSTAA_SMERTE',
        catalogueVersion: 1,
        roomId,
        firstSessionAt: `${Y}-11-02T13:00:00+01:00`,
        lastSessionAt: `${Y}-11-02T13:00:00+01:00`,
        lateJoinCutoff: `${Y}-11-02T13:00:00+01:00`,
        capacity: 25,
        seatsTaken: 0,
        freeSeats: 25,
        waitlistCount: 0,
        offersOutstanding: 0,
        status: 'planned',
        revision: 3,
      },
    ]);
    const full = await secretary.get(`/teams?programme=FORSTAA_SMERTE&hasSeats=false&minPosition=${position}`).expect(200);
    expect(full.body.map((x: { teamId: string }) => x.teamId).sort()).toEqual([...pastTeams].sort());
    expect(full.body.every((x: { status: string }) => x.status === 'completed')).toBe(true);
    const inWindow = await secretary.get(`/teams?from=${Y}-11-02&to=${Y}-11-02`).expect(200);
    expect(inWindow.body.map((x: { teamId: string }) => x.teamId)).toEqual([fsTeam]);
    const later = await secretary.get(`/teams?from=${Y}-11-02T13:00:01%2B01:00`).expect(200);
    expect(later.body).toEqual([]);

    const badDate = await secretary.get('/teams?from=2027-13-01').expect(400);
    expect(badDate.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'from', problems: [expect.any(String)] }] },
    });
    const bad = await secretary.get('/teams?hasSeats=maybe&colour=red&to=2027-01-01&from=2027-02-01').expect(400);
    expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'hasSeats']);
    const inverted = await secretary.get('/teams?to=2027-01-01&from=2027-02-01').expect(400);
    expect(inverted.body.details.fields).toEqual([{ field: 'to', problems: ['to must not be before from'] }]);
  });

  it('moves and cancels sessions with a reason; removes a therapist with a reason (then the staff rule no longer holds)', async () => {
    const moved = await secretary
      .post(`/teams/${afspTeam}/sessions/2/move`, { startsAt: `${Y}-11-04T09:00:00Z`, roomId: smallRoomId, reason: 'Room booked' })
      .expect(200);
    expect(moved.body.sessions[1]).toMatchObject({
      number: 2,
      startsAt: `${Y}-11-04T10:00:00+01:00`,
      endsAt: `${Y}-11-04T12:30:00+01:00`,
      room: { roomId: smallRoomId, seats: 15 },
    });
    const past = await secretary
      .post(`/teams/${afspTeam}/sessions/2/move`, { startsAt: '2020-10-28T09:00:00+01:00', reason: 'x' })
      .expect(422);
    expect(past.body.code).toBe('SESSION_IN_PAST');
    const badMove = await secretary.post(`/teams/${afspTeam}/sessions/2/move`, { startsAt: `${Y}-10-28 09:00`, reason: '' }).expect(400);
    expect(badMove.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['reason', 'startsAt']);
    await secretary
      .post(`/teams/${afspTeam}/sessions/2/move`, { startsAt: `${Y}-10-28T09:00:00Z`, roomId: randomUUID(), reason: 'x' })
      .expect(404);

    const cancelled = await secretary.post(`/teams/${afspTeam}/sessions/S3/cancel`, { reason: 'Therapist ill' }).expect(200);
    expect(cancelled.body.sessions[2]).toMatchObject({ key: 'S3', status: 'cancelled', cancelled: { reason: 'Therapist ill' } });
    expect((await secretary.post(`/teams/${afspTeam}/sessions/3/cancel`, { reason: 'again' }).expect(422)).body.code).toBe(
      'SESSION_CANCELLED',
    );
    await secretary.post(`/teams/${afspTeam}/sessions/9/cancel`, { reason: 'x' }).expect(404);
    await clinician.post(`/teams/${afspTeam}/sessions/1/cancel`, { reason: 'x' }).expect(403);

    await secretary.delete(`/teams/${fsTeam}/therapists/S`, {}).expect(400);
    const removed = await secretary.delete(`/teams/${fsTeam}/therapists/S`, { reason: 'Sick leave' }).expect(200);
    expect(removed.body.staffRule).toMatchObject({ holds: false, failures: [{ code: 'STAFF_SECONDARY_MISSING' }] });
    expect((await secretary.delete(`/teams/${fsTeam}/therapists/S`, { reason: 'again' }).expect(422)).body.code).toBe(
      'THERAPIST_NOT_ASSIGNED',
    );
  });

  it('refuses bad plans: 403 for an auditor, 400 for unknown fields and bad values, 404 for an unknown room, 422 for an unknown programme or a start in the past', async () => {
    const auditor = await as(t, ['auditor'], 'A1');
    expect(
      (await auditor.post('/teams', { programmeCode: 'FORSTAA_SMERTE', roomId, startsOn: `${Y}-11-09`, startTime: '13:00' }).expect(403))
        .body.code,
    ).toBe('FORBIDDEN');
    await auditor.get(`/teams/${fsTeam}`).expect(200);
    const bad = await secretary
      .post('/teams', { programmeCode: 'FORSTAA_SMERTE', roomId, startsOn: `${Y}-02-30`, startTime: '25:00', seats: 30 })
      .expect(400);
    expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['seats', 'startTime', 'startsOn']);
    await secretary
      .post('/teams', { programmeCode: 'FORSTAA_SMERTE', roomId: randomUUID(), startsOn: `${Y}-11-09`, startTime: '13:00' })
      .expect(404);
    expect(
      (await secretary.post('/teams', { programmeCode: 'YOGA', roomId, startsOn: `${Y}-11-09`, startTime: '13:00' }).expect(422)).body.code,
    ).toBe('PROGRAMME_NOT_FOUND');
    expect(
      (await secretary.post('/teams', { programmeCode: 'HA', roomId, startsOn: '2020-11-09', startTime: '13:00' }).expect(422)).body.code,
    ).toBe('TEAM_START_IN_PAST');
  });

  it("another clinic's team (and its room) is a 404, and is not in that clinic's list", async () => {
    const other = await as(t, ['admin'], 'X1', OTHER_CLINIC);
    expect((await other.get(`/teams/${fsTeam}`).expect(404)).body).toMatchObject({
      code: 'NOT_FOUND',
      details: { what: 'team', id: fsTeam },
    });
    await other
      .post(`/teams/${pastTeams[0]}/sessions/1/attendance`, { entries: [{ courseId: courses[0], status: 'attended' }] })
      .expect(404);
    await other.post(`/teams/${fsTeam}/therapists`, { clinicianId: 'P', role: 'primary' }).expect(404);
    expect((await other.get('/teams').expect(200)).body).toEqual([]);
    await secretary.get(`/teams/${randomUUID()}`).expect(404);
    await secretary.get('/teams/not-a-team').expect(404);
  });
});
