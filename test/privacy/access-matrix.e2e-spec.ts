import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import type { EventStore } from '#app/event-store';
import { ProjectionRunner } from '#app/projections';
import { ROLES, type Role } from '../../apps/api/src/platform/auth/actor.js';
import { PUBLIC_EXTENSION, ROLES_EXTENSION } from '../../apps/api/src/platform/auth/roles.decorator.js';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import { COURSE_READ_EXTENSION } from '../../apps/api/src/platform/privacy/course-read-policy.js';
import { ALL_CRITERIA_MET, courseApi, cprFor, type Api } from '../courses/course-api.js';
import { CLINIC, EnrolmentFixtures } from '../enrolment/enrolment-fixtures.js';
import { RawClient, routesOf, sample, type OpenApiDocument, type RawResponse, type Route } from '../hostile/hostile-walk.js';
import { testDatabaseTargets, type DatabaseTarget } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { registerStaff } from '../support/clinic-staff.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

/**
 * Who may read what, attacked from inside the clinic and from a second clinic.
 *  1. The course read rule (CourseReadPolicy, README "Who may read a course") on every course route, through a
 *     course's life: awaiting visitation, visitation decided, Kort primærsamtale booked, microteam formed.
 *  2. Team views show participants as the board does (GET /teams/{id}, /offers, /board agree for every caller).
 *  3. Generated from GET /docs-json: every route that takes an id, tried with every role (and none) of the clinic
 *     (403 wherever its x-roles rule does not name the role) and with a second clinic's admin and secretary
 *     (never a 2xx write, never a 2xx read that shows the first clinic's course, patient or team).
 * One target (PostgreSQL when reachable): the rules do not depend on the database.
 */
const targets = await testDatabaseTargets();
const target: DatabaseTarget = present(targets.find((t) => !t.skipReason));

const OTHER_CLINIC = 'other-clinic';
const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();

interface CourseRoute {
  readonly label: string;
  readonly path: (course: string, appointment: string) => string;
}

const COURSE_ROUTES: CourseRoute[] = [
  { label: 'GET /courses/{id}', path: (c) => `/courses/${c}` },
  { label: 'GET /courses/{id}?asOf=', path: (c) => `/courses/${c}?asOf=${encodeURIComponent(new Date().toISOString())}` },
  { label: 'GET /courses/{id}/history', path: (c) => `/courses/${c}/history` },
  {
    label: 'GET /courses/{id}/diff',
    path: (c) =>
      `/courses/${c}/diff?from=${encodeURIComponent(new Date(Date.now() - DAY).toISOString())}&to=${encodeURIComponent(new Date().toISOString())}`,
  },
  { label: 'GET /courses/{id}/appointments', path: (c) => `/courses/${c}/appointments` },
  { label: 'GET /courses/{id}/appointments/{appointmentId}', path: (c, a) => `/courses/${c}/appointments/${a}` },
  { label: 'GET /calendars/courses/{id}', path: (c) => `/calendars/courses/${c}` },
];

