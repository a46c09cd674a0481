import { DataSource } from 'typeorm';
import { defaultCatalogue } from '#app/domain';
import type { EventStore } from '#app/event-store';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import { ALL_CRITERIA_MET, courseApi, cprFor, FULL_CONTENT, type Api } from '../courses/course-api.js';
import { caughtUp } from '../integrations/caught-up.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as, CLINIC, OTHER_CLINIC } from '../teams/helpers.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

/** a Monday far ahead, winter time */
const at = (hour: number): string => `2031-01-06T${String(hour).padStart(2, '0')}:00:00+01:00`;

/**
 * Two clinics on one installation (issue 11 §2, §6): each books, lists and names only its own clinicians,
 * rooms and patients; another clinic's id is the same 404 as one that does not exist.
 */
describeForEachDatabase(targets, 'clinics are separate: resources, patients, clinician list, X-On-Behalf-Of', (target) => {
  let t: TestApp;
  let api: Api;
  let a: Awaited<ReturnType<typeof as>>;
  let b: Awaited<ReturnType<typeof as>>;
  let roomA: string;
  let roomB: string;
  let courseA: { courseId: string; patientId: string };
  let courseB: { courseId: string; patientId: string };
  const CPR = cprFor(900);

  const eventCount = async (): Promise<number> => Number((await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM events'))[0].n);

  beforeAll(async () => {
    t = await startTestApp(target);
    api = courseApi(t);
    a = await as(t, ['secretary'], 'SA');
    b = await as(t, ['secretary'], 'SB', OTHER_CLINIC);
    await (
      await as(t, ['admin'], 'AB', OTHER_CLINIC)
    )
      .put(`/catalogues/${OTHER_CLINIC}`, { ...defaultCatalogue, clinicId: OTHER_CLINIC, version: 1 })
      .expect(200);
    await a.post('/clinicians', { clinicianId: 'A-DOC', professions: ['DOCTOR'], employmentStart: '2015-01-01' }).expect(201);
    await a.post('/clinicians', { clinicianId: 'A-NURSE', professions: ['NURSE'], employmentStart: '2016-01-01' }).expect(201);
    await a
      .post('/clinicians/A-NURSE/competences', { competence: 'TEACHING_COURSE', grantedAt: '2017-01-01', reason: 'Diploma seen' })
      .expect(201);
    await a.post('/clinicians', { clinicianId: 'A-NEW', professions: ['NURSE'], employmentStart: '2099-01-01' }).expect(201);
    await b.post('/clinicians', { clinicianId: 'B-DOC', professions: ['DOCTOR'], employmentStart: '2014-01-01' }).expect(201);
    roomA = (await a.post('/rooms', { name: 'Samtalerum A', seats: 2 }).expect(201)).body.roomId;
    roomB = (await b.post('/rooms', { name: 'Samtalerum B', seats: 2 }).expect(201)).body.roomId;
    courseA = await api.activeCourse(CPR);
    const referredB = await api.call(
      'post',
      '/referrals',
      ['secretary'],
      { cpr: CPR, receivedAt: new Date(Date.now() - 3_600_000).toISOString(), referrer: { kind: 'GP', id: 'GP-1' }, content: FULL_CONTENT },
      {},
      'SB',
      OTHER_CLINIC,
    );
    expect(referredB.status).toBe(201);
    const accepted = await api.call(
      'post',
      `/courses/${referredB.body.courseId}/visitation`,
      ['clinician'],
      { decision: 'accept', assessment: ALL_CRITERIA_MET },
      {},
      'B-DOC',
      OTHER_CLINIC,
    );
    expect(accepted.status).toBe(200);
    courseB = { courseId: referredB.body.courseId, patientId: referredB.body.patientId };
  });
  afterAll(() => closeIfStarted(t));

  it('the same CPR number in two clinics is two unrelated patients', async () => {
    expect(courseB.patientId).not.toBe(courseA.patientId);
    const rows: Array<{ clinic_id: string }> = await t.app
      .get(DataSource)
      .query('SELECT clinic_id FROM patients WHERE patient_id = ANY ($1::uuid[]) ORDER BY clinic_id', [
        [courseA.patientId, courseB.patientId],
      ]);
    expect(rows.map((r) => r.clinic_id)).toEqual([OTHER_CLINIC, CLINIC].sort());
  });

  it("an appointment with another clinic's clinician or room is the same 404 as an unknown one, and writes nothing", async () => {
    const before = await eventCount();
    const book = (body: object) =>
      b.post(`/courses/${courseB.courseId}/appointments`, { intervention: 'KORT_PRIMAERSAMTALE', start: at(9), ...body });
    const foreignClinician = await book({ clinicianIds: ['A-DOC'] }).expect(404);
    const unknownClinician = await book({ clinicianIds: ['NOBODY'] }).expect(404);
    expect(foreignClinician.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'No clinician with id A-DOC was found.',
      details: { what: 'clinician', id: 'A-DOC' },
    });
    expect(unknownClinician.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'No clinician with id NOBODY was found.',
      details: { what: 'clinician', id: 'NOBODY' },
    });
    const foreignRoom = await book({ clinicianIds: ['B-DOC'], roomId: roomA }).expect(404);
    expect(foreignRoom.body).toMatchObject({ code: 'NOT_FOUND', details: { what: 'room', id: roomA } });
    expect(await eventCount()).toBe(before);
  });

  it('both clinics book their own clinician, room and patient at the same time: no clash across clinics, nothing revealed', async () => {
    const inA = await a
      .post(`/courses/${courseA.courseId}/appointments`, {
        intervention: 'KORT_PRIMAERSAMTALE',
        start: at(10),
        clinicianIds: ['A-DOC'],
        roomId: roomA,
      })
      .expect(201);
    const inB = await b
      .post(`/courses/${courseB.courseId}/appointments`, {
        intervention: 'KORT_PRIMAERSAMTALE',
        start: at(10),
        clinicianIds: ['B-DOC'],
        roomId: roomB,
      })
      .expect(201);
    expect(inB.body.appointmentId).not.toBe(inA.body.appointmentId);
    const clash = await b
      .post(`/courses/${courseB.courseId}/appointments`, { intervention: 'KORT_PRIMAERSAMTALE', start: at(10), clinicianIds: ['B-DOC'] })
      .expect(409);
    expect(clash.body.code).toBe('SCHEDULE_CLASH');
    for (const leak of [courseA.courseId, courseA.patientId, inA.body.appointmentId, 'A-DOC', roomA])
      expect(clash.text).not.toContain(leak);
  });

  it('a microteam member, team room or team therapist from another clinic is a 404', async () => {
    const member = await api.call(
      'post',
      `/courses/${courseB.courseId}/microteam`,
      ['clinician'],
      { clinicianId: 'A-NURSE', role: 'PAL' },
      {},
      'B-DOC',
      OTHER_CLINIC,
    );
    expect(member.status).toBe(404);
    expect(member.body).toMatchObject({ code: 'NOT_FOUND', details: { what: 'clinician', id: 'A-NURSE' } });
    expect(
      (
        await api.call(
          'post',
          `/courses/${courseB.courseId}/microteam`,
          ['clinician'],
          { clinicianId: 'B-DOC', role: 'PAL' },
          {},
          'B-DOC',
          OTHER_CLINIC,
        )
      ).status,
    ).toBe(200);
    const plan = await b
      .post('/teams', { programmeCode: 'FORSTAA_SMERTE', roomId: roomA, startsOn: '2031-03-03', startTime: '13:00' })
      .expect(404);
    expect(plan.body.details).toEqual({ what: 'room', id: roomA });
    const roomBig = (await b.post('/rooms', { name: 'Holdlokale B', seats: 25 }).expect(201)).body.roomId;
    const team = (
      await b.post('/teams', { programmeCode: 'FORSTAA_SMERTE', roomId: roomBig, startsOn: '2031-03-03', startTime: '13:00' }).expect(201)
    ).body.teamId;
    const assign = await b.post(`/teams/${team}/therapists`, { clinicianId: 'A-NURSE', role: 'secondary' }).expect(404);
    expect(assign.body.details).toEqual({ what: 'clinician', id: 'A-NURSE' });
  });

  it("another clinic's clinician and room calendars, busy times and roster are 404", async () => {
    expect((await b.get('/clinicians/A-DOC/busy').expect(404)).body.details).toEqual({ what: 'clinician', id: 'A-DOC' });
    expect((await b.get(`/rooms/${roomA}/busy`).expect(404)).body.details).toEqual({ what: 'room', id: roomA });
    await a.get('/clinicians/A-DOC/busy').expect(200);
    expect((await b.get('/calendars/clinicians/A-DOC').expect(404)).body.code).toBe('NOT_FOUND');
    expect((await b.get(`/calendars/rooms/${roomA}`).expect(404)).body.code).toBe('NOT_FOUND');
    await b.get('/clinicians/A-DOC/roster').expect(404);
    await b.get('/clinicians/A-DOC').expect(404);
  });

  it("GET /clinicians lists only the caller's clinic, filtered by profession, competence and active", async () => {
    const listA = (await caughtUp(t), await a.get('/clinicians').expect(200));
    expect(listA.body.map((c: { clinicianId: string }) => c.clinicianId)).toEqual(['A-DOC', 'A-NEW', 'A-NURSE']);
    expect(listA.body.find((c: { clinicianId: string }) => c.clinicianId === 'A-NURSE')).toEqual({
      clinicianId: 'A-NURSE',
      professions: ['NURSE'],
      employmentStart: '2016-01-01',
      active: true,
      competences: ['TEACHING_COURSE'],
      revision: 1,
    });
    const listB = await b.get('/clinicians').expect(200);
    expect(listB.body.map((c: { clinicianId: string }) => c.clinicianId)).toEqual(['B-DOC']);
    const ids = async (query: string) =>
      (await a.get(`/clinicians?${query}`).expect(200)).body.map((c: { clinicianId: string }) => c.clinicianId);
    expect(await ids('profession=NURSE')).toEqual(['A-NEW', 'A-NURSE']);
    expect(await ids('competence=TEACHING_COURSE')).toEqual(['A-NURSE']);
    expect(await ids('active=false')).toEqual(['A-NEW']);
    expect(await ids('active=true&profession=NURSE')).toEqual(['A-NURSE']);
    expect(await ids('profession=ASTRONAUT')).toEqual([]);
    const bad = await a.get('/clinicians?active=maybe&shoeSize=44').expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    await (await as(t, ['integration'], 'I1')).get('/clinicians').expect(403);
    await (await as(t, ['auditor'], 'AU')).get('/clinicians').expect(200);
  });

  it("X-On-Behalf-Of must name a registered clinician of the caller's clinic: otherwise 422 and nothing written", async () => {
    const before = await eventCount();
    for (const value of ['A-DOC', 'NOBODY', 'dr l; drop']) {
      const res = await b.post('/rooms', { name: 'X', seats: 2 }).set('X-On-Behalf-Of', value).expect(422);
      expect(res.body).toEqual({
        statusCode: 422,
        code: 'ON_BEHALF_OF_NOT_A_CLINICIAN',
        message:
          'X-On-Behalf-Of must name a clinician registered in your clinic (their clinician id, as in GET /clinicians); nothing was changed.',
        details: { header: 'X-On-Behalf-Of' },
      });
    }
    expect(await eventCount()).toBe(before);
    const ok = await b.post('/rooms', { name: 'Y', seats: 2 }).set('X-On-Behalf-Of', 'B-DOC').expect(201);
    const events = await t.app.get<EventStore>(EVENT_STORE).readStream(`room-${ok.body.roomId}`);
    expect(events[0].metadata).toMatchObject({ onBehalfOf: 'B-DOC', actor: { staffId: 'SB' }, clinicId: OTHER_CLINIC });
  });

  it('a clinician working in both clinics has one record per clinic; an id in use anywhere is refused like a duplicate', async () => {
    const taken = await b.post('/clinicians', { clinicianId: 'A-DOC', professions: ['DOCTOR'], employmentStart: '2015-01-01' }).expect(409);
    expect(taken.body).toMatchObject({ code: 'ALREADY_EXISTS', message: 'A clinician with id A-DOC is already registered.' });
    await b
      .post('/clinicians', { clinicianId: 'A-DOC@senfoelgeklinik', professions: ['DOCTOR'], employmentStart: '2020-01-01' })
      .expect(201);
    expect((await b.get('/clinicians/A-DOC@senfoelgeklinik').expect(200)).body.teamService).toEqual([]);
  });
});
