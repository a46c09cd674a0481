import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Role } from '../../apps/api/src/auth/actor.js';
import { EnrolmentFixtures } from '../enrolment/enrolment-fixtures.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as } from '../teams/helpers.js';
import { caughtUp } from './caught-up.js';
import { fhirProblems } from './fhir-validation.js';

const targets = await testDatabaseTargets();
const DAY = 86_400_000;
const now = Date.now();

interface Entry {
  fullUrl: string;
  resource: Record<string, any>;
}
interface Bundle {
  resourceType: string;
  type: string;
  total: number;
  link: Array<{ relation: string; url: string }>;
  entry: Entry[];
}

/**
 * The FHIR R4 read API: every resource it returns validates against the R4 definitions (the `fhir` package,
 * offline), group sessions are Appointments with the patients on the team by pseudonymous id, free seats are
 * free Slots on a Schedule per team, searches by actor, date, status, and errors are OperationOutcomes.
 */
describeForEachDatabase(targets, 'FHIR R4 read API', (target) => {
  let t: TestApp;
  let fx: EnrolmentFixtures;
  let roomId: string;
  let openTeam: string;
  let fullTeam: string;
  let afspTeam: string;
  const patients: string[] = [];
  const courses: string[] = [];

  async function get(path: string, roles: Role[] = ['integration'], sub = 'his-1') {
    return request(t.server).get(path).set('Authorization', `Bearer ${await t.token(roles, sub)}`);
  }

  async function search(path: string, roles: Role[] = ['integration']): Promise<Bundle> {
    const res = await get(path, roles);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = JSON.parse(res.text) as Bundle;
    expect({ path, problems: fhirProblems(bundle) }).toEqual({ path, problems: [] });
    for (const e of bundle.entry) expect({ id: e.resource.id, problems: fhirProblems(e.resource) }).toEqual({ id: e.resource.id, problems: [] });
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    return bundle;
  }

  const refs = (resource: Record<string, any>, key: 'participant' | 'actor') =>
    (resource[key] as Array<Record<string, any>>).map((p) => (key === 'participant' ? p.actor : p).reference as string).sort();

  beforeAll(async () => {
    t = await startTestApp(target, { WEBHOOK_DELIVERY_INTERVAL_MS: '0' });
    fx = new EnrolmentFixtures(t);
    const secretary = await as(t, ['secretary'], 'sec-1');
    const token = await t.token(['secretary'], 'sec-1');
    roomId = (await secretary.post('/rooms', { name: 'Lille lokale', seats: 15 }).expect(201)).body.roomId;
    openTeam = await fx.planTeam({ startsInDays: 20 });
    fullTeam = await fx.planTeam({ startsInDays: 40, seats: 1 });
    for (let i = 0; i < 3; i++) {
      const courseId = await fx.course();
      courses.push(courseId);
      patients.push(((await fx.courseState(courseId)).events[0]!.data as { patientId: string }).patientId);
    }
    expect((await fx.enrol(token, courses[0]!, { teamId: openTeam })).status).toBe(201);
    expect((await fx.enrol(token, courses[1]!, { teamId: openTeam })).status).toBe(201);
    expect((await fx.enrol(token, courses[2]!, { teamId: fullTeam })).status).toBe(201);
    await secretary.post(`/courses/${courses[0]}/appointments`, { intervention: 'KORT_PRIMAERSAMTALE', start: new Date(now + 3 * DAY).toISOString(), clinicianIds: ['doc-7'], roomId }).expect(201);
    const startsOn = new Date(now + 60 * DAY).toISOString().slice(0, 10);
    afspTeam = (await secretary.post('/teams', { programmeCode: 'AFSPAENDING', roomId, startsOn, startTime: '13:00' }).expect(201)).body.teamId;
    await secretary.post(`/teams/${afspTeam}/sessions/2/cancel`, { reason: 'Therapist ill' }).expect(200);
    await caughtUp(t);
  });
  afterAll(async () => t?.close());

  it('GET /fhir/metadata: a valid R4 CapabilityStatement listing Appointment, Slot and Schedule searches (no token needed)', async () => {
    const res = await request(t.server).get('/fhir/metadata').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const cs = JSON.parse(res.text);
    expect(fhirProblems(cs)).toEqual([]);
    expect(cs).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance', status: 'active' });
    expect(cs.rest[0].resource.map((r: { type: string }) => r.type)).toEqual(['Appointment', 'Schedule', 'Slot']);
    expect(cs.rest[0].resource[0].searchParam.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['actor', 'date', 'status', 'patient']));
  });

  it('a group session is an Appointment whose participants are its room, therapists and the patients on the team, by pseudonymous id', async () => {
    const bundle = await search(`/fhir/Appointment?actor=Location/room-1`);
    const sessions = bundle.entry.filter((e) => e.resource.appointmentType.text === 'group session');
    expect(sessions).toHaveLength(2);
    const open = sessions.find((e) => e.resource.identifier[0].value.includes(openTeam))!.resource;
    expect(open).toMatchObject({ resourceType: 'Appointment', status: 'booked', meta: { versionId: '0' } });
    expect(refs(open, 'participant')).toEqual(['Location/room-1', 'Practitioner/fx-primary', 'Practitioner/fx-secondary', `Patient/${patients[0]}`, `Patient/${patients[1]}`].sort());
    expect(open.start).toMatch(/T13:00:00\+0[12]:00$/);
    expect(bundle.entry[0]!.fullUrl).toMatch(/^http:\/\/127\.0\.0\.1(:\d+)?\/fhir\/Appointment\/session\./);
    // pseudonymous only: no course ids either
    for (const c of courses) expect(JSON.stringify(bundle)).not.toContain(c);
  });

  it('searches by actor (Patient, Practitioner, Location), date range and status; pages with _count', async () => {
    const byPatient = await search(`/fhir/Appointment?actor=Patient/${patients[0]}`);
    expect(byPatient.entry.map((e) => e.resource.appointmentType.text).sort()).toEqual(['group session', 'individual appointment']);
    const appointment = byPatient.entry.find((e) => e.resource.appointmentType.text === 'individual appointment')!.resource;
    expect(refs(appointment, 'participant')).toEqual([`Location/${roomId}`, `Patient/${patients[0]}`, 'Practitioner/doc-7']);
    expect(appointment.serviceType[0]).toMatchObject({ coding: [{ code: 'KORT_PRIMAERSAMTALE' }] });

    expect((await search(`/fhir/Appointment?patient=${patients[2]}`)).entry).toHaveLength(1);
    expect((await search(`/fhir/Appointment?actor=Practitioner/doc-7`)).entry).toHaveLength(1);
    expect((await search(`/fhir/Appointment?actor=Practitioner/nobody`)).total).toBe(0);

    const day = (d: number) => new Date(now + d * DAY).toISOString().slice(0, 10);
    const within = await search(`/fhir/Appointment?date=ge${day(1)}&date=le${day(30)}`);
    expect(within.entry.map((e) => e.resource.appointmentType.text).sort()).toEqual(['group session', 'individual appointment']);
    expect((await search(`/fhir/Appointment?date=gt${day(45)}`)).total).toBe(5); // the relaxation team's sessions

    const cancelled = await search(`/fhir/Appointment?status=cancelled`);
    expect(cancelled.entry.map((e) => e.resource.status)).toEqual(['cancelled']);
    expect(cancelled.entry[0]!.resource.meta.versionId).toBe('1');
    expect((await search(`/fhir/Appointment?status=booked&actor=Location/${roomId}`)).total).toBe(5);

    const page = await search(`/fhir/Appointment?_count=2`);
    expect(page.total).toBe(8);
    expect(page.entry).toHaveLength(2);
    const next = page.link.find((l) => l.relation === 'next')!.url;
    const second = await search(next.slice(next.indexOf('/fhir/')));
    expect(second.entry[0]!.resource.id).not.toBe(page.entry[0]!.resource.id);
  });

  it('free team seats are free Slots on a Schedule per team; a full team is busy, a cancelled session busy-unavailable', async () => {
    const schedules = await search(`/fhir/Schedule?actor=Practitioner/fx-primary`);
    expect(schedules.entry.map((e) => e.resource.id).sort()).toEqual([openTeam, fullTeam].sort());
    const open = schedules.entry.find((e) => e.resource.id === openTeam)!.resource;
    expect(refs(open, 'actor')).toEqual(['Location/room-1', 'Practitioner/fx-primary', 'Practitioner/fx-secondary']);
    expect(open).toMatchObject({ active: true, serviceType: [{ coding: [{ code: 'FORSTAA_SMERTE' }] }] });
    expect((await search(`/fhir/Schedule?actor=Location/${roomId}`)).entry.map((e) => e.resource.id)).toEqual([afspTeam]);

    const free = await search(`/fhir/Slot?status=free`);
    const bySchedule = (b: Bundle, team: string) => b.entry.filter((e) => e.resource.schedule.reference === `Schedule/${team}`);
    expect(bySchedule(free, openTeam)).toHaveLength(1);
    expect(bySchedule(free, fullTeam)).toHaveLength(0);
    expect(bySchedule(free, afspTeam)).toHaveLength(4);
    expect((await search(`/fhir/Slot?schedule=Schedule/${fullTeam}`)).entry.map((e) => e.resource.status)).toEqual(['busy']);
    const afsp = await search(`/fhir/Slot?schedule=Schedule/${afspTeam}`);
    expect(afsp.entry.map((e) => e.resource.status)).toEqual(['free', 'busy-unavailable', 'free', 'free', 'free']);
    expect(afsp.entry[0]!.resource.comment).toMatch(/15 of 15 seats free/);
    const day = (d: number) => new Date(now + d * DAY).toISOString().slice(0, 10);
    expect((await search(`/fhir/Slot?start=ge${day(50)}&status=free`)).total).toBe(4);
  });

  it('errors are OperationOutcomes with the right 4xx, for the auth guard too', async () => {
    const outcome = async (res: request.Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      const body = JSON.parse(res.text);
      expect(fhirProblems(body)).toEqual([]);
      expect(body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code }] });
      return body;
    };
    await outcome(await request(t.server).get('/fhir/Appointment'), 401, 'login');
    await outcome(await get('/fhir/Appointment', ['clinician']), 403, 'forbidden');
    const bad = await outcome(await get('/fhir/Appointment?date=yesterday'), 400, 'invalid');
    expect(bad.issue[0].diagnostics).toMatch(/date/);
    await outcome(await get('/fhir/Appointment?status=maybe'), 400, 'invalid');
    await outcome(await get('/fhir/Appointment?actor=Group/1'), 400, 'invalid');
    await outcome(await get('/fhir/Slot?_count=100000'), 400, 'invalid');
    await outcome(await get('/fhir/Patient'), 404, 'not-found');
    await outcome(await get('/fhir/Appointment?date=ge2026-13-01'), 400, 'invalid');
    // auditors, secretaries and admins read too
    for (const role of ['auditor', 'secretary', 'admin'] as Role[]) expect((await get('/fhir/Schedule', [role])).status).toBe(200);
  });

  it('the access log records the pseudonymous patients a FHIR Appointment search disclosed', async () => {
    await search(`/fhir/Appointment?actor=Patient/${patients[1]}`);
    const rows = (await t.app.get(DataSource).query(`SELECT route, patient_ids, course_ids, status FROM access_log WHERE staff_id = 'his-1' AND path = '/fhir/Appointment' ORDER BY id DESC LIMIT 1`)) as Array<{
      route: string;
      patient_ids: string[];
      course_ids: string[];
      status: number;
    }>;
    expect(rows[0]).toMatchObject({ route: '/fhir/Appointment', status: 200 });
    expect([...rows[0]!.patient_ids].sort()).toEqual([patients[0], patients[1]].sort());
    expect([...rows[0]!.course_ids].sort()).toEqual([courses[0], courses[1]].sort());
  });
});
