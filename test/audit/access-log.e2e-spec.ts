import request from 'supertest';
import { DataSource } from 'typeorm';
import type { EventStore } from '#app/event-store';
import { ProjectionRunner } from '#app/projections';
import { AccessLogRetention } from '../../apps/api/src/platform/access-log/access-log.retention.js';
import { PatientRoutes } from '../../apps/api/src/platform/access-log/patient-routes.js';
import type { Role } from '../../apps/api/src/platform/auth/actor.js';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import { courseApi, cprFor, type Api } from '../courses/course-api.js';
import { EnrolmentFixtures } from '../enrolment/enrolment-fixtures.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { registerStaff } from '../support/clinic-staff.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

/**
 * Which paths of the OpenAPI document are patient data (every operation on them must carry @PatientData
 * and be logged):
 * - /courses/{id}… — a patient's course, its history, appointments, enrolments, access log;
 * - /referrals — creates a patient's course (the CPR number is in the body);
 * - …/roster — the courses of a clinician's microteams;
 * - /calendars/… — course calendars, and clinician/room/team calendars that name patients' courses;
 * - /patients… — patient identity (none yet);
 * - /teams/{id}… — a team's seats, waitlist, offers, attendance and history name the courses on it;
 * - /fhir/Appointment — patients' appointments for hospital systems; /fhir/Patient/{id} — a patient by pseudonymous id.
 * Not patient data: /teams (list: counts), POST /teams (a new team has no patients), /clinicians/{id}
 * (staff), /rooms, /programmes, /catalogues, /capacity-outlook and /reports (aggregates), /me, /health, /docs.
 */
function isPatientPath(path: string): boolean {
  return (
    path.startsWith('/courses/') ||
    path.startsWith('/referrals') ||
    path.includes('/roster') ||
    path.startsWith('/calendars/') ||
    path.startsWith('/patients') ||
    path.startsWith('/teams/{') ||
    path.startsWith('/fhir/Appointment') ||
    path.startsWith('/fhir/Patient')
  );
}

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly op: { parameters?: Array<{ name: string; in: string; required?: boolean }>; 'x-patient-data'?: { use: string } };
}

function operations(doc: { paths: Record<string, Record<string, Operation['op']>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([m, op]) => ({ method: m.toUpperCase(), path, op })),
  );
}

interface LogRow {
  staff_id: string;
  roles: string[];
  use: string;
  method: string;
  route: string;
  path: string;
  course_ids: string[];
  patient_ids: string[];
  status: number;
  outcome: string;
  query: Record<string, unknown> | null;
}

