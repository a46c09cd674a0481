import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Role } from '../../apps/api/src/platform/auth/actor.js';
import { EnrolmentFixtures } from '../enrolment/enrolment-fixtures.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as } from '../teams/helpers.js';
import { caughtUp } from './caught-up.js';
import { fhirProblems } from './fhir-validation.js';
import { registerStaff } from '../support/clinic-staff.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

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
    return request(t.server)
      .get(path)
      .set('Authorization', `Bearer ${await t.token(roles, sub)}`);
  }

  async function search(path: string, roles: Role[] = ['integration']): Promise<Bundle> {
    const res = await get(path, roles);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = JSON.parse(res.text) as Bundle;
    expect({ path, problems: fhirProblems(bundle) }).toEqual({ path, problems: [] });
    for (const e of bundle.entry)
      expect({ id: e.resource.id, problems: fhirProblems(e.resource) }).toEqual({ id: e.resource.id, problems: [] });
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
    await registerStaff(t, { clinicians: ['doc-7'] }); // only the clinic's own clinicians can be booked
    openTeam = await fx.planTeam({ startsInDays: 20 });
    fullTeam = await fx.planTeam({ startsInDays: 40, seats: 1 });
    for (let i = 0; i < 3; i++) {
      const courseId = await fx.course();
      courses.push(courseId);
      patients.push(((await fx.courseState(courseId)).events[0].data as { patientId: string }).patientId);
    }
    expect((await fx.enrol(token, courses[0], { teamId: openTeam })).status).toBe(201);
    expect((await fx.enrol(token, courses[1], { teamId: openTeam })).status).toBe(201);
    expect((await fx.enrol(token, courses[2], { teamId: fullTeam })).status).toBe(201);
    await secretary
      .post(`/courses/${courses[0]}/appointments`, {
        intervention: 'KORT_PRIMAERSAMTALE',
        start: new Date(now + 3 * DAY).toISOString(),
        clinicianIds: ['doc-7'],
        roomId,
      })
      .expect(201);
    const startsOn = new Date(now + 60 * DAY).toISOString().slice(0, 10);
    afspTeam = (await secretary.post('/teams', { programmeCode: 'AFSPAENDING', roomId, startsOn, startTime: '13:00' }).expect(201)).body
      .teamId;
    await secretary.post(`/teams/${afspTeam}/sessions/2/cancel`, { reason: 'Therapist ill' }).expect(200);
    await caughtUp(t);
  });
  afterAll(() => closeIfStarted(t));

  it('GET /fhir/metadata: a valid R4 CapabilityStatement listing Appointment, Slot and Schedule searches (no token needed)', async () => {
    const res = await request(t.server).get('/fhir/metadata').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const cs = JSON.parse(res.text);
    expect(fhirProblems(cs)).toEqual([]);
    expect(cs).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance', status: 'active' });
    const resources = cs.rest[0].resource as Array<{
      type: string;
      interaction: Array<{ code: string }>;
      searchParam?: Array<{ name: string }>;
      searchInclude?: string[];
    }>;
    expect(resources.map((r) => r.type)).toEqual([
      'Appointment',
      'HealthcareService',
      'Location',
      'Patient',
      'Practitioner',
      'PractitionerRole',
      'Schedule',
      'Slot',
    ]);
    const byType = Object.fromEntries(resources.map((r) => [r.type, r]));
    expect(present(byType.Appointment.searchParam).map((p) => p.name)).toEqual(
      expect.arrayContaining(['actor', 'date', 'status', 'patient', '_id', '_lastUpdated', '_count']),
    );
    expect(byType.Appointment.searchInclude).toEqual(expect.arrayContaining(['Appointment:actor']));
    for (const r of resources) {
      expect({ type: r.type, interactions: r.interaction.map((i) => i.code) }).toEqual({
        type: r.type,
        interactions: r.type === 'Patient' ? ['read'] : ['read', 'search-type'],
      });
      if (r.type !== 'Patient')
        expect(present(r.searchParam).map((p) => p.name)).toEqual(expect.arrayContaining(['_id', '_lastUpdated', '_count', '_offset']));
    }
  });

  it('a group session is an Appointment whose participants are its room, therapists and the patients on the team, by pseudonymous id', async () => {
    const bundle = await search(`/fhir/Appointment?actor=Location/room-1`);
    const sessions = bundle.entry.filter((e) => e.resource.appointmentType.text === 'group session');
    expect(sessions).toHaveLength(2);
    const open = present(sessions.find((e) => e.resource.identifier[0].value.includes(openTeam))).resource;
    expect(open).toMatchObject({ resourceType: 'Appointment', status: 'booked', meta: { versionId: '0' } });
    expect(refs(open, 'participant')).toEqual(
      [
        'Location/room-1',
        'Practitioner/fx-primary',
        'Practitioner/fx-secondary',
        `Patient/${patients[0]}`,
        `Patient/${patients[1]}`,
      ].sort(),
    );
    expect(open.start).toMatch(/T13:00:00\+0[12]:00$/);
    expect(bundle.entry[0].fullUrl).toMatch(/^http:\/\/127\.0\.0\.1(:\d+)?\/fhir\/Appointment\/session\./);
    // pseudonymous only: no course ids either
    for (const c of courses) expect(JSON.stringify(bundle)).not.toContain(c);
  });

  it('searches by actor (Patient, Practitioner, Location), date range and status; pages with _count', async () => {
    const byPatient = await search(`/fhir/Appointment?actor=Patient/${patients[0]}`);
    expect(byPatient.entry.map((e) => e.resource.appointmentType.text).sort()).toEqual(['group session', 'individual appointment']);
    const appointment = present(byPatient.entry.find((e) => e.resource.appointmentType.text === 'individual appointment')).resource;
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
    expect(cancelled.entry[0].resource.meta.versionId).toBe('1');
    expect((await search(`/fhir/Appointment?status=booked&actor=Location/${roomId}`)).total).toBe(5);

    const page = await search(`/fhir/Appointment?_count=2`);
    expect(page.total).toBe(8);
    expect(page.entry).toHaveLength(2);
    const next = present(page.link.find((l) => l.relation === 'next')).url;
    const second = await search(next.slice(next.indexOf('/fhir/')));
    expect(second.entry[0].resource.id).not.toBe(page.entry[0].resource.id);
  });

  it('free team seats are free Slots on a Schedule per team; a full team is busy, a cancelled session busy-unavailable', async () => {
    const schedules = await search(`/fhir/Schedule?actor=Practitioner/fx-primary`);
    expect(schedules.entry.map((e) => e.resource.id).sort()).toEqual([openTeam, fullTeam].sort());
    const open = present(schedules.entry.find((e) => e.resource.id === openTeam)).resource;
    expect(refs(open, 'actor')).toEqual([
      'HealthcareService/forstaa-smerte',
      'Location/room-1',
      'Practitioner/fx-primary',
      'Practitioner/fx-secondary',
    ]);
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
    expect(afsp.entry[0].resource.comment).toMatch(/15 of 15 seats free/);
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
    await outcome(await get('/fhir/Slot?_count=many'), 400, 'invalid');
    await outcome(await get('/fhir/Patient'), 404, 'not-found');
    // no create, update or unknown operation: an OperationOutcome as well
    await outcome(
      await request(t.server)
        .post('/fhir/Appointment')
        .set('Authorization', `Bearer ${await t.token(['integration'], 'his-1')}`)
        .send({ resourceType: 'Appointment' }),
      404,
      'not-found',
    );
    await outcome(
      await request(t.server)
        .post('/fhir/Appointment/$everything')
        .set('Authorization', `Bearer ${await t.token(['integration'], 'his-1')}`)
        .send({}),
      404,
      'not-found',
    );
    await outcome(await get('/fhir/Appointment?date=ge2026-13-01'), 400, 'invalid');
    // auditors, secretaries and admins read too
    for (const role of ['auditor', 'secretary', 'admin'] as Role[]) expect((await get('/fhir/Schedule', [role])).status).toBe(200);
  });

  it('every fullUrl and every reference in every Bundle and resource reads back (200, valid R4, the same resource)', async () => {
    const seen = new Set<string>();
    const queue: string[] = [];
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) {
        value.forEach(collect);
        return;
      }
      if (!value || typeof value !== 'object') return;
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        if (key === 'reference' && typeof child === 'string') queue.push(`/fhir/${child}`);
        else if (key === 'fullUrl' && typeof child === 'string') queue.push(child.slice(child.indexOf('/fhir/')));
        else collect(child);
      }
    };
    for (const type of ['Appointment', 'Schedule', 'Slot', 'Practitioner', 'PractitionerRole', 'Location', 'HealthcareService']) {
      const bundle = await search(`/fhir/${type}`);
      expect({ type, total: bundle.total > 0 }).toEqual({ type, total: true });
      collect(bundle);
    }
    const counts: Partial<Record<string, number>> = {};
    while (queue.length > 0) {
      const path = present(queue.shift());
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      const resource = JSON.parse(res.text);
      expect({ path, problems: fhirProblems(resource) }).toEqual({ path, problems: [] });
      expect(`/fhir/${resource.resourceType}/${resource.id}`).toBe(path);
      counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1;
      collect(resource);
    }
    // every kind was reached: 8 appointments, 3 teams (schedules) with their 7 sessions (slots), 3 patients, …
    expect(counts).toMatchObject({ Appointment: 8, Schedule: 3, Slot: 7, Patient: 3, Practitioner: 3, Location: 2, PractitionerRole: 4 });
    expect(counts.HealthcareService).toBeGreaterThanOrEqual(2);
    // the patients are their pseudonymous id and nothing else
    const patient = JSON.parse((await get(`/fhir/Patient/${patients[0]}`)).text);
    expect(Object.keys(patient).sort()).toEqual(['active', 'id', 'meta', 'resourceType']);
  });

  it("another clinic's ids (and unknown ones) are a 404 OperationOutcome for every type", async () => {
    const elsewhere = async (path: string) =>
      request(t.server)
        .get(path)
        .set('Authorization', `Bearer ${await t.token(['integration'], 'his-2', 'another-clinic')}`);
    const appointmentId = (await search('/fhir/Appointment?_count=1')).entry[0].resource.id;
    const slotId = (await search('/fhir/Slot?_count=1')).entry[0].resource.id;
    const paths = [
      `/fhir/Appointment/${appointmentId}`,
      `/fhir/Schedule/${openTeam}`,
      `/fhir/Slot/${slotId}`,
      '/fhir/Practitioner/fx-primary',
      `/fhir/PractitionerRole/${openTeam}.fx-primary`,
      '/fhir/Location/room-1',
      `/fhir/Location/${roomId}`,
      `/fhir/Patient/${patients[0]}`,
    ];
    for (const path of paths) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 200 });
      const res = await elsewhere(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      const body = JSON.parse(res.text);
      expect(fhirProblems(body)).toEqual([]);
      expect(body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
      // the same answer as for an id that exists nowhere
      expect(body.issue[0].details.text).toMatch(/^There is no \w+ with id .* in your clinic\.$/);
    }
    for (const path of [
      '/fhir/Appointment/does-not-exist',
      '/fhir/Schedule/nope',
      '/fhir/Practitioner/nobody',
      '/fhir/HealthcareService/nope',
      '/fhir/Patient/nobody',
      '/fhir/Location/no%2Fsuch',
    ]) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 404 });
    }
    // another clinic's searches find none of this clinic's data
    for (const type of ['Appointment', 'Schedule', 'Slot', 'Practitioner', 'PractitionerRole', 'Location']) {
      const res = await elsewhere(`/fhir/${type}`);
      expect({ type, status: res.status, total: JSON.parse(res.text).total }).toEqual({ type, status: 200, total: 0 });
    }
  });

  it('_id and _lastUpdated on every search; unknown parameters: lenient ignores them and leaves them out of the self link, strict is a 400 naming each', async () => {
    expect((await search('/fhir/Appointment?_id=does-not-exist')).total).toBe(0);
    const one = (await search('/fhir/Appointment?_count=1')).entry[0].resource;
    const byId = await search(`/fhir/Appointment?_id=${one.id}`);
    expect(byId.entry.map((e) => e.resource.id)).toEqual([one.id]);
    expect(present(byId.link.find((l) => l.relation === 'self')).url).toMatch(
      new RegExp(`/fhir/Appointment\\?_id=${one.id.replace(/\./g, '\\.')}$`),
    );
    for (const type of ['Appointment', 'Schedule', 'Slot', 'Practitioner', 'PractitionerRole', 'Location', 'HealthcareService']) {
      const all = await search(`/fhir/${type}`);
      const first = all.entry[0].resource;
      expect({ type, ids: (await search(`/fhir/${type}?_id=${first.id}`)).entry.map((e) => e.resource.id) }).toEqual({
        type,
        ids: [first.id],
      });
      expect({ type, total: (await search(`/fhir/${type}?_id=nothing-like-it`)).total }).toEqual({ type, total: 0 });
      const future = new Date(Date.now() + 400 * DAY).toISOString().slice(0, 10);
      const past = '2020-01-01';
      if (type !== 'HealthcareService') {
        // the built-in catalogue has no publication time, so its services carry no lastUpdated
        expect({ type, total: (await search(`/fhir/${type}?_lastUpdated=ge${past}&_lastUpdated=lt${future}`)).total }).toEqual({
          type,
          total: all.total,
        });
      }
      expect({ type, total: (await search(`/fhir/${type}?_lastUpdated=gt${future}`)).total }).toEqual({ type, total: 0 });
      expect({ type, total: (await search(`/fhir/${type}?_lastUpdated=lt${past}`)).total }).toEqual({ type, total: 0 });
    }
    // _lastUpdated moves with a change: the cancelled session of the relaxation team was updated after it was planned
    const cancelled = (await search('/fhir/Appointment?status=cancelled')).entry[0].resource;
    const since = cancelled.meta.lastUpdated as string;
    expect((await search(`/fhir/Appointment?_lastUpdated=ge${encodeURIComponent(since)}`)).entry.map((e) => e.resource.id)).toContain(
      cancelled.id,
    );

    // lenient (default): ignored, and not in the self link
    const lenient = await search('/fhir/Appointment?foo=bar&status=cancelled&name:exact=x&_sort=date');
    expect(lenient.total).toBe(1);
    expect(present(lenient.link.find((l) => l.relation === 'self')).url).toMatch(/\/fhir\/Appointment\?status=cancelled$/);
    const ignoredId = await get('/fhir/Appointment?_id=does-not-exist&unknown=1', ['integration']);
    expect(JSON.parse(ignoredId.text).total).toBe(0);

    // strict: 400 naming each unsupported parameter
    const strict = await request(t.server)
      .get('/fhir/Appointment?foo=bar&status=cancelled&_sort=date&_include=Appointment:based-on')
      .set('Authorization', `Bearer ${await t.token(['integration'], 'his-1')}`)
      .set('Prefer', 'handling=strict');
    expect(strict.status).toBe(400);
    const outcome = JSON.parse(strict.text);
    expect(fhirProblems(outcome)).toEqual([]);
    expect(outcome.issue[0]).toMatchObject({ code: 'invalid', details: { coding: [{ code: 'UNSUPPORTED_SEARCH_PARAMETER' }] } });
    expect(outcome.issue[0].details.text).toMatch(/foo.*_sort.*_include=Appointment:based-on/);
    expect(outcome.issue.slice(1).map((i: { code: string; diagnostics: string }) => [i.code, i.diagnostics.split(':')[0]])).toEqual([
      ['not-supported', 'foo'],
      ['not-supported', '_sort'],
      ['not-supported', '_include=Appointment'],
    ]);
    // strict with only supported parameters answers as usual
    const fine = await request(t.server)
      .get('/fhir/Appointment?status=cancelled')
      .set('Authorization', `Bearer ${await t.token(['integration'], 'his-1')}`)
      .set('Prefer', 'handling=strict');
    expect(fine.status).toBe(200);
  });

  it('_count over the maximum: capped in lenient handling, a 400 under handling=strict', async () => {
    const capped = await search('/fhir/Slot?_count=100000');
    expect(capped.total).toBe(7);
    expect(capped.entry).toHaveLength(7);
    expect(present(capped.link.find((l) => l.relation === 'self')).url).toMatch(/_count=500$/);
    const strict = await request(t.server)
      .get('/fhir/Slot?_count=100000')
      .set('Authorization', `Bearer ${await t.token(['integration'], 'his-1')}`)
      .set('Prefer', 'handling=strict');
    expect(strict.status).toBe(400);
    expect(JSON.parse(strict.text).issue[0].diagnostics).toMatch(/_count/);
  });

  it('_include: Appointment:actor adds the room, therapists and patients once each, as include entries', async () => {
    const bundle = await search(`/fhir/Appointment?actor=Location/room-1&_include=Appointment:actor`);
    const matches = bundle.entry.filter((e: any) => e.search.mode === 'match');
    const included = bundle.entry.filter((e: any) => e.search.mode === 'include');
    expect(matches).toHaveLength(2);
    expect(bundle.total).toBe(2);
    expect(included.map((e) => `${e.resource.resourceType}/${e.resource.id}`).sort()).toEqual(
      ['Location/room-1', 'Practitioner/fx-primary', 'Practitioner/fx-secondary', ...patients.map((p) => `Patient/${p}`)].sort(),
    );
    const practitioners = await search(`/fhir/Appointment?actor=Location/room-1&_include=Appointment:practitioner`);
    expect(practitioners.entry.filter((e: any) => e.search.mode === 'include').map((e) => e.resource.resourceType)).toEqual([
      'Practitioner',
      'Practitioner',
    ]);
    const slots = await search(`/fhir/Slot?schedule=Schedule/${openTeam}&_include=Slot:schedule`);
    expect(slots.entry.filter((e: any) => e.search.mode === 'include').map((e) => e.resource.id)).toEqual([openTeam]);
    const roles = await search(`/fhir/PractitionerRole?practitioner=Practitioner/fx-primary&_include=PractitionerRole:service`);
    expect(roles.entry.filter((e: any) => e.search.mode === 'match')).toHaveLength(2);
    expect(roles.entry.filter((e: any) => e.search.mode === 'include').map((e) => e.resource.id)).toEqual(['forstaa-smerte']);
  });

  it('the access log records the pseudonymous patients a FHIR Appointment search disclosed', async () => {
    await search(`/fhir/Appointment?actor=Patient/${patients[1]}`);
    const rows = await t.app.get(DataSource).query<
      Array<{
        route: string;
        patient_ids: string[];
        course_ids: string[];
        status: number;
      }>
    >(`SELECT route, patient_ids, course_ids, status FROM access_log WHERE staff_id = 'his-1' AND path = '/fhir/Appointment' ORDER BY id DESC LIMIT 1`);
    expect(rows[0]).toMatchObject({ route: '/fhir/Appointment', status: 200 });
    expect([...rows[0].patient_ids].sort()).toEqual([patients[0], patients[1]].sort());
    expect([...rows[0].course_ids].sort()).toEqual([courses[0], courses[1]].sort());
  });
});