describe(`who may read what: the course read rule, team views, and every id route by role and clinic [${target.kind}]`, () => {
  let t: TestApp;
  let api: Api;
  let fx: EnrolmentFixtures;
  let client: RawClient;
  let dataSource: DataSource;
  let courseId: string;
  let patientId: string;
  let waitingId: string;
  let teamId: string;
  let appointmentId = '00000000-0000-4000-8000-000000000000';

  const token = (roles: Role[], sub: string, clinicId = CLINIC) => t.token(roles, sub, clinicId);
  const get = async (path: string, roles: Role[], sub: string, clinicId = CLINIC): Promise<RawResponse> =>
    client.send({ method: 'GET', path, headers: { authorization: `Bearer ${await token(roles, sub, clinicId)}` } });
  const caughtUp = async () => t.app.get(ProjectionRunner).waitFor(await t.app.get<EventStore>(EVENT_STORE).headPosition(), 15_000);

  /** status of every course route for the caller, e.g. { 'GET /courses/{id}': 200, … } */
  async function courseStatuses(roles: Role[], sub: string, clinicId = CLINIC, course = courseId): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const route of COURSE_ROUTES) out[route.label] = (await get(route.path(course, appointmentId), roles, sub, clinicId)).status;
    return out;
  }
  const all = (status: number, except: Record<string, number> = {}) =>
    Object.fromEntries(COURSE_ROUTES.map((r) => [r.label, except[r.label] ?? status]));

  beforeAll(async () => {
    t = await startTestApp(target);
    await t.app.listen(0, '127.0.0.1');
    client = new RawClient(((t.app.getHttpServer() as Server).address() as AddressInfo).port, 4);
    dataSource = t.app.get(DataSource);
    api = courseApi(t);
    fx = new EnrolmentFixtures(t);
    for (const [clinicianId, profession] of [
      ['doc-queue', 'DOCTOR'],
      ['physio-1', 'PHYSIOTHERAPIST'],
    ] as const) {
      const res = await api.call('post', '/clinicians', ['secretary'], {
        clinicianId,
        professions: [profession],
        employmentStart: '2020-01-01',
      });
      expect(res.status).toBe(201);
    }
    await registerStaff(t, { clinicians: ['doc-kort', 'doc-pal', 'nurse-1'] }); // only the clinic's own clinicians can be booked or named
    const created = await api.referral(cprFor(701));
    expect(created.status).toBe(201);
    ({ courseId, patientId } = created.body);
    await caughtUp();
  });
  afterAll(async () => {
    await closeIfStarted(client, t);
  });

  it('before the visitation: secretaries, admins, auditors and the clinic’s visitation doctors read the course; nobody else', async () => {
    expect(await courseStatuses(['secretary'], 'sec-1')).toEqual(all(200, { 'GET /courses/{id}/appointments/{appointmentId}': 404 }));
    expect(await courseStatuses(['admin'], 'admin-1')).toEqual(all(200, { 'GET /courses/{id}/appointments/{appointmentId}': 404 }));
    expect(await courseStatuses(['auditor'], 'aud-1')).toEqual(all(200, { 'GET /courses/{id}/appointments/{appointmentId}': 404 }));
    // registered as a doctor, the profession the catalogue names for PAPER_VISITATION
    expect(await courseStatuses(['clinician'], 'doc-queue')).toEqual(all(200, { 'GET /courses/{id}/appointments/{appointmentId}': 404 }));
    expect(await courseStatuses(['clinician'], 'physio-1')).toEqual(all(403));
    expect(await courseStatuses(['clinician'], 'doc-unregistered')).toEqual(all(403));
    expect(await courseStatuses(['integration'], 'his-1')).toEqual(all(403));
    expect(await courseStatuses([], 'nobody')).toEqual(all(403));
    // another clinic: as if the course did not exist
    expect(await courseStatuses(['secretary'], 'sec-b', OTHER_CLINIC)).toEqual(all(404));
    expect(await courseStatuses(['admin'], 'admin-b', OTHER_CLINIC)).toEqual(all(404));
    expect(await courseStatuses(['clinician'], 'doc-queue', OTHER_CLINIC)).toEqual(all(404));
  });

  it('answers a refusal with a stable code and a sentence, and logs the refused look-up', async () => {
    const res = await get(`/courses/${courseId}`, ['clinician'], 'physio-1');
    expect(res.body).toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message:
        "You can read a patient's course while you are in its microteam, or before there is one while you do its visitation; a secretary can look it up for you.",
      details: { courseId },
    });
    const unknown = await get('/courses/5b7f8c1e-2d1a-4c43-9a1e-7d2f4b9c0a12', ['clinician'], 'physio-1');
    expect(unknown.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    const rows = await dataSource.query<
      Array<{
        status: number;
        outcome: string;
        course_ids: string[];
      }>
    >(`SELECT status, outcome, course_ids FROM access_log WHERE staff_id = 'physio-1' AND route = '/courses/:id' ORDER BY id`);
    expect(rows.filter((r) => r.course_ids.includes(courseId) && r.status === 403).length).toBeGreaterThan(0);
  });

  it('logs every auditor read in the access log', async () => {
    await get(`/courses/${courseId}/history`, ['auditor'], 'aud-logged');
    const rows = await dataSource.query<Array<{ roles: string[]; status: number; course_ids: string[] }>>(
      `SELECT roles, status, course_ids, path FROM access_log WHERE staff_id = 'aud-logged'`,
    );
    expect(rows).toEqual([expect.objectContaining({ roles: ['auditor'], status: 200, course_ids: [courseId] })]);
  });

  it('after the visitation: the deciding doctor and a doctor booked on its appointment read it; the visitation queue no longer', async () => {
    const accepted = await api.call(
      'post',
      `/courses/${courseId}/visitation`,
      ['clinician'],
      { decision: 'accept', assessment: ALL_CRITERIA_MET },
      {},
      'doc-visit',
    );
    expect(accepted.status).toBe(200);
    const booked = await api.call('post', `/courses/${courseId}/appointments`, ['secretary'], {
      intervention: 'KORT_PRIMAERSAMTALE',
      start: inDays(3),
      clinicianIds: ['doc-kort'],
    });
    expect(booked.status).toBe(201);
    appointmentId = booked.body.appointmentId;
    expect(await courseStatuses(['clinician'], 'doc-visit')).toEqual(all(200));
    expect(await courseStatuses(['clinician'], 'doc-kort')).toEqual(all(200));
    expect(await courseStatuses(['clinician'], 'doc-queue')).toEqual(all(403));
    expect(await courseStatuses(['secretary'], 'sec-1')).toEqual(all(200));
    expect(await courseStatuses(['secretary'], 'sec-b', OTHER_CLINIC)).toEqual(all(404));
  });

  it('once a microteam exists only its members read the course (and secretaries, admins, auditors)', async () => {
    expect((await api.call('post', `/courses/${courseId}/microteam`, ['secretary'], { clinicianId: 'doc-pal', role: 'PAL' })).status).toBe(
      200,
    );
    expect(await courseStatuses(['clinician'], 'doc-pal')).toEqual(all(200));
    expect(await courseStatuses(['clinician'], 'doc-visit')).toEqual(all(403));
    expect(await courseStatuses(['clinician'], 'doc-kort')).toEqual(all(403));
    expect(await courseStatuses(['auditor'], 'aud-1')).toEqual(all(200));
    // removed from the microteam: no longer
    expect(
      (await api.call('post', `/courses/${courseId}/microteam`, ['secretary'], { clinicianId: 'nurse-1', role: 'CONTACT_NURSE' })).status,
    ).toBe(200);
    expect((await api.call('delete', `/courses/${courseId}/microteam/doc-pal`, ['secretary'], { reason: 'Changed PAL' })).status).toBe(200);
    expect(await courseStatuses(['clinician'], 'doc-pal')).toEqual(all(403));
    expect(await courseStatuses(['clinician'], 'nurse-1')).toEqual(all(200));
  });

  it('team views show participants as the board does: the team’s therapists and the microteam see them, other clinicians see null', async () => {
    teamId = await fx.planTeam({ startsInDays: 30, seats: 1 });
    const facts = { facts: [{ fact: 'needsInterpreter', value: false, basis: { source: 'REFERRAL' } }] };
    expect((await api.call('put', `/courses/${courseId}/criteria`, ['clinician'], facts, {}, 'nurse-1')).status).toBe(200);
    const enrolled = await api.call('post', `/courses/${courseId}/enrolments`, ['secretary'], { teamId });
    expect({ status: enrolled.status, body: enrolled.status === 201 ? undefined : enrolled.body }).toEqual({
      status: 201,
      body: undefined,
    });
    const waiting = await api.referral(cprFor(702));
    waitingId = waiting.body.courseId;
    expect(
      (
        await api.call(
          'post',
          `/courses/${waitingId}/visitation`,
          ['clinician'],
          { decision: 'accept', assessment: ALL_CRITERIA_MET },
          {},
          'doc-visit',
        )
      ).status,
    ).toBe(200);
    expect((await api.call('put', `/courses/${waitingId}/criteria`, ['clinician'], facts, {}, 'doc-visit')).status).toBe(200);
    const joined = await api.call('post', `/courses/${waitingId}/enrolments`, ['secretary'], { teamId, joinWaitlistIfFull: true });
    expect(joined.status).toBe(202);
    await caughtUp();
    // the board is a read model: wait until it has the seat and the waiting place (and the roster its microteam)
    await waitFor(async () => {
      const board = (await get(`/teams/${teamId}/board`, ['secretary'], 'sec-1')).body as {
        seats?: { reserved: unknown[] };
        waitlist?: unknown[];
      };
      return board.seats?.reserved.length === 1 && board.waitlist?.length === 1;
    }, 'the board to show the seat and the waiting place');

    /** the course ids a caller is shown, from each team view */
    const shownIn = async (roles: Role[], sub: string) => {
      const team = (await get(`/teams/${teamId}`, roles, sub)).body as {
        seats: { reserved: Array<{ courseId: string | null }> };
        waitlist: Array<{ courseId: string | null }>;
      };
      const offers = (await get(`/teams/${teamId}/offers`, roles, sub)).body as { waitlist: Array<{ courseId: string | null }> };
      const board = (await get(`/teams/${teamId}/board`, roles, sub)).body as {
        seats: { reserved: Array<{ courseId: string | null }> };
        waitlist: Array<{ courseId: string | null }>;
      };
      return {
        team: { seated: team.seats.reserved.map((s) => s.courseId), waiting: team.waitlist.map((w) => w.courseId) },
        offers: { waiting: offers.waitlist.map((w) => w.courseId) },
        board: { seated: board.seats.reserved.map((s) => s.courseId), waiting: board.waitlist.map((w) => w.courseId) },
      };
    };
    const seeing = (seated: string | null, waiting: string | null) => ({
      team: { seated: [seated], waiting: [waiting] },
      offers: { waiting: [waiting] },
      board: { seated: [seated], waiting: [waiting] },
    });
    expect(await shownIn(['clinician'], 'fx-primary')).toEqual(seeing(courseId, waitingId)); // the team's therapist
    expect(await shownIn(['secretary'], 'sec-1')).toEqual(seeing(courseId, waitingId));
    expect(await shownIn(['auditor'], 'aud-1')).toEqual(seeing(courseId, waitingId));
    expect(await shownIn(['clinician'], 'nurse-1')).toEqual(seeing(courseId, null)); // microteam of the seated course only
    expect(await shownIn(['clinician'], 'doc-other')).toEqual(seeing(null, null));
    // the team's therapist sees participants, not their courses
    expect((await get(`/courses/${courseId}`, ['clinician'], 'fx-primary')).status).toBe(403);
    // and neither view lists a hidden id anywhere else (offers, attendance)
    for (const path of [`/teams/${teamId}`, `/teams/${teamId}/offers`, `/teams/${teamId}/board`]) {
      const res = await get(path, ['clinician'], 'doc-other');
      expect({ path, leaks: res.text.includes(courseId) || res.text.includes(waitingId) }).toEqual({ path, leaks: false });
    }
  });

  it('generated: every id-taking route refuses every role its rule does not name (403, nothing written), and a second clinic never reads or writes', async () => {
    const doc = (await client.send({ method: 'GET', path: '/docs-json' })).body as OpenApiDocument;
    const operations = Object.entries(doc.paths).flatMap(([template, ops]) =>
      Object.entries(ops as Record<string, Record<string, unknown>>)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({
          template,
          method: method.toUpperCase(),
          op,
          route: routesOf({ ...doc, paths: { [template]: { [method]: op } } })[0],
        })),
    );
    const idRoutes = operations.filter((o) => o.template.includes('{') && o.op[PUBLIC_EXTENSION] !== true);
    expect(idRoutes.length).toBeGreaterThan(40);
    // every course route is guarded by the course read rule
    const courseReads = idRoutes
      .filter((o) => o.method === 'GET' && /^\/courses\/\{id\}/.test(o.template))
      .filter((o) => !o.op[COURSE_READ_EXTENSION]);
    expect(courseReads.map((o) => o.template)).toEqual([]);
    expect(present(operations.find((o) => o.template === '/calendars/courses/{id}')).op[COURSE_READ_EXTENSION]).toBeDefined();

    const fill = (route: Route): string =>
      route.template.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const t = route.template;
        if (name === 'id' && t.startsWith('/courses/')) return courseId;
        if (name === 'id' && t.startsWith('/teams/')) return teamId;
        if (name === 'teamId') return teamId;
        if (name === 'courseId') return courseId;
        if (name === 'appointmentId') return appointmentId;
        if (name === 'id' && (t.startsWith('/clinicians/') || t.startsWith('/calendars/clinicians/'))) return 'doc-queue';
        if (name === 'id' && t.startsWith('/calendars/teams/')) return teamId;
        if (name === 'id' && t.startsWith('/calendars/rooms/')) return 'room-1';
        if (name === 'clinicId') return CLINIC;
        if (name === 'clinicianId') return 'nurse-1';
        if (name === 'stepCode') return 'KORT_PRIMAERSAMTALE';
        if (name === 'code') return t.startsWith('/programmes') ? 'FORSTAA_SMERTE' : 'TEACHING_COURSE';
        if (name === 'n') return '1';
        return '5f1e2d3c-4b5a-4697-8877-66554433aa01';
      });
    const events = async () => Number((await dataSource.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM events`))[0].n);
    const before = await events();
    const problems: string[] = [];
    let calls = 0;
    const send = async (o: (typeof idRoutes)[number], bearer: string) => {
      const body = o.route.bodySchema ? JSON.stringify(sample(doc, o.route.bodySchema)) : undefined;
      calls++;
      return client.send({
        method: o.method,
        path: fill(o.route),
        headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body } : {}),
      });
    };
    const roleTokens: Array<[string, string, Role[]]> = [];
    for (const role of ROLES.filter((r) => r !== 'admin')) roleTokens.push([role, await token([role], `matrix-${role}`), [role]]);
    roleTokens.push(['no roles', await token([], 'matrix-none'), []]);
    const otherClinic: Array<[string, string]> = [
      ['admin of another clinic', await token(['admin'], 'b-admin', OTHER_CLINIC)],
      ['secretary of another clinic', await token(['secretary'], 'b-secretary', OTHER_CLINIC)],
      ['clinician of another clinic named nurse-1', await token(['clinician'], 'nurse-1', OTHER_CLINIC)],
    ];
    const secrets = [courseId, patientId, waitingId];

    for (const o of idRoutes) {
      const label = `${o.method} ${o.template}`;
      const allowed = (o.op[ROLES_EXTENSION] as Role[] | undefined) ?? [];
      for (const [who, bearer, roles] of roleTokens) {
        if (roles.some((r) => allowed.includes(r))) continue;
        const res = await send(o, bearer);
        if (res.status !== 403) problems.push(`${label} [${who}] → ${res.status}, the rule (${allowed.join(', ')}) says 403`);
      }
      for (const [who, bearer] of otherClinic) {
        const res = await send(o, bearer);
        if (res.status >= 500) problems.push(`${label} [${who}] → ${res.status}`);
        if (res.status < 300 && o.method !== 'GET') problems.push(`${label} [${who}] → ${res.status}: a write across clinics`);
        if (res.status < 300 && secrets.some((s) => res.text.includes(s)))
          problems.push(`${label} [${who}] → ${res.status}: shows the first clinic's patient`);
      }
    }
    expect(problems).toEqual([]);
    expect(calls).toBeGreaterThan(200);
    expect(await events()).toBe(before);
  });
});