describeForEachDatabase(targets, 'access log of patient data', (target) => {
  let t: TestApp;
  let api: Api;
  let fx: EnrolmentFixtures;
  let db: DataSource;
  let courseId: string;
  let patientId: string;
  let teamId: string;
  let appointmentId: string;
  let doc: { paths: Record<string, Record<string, Operation['op']>> };
  let probe = 0;

  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const rowsOf = (staffId: string): Promise<LogRow[]> =>
    db.query(
      `SELECT staff_id, roles, use, method, route, path, course_ids, patient_ids, status, outcome, query FROM access_log WHERE staff_id = $1 ORDER BY id`,
      [staffId],
    );
  const as = async (roles: Role[], sub: string) => `Bearer ${await t.token(roles, sub)}`;

  function fill(path: string): string {
    return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      if (name === 'courseId' || ((path.startsWith('/courses/') || path.startsWith('/calendars/courses/')) && name === 'id'))
        return courseId;
      if (name === 'teamId' || ((path.startsWith('/teams/') || path.startsWith('/calendars/teams/')) && name === 'id')) return teamId;
      if (name === 'appointmentId') return appointmentId;
      if (name === 'n') return '1';
      if (name === 'stepCode') return 'KORT_PRIMAERSAMTALE';
      if (path.startsWith('/calendars/rooms/')) return 'room-1';
      return 'doc-7';
    });
  }

  beforeAll(async () => {
    t = await startTestApp(target, { ACCESS_LOG_RETENTION_MONTHS: '24' });
    api = courseApi(t);
    fx = new EnrolmentFixtures(t);
    db = t.app.get(DataSource);
    await registerStaff(t, { clinicians: ['doc-7'] }); // only the clinic's own clinicians can be booked or named
    ({ courseId, patientId } = await api.activeCourse(cprFor(501)));
    await api.call('put', `/courses/${courseId}/criteria`, ['clinician'], {
      facts: [{ fact: 'needsInterpreter', value: false, basis: { source: 'REFERRAL' } }],
    });
    teamId = await fx.planTeam({ startsInDays: 30 });
    expect((await api.call('post', `/courses/${courseId}/enrolments`, ['secretary'], { teamId })).status).toBe(201);
    const booked = await api.call('post', `/courses/${courseId}/appointments`, ['secretary'], {
      intervention: 'KORT_PRIMAERSAMTALE',
      start: inDays(3),
      clinicianIds: ['doc-7'],
    });
    expect(booked.status).toBe(201);
    appointmentId = booked.body.appointmentId;
    const store = t.app.get<EventStore>(EVENT_STORE);
    await t.app.get(ProjectionRunner).waitFor(await store.headPosition(), 10_000);
    doc = (await request(t.server).get('/docs-json').expect(200)).body;
  });
  afterAll(() => closeIfStarted(t));

  it('every patient route of the OpenAPI document carries @PatientData, and every patient GET writes an entry before it answers', async () => {
    const all = operations(doc);
    const patient = all.filter((o) => isPatientPath(o.path));
    expect(patient.length).toBeGreaterThan(25);
    const undecorated = patient.filter((o) => !o.op['x-patient-data']).map((o) => `${o.method} ${o.path}`);
    expect(undecorated).toEqual([]);

    // the same through Nest's own route metadata (what the interceptor reads), for reads and writes alike
    const registry = t.app.get(PatientRoutes).all();
    for (const o of patient) {
      const nestPath = o.path.replace(/\{([^}]+)\}/g, ':$1');
      const route = registry.find((r) => r.method === o.method && r.path === nestPath);
      expect({ route: `${o.method} ${o.path}`, decorated: route?.patientData !== undefined }).toEqual({
        route: `${o.method} ${o.path}`,
        decorated: true,
      });
      // FHIR's $find and POST /patients/search are searches sent as POST; they write nothing
      expect(present(present(route).patientData).use).toBe(
        o.method === 'GET'
          ? o.path.endsWith('/access-log')
            ? 'export'
            : 'read'
          : o.path.endsWith('$find') || o.path === '/patients/search'
            ? 'search'
            : 'write',
      );
    }

    const statuses: string[] = [];
    for (const o of patient.filter((p) => p.method === 'GET')) {
      const sub = `probe-${++probe}`;
      const path = fill(o.path);
      const query: Record<string, string> = {};
      for (const p of o.op.parameters ?? []) {
        if (p.in === 'query' && p.required)
          query[p.name] =
            p.name === 'to' ? new Date().toISOString() : p.name === 'from' ? new Date(Date.now() - 3_600_000).toISOString() : 'x';
      }
      const res = await request(t.server)
        .get(path)
        .query(query)
        .set('Authorization', await as(['admin'], sub));
      statuses.push(`${res.status} ${o.path}`);
      const rows = await rowsOf(sub);
      expect({ path: o.path, logged: rows.map((r) => ({ method: r.method, path: r.path, status: r.status })) }).toEqual({
        path: o.path,
        logged: [{ method: 'GET', path, status: res.status }],
      });
      if (o.path.startsWith('/courses/{id}')) expect(rows[0].course_ids).toContain(courseId);
    }
    // most of them answer with data (the walk is not a walk of 404s)
    if (process.env.AUDIT_DEBUG) console.log(statuses.join('\n'));
    expect(statuses.filter((s) => s.startsWith('200')).length).toBeGreaterThan(statuses.length * 0.7);
  });

  it('a read records time, user, role, use, route and the pseudonymous patient and course', async () => {
    const res = await request(t.server)
      .get(`/courses/${courseId}`)
      .set('Authorization', await as(['clinician'], 'doc-7'))
      .expect(200);
    expect(res.body.patientId).toBe(patientId);
    const [row] = await rowsOf('doc-7');
    expect(row).toMatchObject({
      roles: ['clinician'],
      use: 'read',
      method: 'GET',
      route: '/courses/:id',
      path: `/courses/${courseId}`,
      status: 200,
      outcome: 'ok',
    });
    expect(row.course_ids).toEqual([courseId]);
    expect(row.patient_ids).toEqual([patientId]);

    // a team board names the patients on the team in its answer: each of them is recorded
    const board = await request(t.server)
      .get(`/teams/${teamId}/board`)
      .set('Authorization', await as(['secretary'], 'sec-board'))
      .expect(200);
    expect(JSON.stringify(board.body)).toContain(courseId);
    const [boardRow] = await rowsOf('sec-board');
    expect(boardRow.course_ids).toContain(courseId);
    expect(boardRow.patient_ids).toContain(patientId);
  });

  it('writes are logged with their outcome: success, business refusal, validation failure and an idempotent replay', async () => {
    const sub = 'sec-writes';
    const ok = await api.call(
      'post',
      `/courses/${courseId}/microteam`,
      ['secretary'],
      { clinicianId: 'doc-7', role: 'PAL' },
      { 'Idempotency-Key': `pal-${courseId}` },
      sub,
    );
    expect(ok.status).toBe(200);
    const replay = await api.call(
      'post',
      `/courses/${courseId}/microteam`,
      ['secretary'],
      { clinicianId: 'doc-7', role: 'PAL' },
      { 'Idempotency-Key': `pal-${courseId}` },
      sub,
    );
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const refused = await api.call(
      'post',
      `/courses/${courseId}/steps/LANG_PRIMAERSAMTALE/schedule`,
      ['secretary'],
      { at: inDays(40) },
      {},
      sub,
    );
    expect(refused.status).toBe(422);
    const invalid = await api.call(
      'post',
      `/courses/${courseId}/microteam`,
      ['secretary'],
      { clinicianId: 'doc-7', role: 'PAL', extra: 1 },
      {},
      sub,
    );
    expect(invalid.status).toBe(400);
    const rows = await rowsOf(sub);
    expect(rows.map((r) => [r.use, r.route, r.status, r.outcome])).toEqual([
      ['write', '/courses/:id/microteam', 200, 'ok'],
      ['write', '/courses/:id/microteam', 200, 'ok'],
      ['write', '/courses/:id/steps/:stepCode/schedule', 422, 'refused'],
      ['write', '/courses/:id/microteam', 400, 'refused'],
    ]);
    expect(rows.every((r) => r.course_ids.includes(courseId) && r.patient_ids.includes(patientId))).toBe(true);

    // a referral answers with the new course and patient: both recorded
    const created = await api.call(
      'post',
      '/referrals',
      ['secretary'],
      {
        cpr: cprFor(502),
        receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
        referrer: { kind: 'GP', id: 'GP-042113' },
        content: { CURRENT_MEDICATION: 'none' },
      },
      {},
      'sec-referral',
    );
    expect(created.status).toBe(201);
    const [referralRow] = await rowsOf('sec-referral');
    expect(referralRow).toMatchObject({ use: 'write', route: '/referrals', status: 201, outcome: 'ok' });
    expect(referralRow.course_ids).toEqual([created.body.courseId]);
    expect(referralRow.patient_ids).toEqual([created.body.patientId]);
    expect(JSON.stringify(referralRow)).not.toContain(cprFor(502).slice(0, 6));
  });

  it('auditors may write nothing: every write route of the document answers 403, and the attempt on patient data is logged', async () => {
    const writes = operations(doc).filter((o) => o.method !== 'GET');
    expect(writes.length).toBeGreaterThan(20);
    const auditor = await as(['auditor'], 'aud-writes');
    const answers: string[] = [];
    for (const o of writes) {
      const req = request(t.server)
        [o.method.toLowerCase() as 'post' | 'put' | 'delete' | 'patch'](fill(o.path))
        .set('Authorization', auditor);
      const res = await req.send({});
      answers.push(`${res.status} ${o.method} ${o.path}`);
    }
    expect(answers.filter((a) => !a.startsWith('403'))).toEqual([]);
    const patientWrites = writes.filter((o) => isPatientPath(o.path)).length;
    const rows = await waitFor(async () => {
      const found = await rowsOf('aud-writes');
      return found.length >= patientWrites && found;
    }, 'the denied attempts to be logged');
    expect(
      rows.every(
        (r) =>
          r.status === 403 &&
          (r.outcome === 'denied' || r.outcome === 'refused') &&
          r.use === (r.path.endsWith('$find') || r.path === '/patients/search' ? 'search' : 'write'),
      ),
    ).toBe(true);
    expect(rows.filter((r) => r.path.startsWith('/courses/')).every((r) => r.course_ids.includes(courseId))).toBe(true);
  });

  it("exports a patient's access log to auditors (JSON and CSV), logging the export itself; others get 403", async () => {
    const auditor = await as(['auditor'], 'aud-export');
    const first = await request(t.server).get(`/courses/${courseId}/access-log`).set('Authorization', auditor).expect(200);
    expect(first.body).toMatchObject({ courseId, patientId });
    const staff = new Set(first.body.entries.map((e: { staffId: string }) => e.staffId));
    for (const who of ['doc-7', 'sec-writes', 'sec-board', 'secretary-1']) expect(staff).toContain(who);
    expect(staff).not.toContain('sec-referral'); // another patient
    expect(first.body.entries.every((e: { clinicId: string }) => e.clinicId === 'smertecenter-syd')).toBe(true);

    const second = await request(t.server)
      .get(`/courses/${courseId}/access-log`)
      .query({ format: 'csv' })
      .set('Authorization', auditor)
      .expect(200);
    expect(second.headers['content-type']).toMatch(/^text\/csv/);
    const lines = second.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,at,loggedAt,clinicId,staffId,roles,use,method,route,path,query,courseIds,patientIds,status,outcome,correlationId',
    );
    expect(lines.some((l) => l.includes(',aud-export,auditor,export,GET,/courses/:id/access-log,'))).toBe(true); // the first export, in the second

    await request(t.server)
      .get(`/courses/${courseId}/access-log`)
      .set('Authorization', await as(['secretary'], 'sec-export'))
      .expect(403);
    const denied = await waitFor(async () => (await rowsOf('sec-export'))[0], 'the refused export to be logged');
    expect(denied).toMatchObject({ use: 'export', status: 403, outcome: 'denied', course_ids: [courseId] });
    expect((await rowsOf('aud-export')).map((r) => r.use)).toEqual(['export', 'export']);
  });

  it('hostile input never stops the entry from being written (no 503 for a bad id or query)', async () => {
    const auth = await as(['secretary'], 'sec-hostile');
    // (a NUL anywhere in the URL is refused earlier, before routing, by the input guard)
    const odd = await request(t.server)
      .get(`/courses/${encodeURIComponent('é😀'.repeat(500))}/history?type=%ED%A0%80&from=%F0%9F`)
      .set('Authorization', auth);
    const long = await request(t.server)
      .get(`/courses/${'x'.repeat(2500)}`)
      .query({ asOf: 'z'.repeat(2500), junk: '😀'.repeat(500) })
      .set('Authorization', auth);
    expect([odd.status, long.status]).toEqual([400, 400]);
    const rows = await rowsOf('sec-hostile');
    expect(rows.map((r) => r.status)).toEqual([odd.status, long.status]);
    expect(rows.every((r) => r.outcome === 'refused')).toBe(true);
  });

  it('answers 503 instead of patient data when the entry cannot be written', async () => {
    await db.query(`ALTER TABLE access_log RENAME TO access_log_away`);
    try {
      const res = await request(t.server)
        .get(`/courses/${courseId}`)
        .set('Authorization', await as(['secretary'], 'sec-blind'));
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('ACCESS_LOG_UNAVAILABLE');
      expect(res.text).not.toContain(patientId);
      const missing = await request(t.server)
        .get('/courses/00000000-0000-4000-8000-000000000000')
        .set('Authorization', await as(['secretary'], 'sec-blind'));
      expect(missing.status).toBe(503);
    } finally {
      await db.query(`ALTER TABLE access_log_away RENAME TO access_log`);
    }
    await request(t.server)
      .get(`/courses/${courseId}`)
      .set('Authorization', await as(['secretary'], 'sec-blind'))
      .expect(200);
  });

  it('the table is append-only: UPDATE, DELETE and TRUNCATE fail; the purge removes only entries older than the retention', async () => {
    expect(await db.query(`SELECT months FROM access_log_retention`)).toEqual([{ months: 24 }]); // ACCESS_LOG_RETENTION_MONTHS, applied at start-up
    await expect(db.query(`UPDATE access_log SET staff_id = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM access_log`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM access_log WHERE staff_id = 'doc-7'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE access_log`)).rejects.toThrow(/append-only/);
    await expect(db.query(`SELECT access_log_set_retention(5)`)).rejects.toThrow(/between 6 and 60/);
    await expect(db.query(`SELECT access_log_set_retention(61)`)).rejects.toThrow(/between 6 and 60/);
    await expect(db.query(`UPDATE access_log_retention SET months = 1`)).rejects.toThrow(/check/i);

    // back-dated entries can only be made with the stamping trigger off (the database's clock is the rule)
    const old = (months: number, staff: string) =>
      db.query(
        `INSERT INTO access_log (at, logged_at, clinic_id, staff_id, roles, use, method, route, path, status, outcome)
         VALUES (now() - make_interval(months => $1), now() - make_interval(months => $1), 'smertecenter-syd', $2, '{secretary}', 'read', 'GET', '/courses/:id', '/courses/x', 200, 'ok')`,
        [months, staff],
      );
    await db.query(`ALTER TABLE access_log DISABLE TRIGGER access_log_stamp`);
    try {
      await old(30, 'old-30');
      await old(20, 'old-20');
    } finally {
      await db.query(`ALTER TABLE access_log ENABLE TRIGGER access_log_stamp`);
    }
    const before = Number((await db.query(`SELECT count(*)::int AS n FROM access_log`))[0].n);
    expect(await t.app.get(AccessLogRetention).purge()).toBe(1);
    expect(await rowsOf('old-30')).toEqual([]);
    expect(await rowsOf('old-20')).toHaveLength(1);
    expect(Number((await db.query(`SELECT count(*)::int AS n FROM access_log`))[0].n)).toBe(before - 1);
    await expect(db.query(`DELETE FROM access_log WHERE staff_id = 'old-20'`)).rejects.toThrow(/younger than the retention of 24 months/);

    // a client cannot back-date an entry into the purgeable range
    await db.query(`INSERT INTO access_log (at, logged_at, clinic_id, staff_id, roles, use, method, route, path, status, outcome)
                    VALUES (now(), now() - interval '10 years', 'c', 'backdated', '{}', 'read', 'GET', '/', '/', 200, 'ok')`);
    const [stamped] = await db.query(
      `SELECT logged_at > now() - interval '1 minute' AS fresh FROM access_log WHERE staff_id = 'backdated'`,
    );
    expect(stamped.fresh).toBe(true);
  });
});
