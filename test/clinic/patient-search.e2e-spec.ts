import { DataSource } from 'typeorm';
import { defaultCatalogue } from '#app/domain';
import type { EventStore } from '#app/event-store';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import { ALL_CRITERIA_MET, anHourAgo, courseApi, cprFor, FULL_CONTENT, type Api } from '../courses/course-api.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as, OTHER_CLINIC } from '../teams/helpers.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

describeForEachDatabase(targets, 'find a patient by CPR number; one open course per pathway', (target) => {
  let t: TestApp;
  let api: Api;
  const CPR = cprFor(700);
  const digits = CPR.replace('-', '');
  let first: { courseId: string; patientId: string };
  let second: string;

  const eventCount = async (): Promise<number> => Number((await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM events'))[0].n);
  const referral = (cpr: string, extra: object = {}, clinicId?: string, headers: Record<string, string> = {}) =>
    api.call(
      'post',
      '/referrals',
      ['secretary'],
      { cpr, receivedAt: anHourAgo(), referrer: { kind: 'GP', id: 'GP-042113' }, content: FULL_CONTENT, ...extra },
      headers,
      clinicId ? 'SB' : 'S1',
      clinicId,
    );
  const search = (cpr: string, roles: Parameters<Api['call']>[2] = ['secretary'], clinicId?: string) =>
    api.call('post', '/patients/search', roles, { cpr }, {}, `${roles[0]}-9`, clinicId);

  beforeAll(async () => {
    t = await startTestApp(target);
    api = courseApi(t);
    await (
      await as(t, ['admin'], 'AB', OTHER_CLINIC)
    )
      .put(`/catalogues/${OTHER_CLINIC}`, { ...defaultCatalogue, clinicId: OTHER_CLINIC, version: 1 })
      .expect(200);
    first = await api.activeCourse(CPR);
  });
  afterAll(async () => {
    for (const text of api.seen) {
      expect(text).not.toContain(CPR);
      expect(text).not.toContain(digits);
    }
    await closeIfStarted(t);
  });

  it('a second referral while a course on the same pathway is open is 409 OPEN_COURSE_EXISTS naming it, and writes nothing', async () => {
    const before = await eventCount();
    const refused = await referral(CPR);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      statusCode: 409,
      code: 'OPEN_COURSE_EXISTS',
      message: expect.stringContaining(`course ${first.courseId}, active`),
      details: {
        courseId: first.courseId,
        pathway: defaultCatalogue.pathway.code,
        status: 'active',
        openCourses: [{ courseId: first.courseId, status: 'active' }],
      },
    });
    expect(refused.body.message).toContain('"newCourse": true');
    expect(await eventCount()).toBe(before);
  });

  it('"newCourse": true needs a reason, which lands in the event; the course names the open one it was opened beside', async () => {
    const noReason = await referral(CPR, { newCourse: true });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
    const blank = await referral(CPR, { newCourse: true, reason: '  ' });
    expect(blank.status).toBe(400);

    const opened = await referral(CPR, { newCourse: true, reason: 'New referral for a different condition after surgery' });
    expect(opened.status).toBe(201);
    expect(opened.body.patientId).toBe(first.patientId);
    second = opened.body.courseId;
    const events = await t.app.get<EventStore>(EVENT_STORE).readStream(`course-${second}`);
    expect(events[0].data).toMatchObject({
      newCourse: { reason: 'New referral for a different condition after surgery', openCourseIds: [first.courseId] },
    });
    expect(events[0].metadata).toMatchObject({ reason: 'New referral for a different condition after surgery' });
  });

  it('an ended course does not block a new referral', async () => {
    const cpr = cprFor(701);
    const created = await referral(cpr);
    expect(created.status).toBe(201);
    const rejected = await api.call('post', `/courses/${created.body.courseId}/visitation`, ['clinician'], {
      decision: 'reject',
      assessment: { ...ALL_CRITERIA_MET, DIAGNOSTICALLY_CLARIFIED: false },
      reason: 'Not diagnostically clarified.',
      planForGp: 'Re-refer when the work-up is finished.',
    });
    expect(rejected.status).toBe(200);
    const again = await referral(cpr);
    expect(again.status).toBe(201);
    expect(again.body.patientId).toBe(created.body.patientId);
  });

  it('referrals racing for the same new patient: exactly one opens a course, the others are told about it', async () => {
    const cpr = cprFor(702);
    const results = await Promise.all([0, 1, 2, 3].map(() => referral(cpr)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    const winner = present(results.find((r) => r.status === 201)).body.courseId;
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.details.courseId).toBe(winner);
  });

  it('an Idempotency-Key retry of a referral returns the same course instead of a 409', async () => {
    const cpr = cprFor(703);
    const key = { 'Idempotency-Key': 'referral-703' };
    const body = { cpr, receivedAt: anHourAgo(), referrer: { kind: 'GP', id: 'GP-042113' }, content: FULL_CONTENT };
    const a = await api.call('post', '/referrals', ['secretary'], body, key, 'S1');
    const b = await api.call('post', '/referrals', ['secretary'], body, key, 'S1');
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.courseId).toBe(a.body.courseId);
  });

  it("POST /patients/search returns the patient's courses in the caller's clinic, and writes the look-up to the access log", async () => {
    const res = await search(CPR);
    expect(res.status).toBe(200);
    expect(res.body.patientId).toBe(first.patientId);
    expect(res.body.courses).toHaveLength(2);
    expect(res.body.courses.map((c: { courseId: string }) => c.courseId).sort()).toEqual([first.courseId, second].sort());
    expect(res.body.courses.find((c: { courseId: string }) => c.courseId === first.courseId)).toEqual({
      courseId: first.courseId,
      pathway: { code: defaultCatalogue.pathway.code, version: defaultCatalogue.pathway.version },
      status: 'active',
      open: true,
      receivedAt: expect.any(String),
      visitationDueBy: expect.any(String),
      visitationDecidedAt: expect.any(String),
      endedAt: null,
      seats: [],
      waitlists: [],
    });
    expect(res.body.courses.find((c: { courseId: string }) => c.courseId === second)).toMatchObject({
      status: 'awaiting_visitation',
      open: true,
      visitationDecidedAt: null,
    });

    const logged: Array<{ use: string; staff_id: string; patient_ids: string[]; course_ids: string[]; path: string; query: unknown }> =
      await t.app
        .get(DataSource)
        .query(
          `SELECT use, staff_id, patient_ids, course_ids, path, query FROM access_log WHERE route LIKE '%patients/search%' AND staff_id = 'secretary-9' ORDER BY id`,
        );
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ use: 'search', path: '/patients/search', patient_ids: [first.patientId] });
    expect(logged[0].course_ids.sort()).toEqual([first.courseId, second].sort());
    expect(JSON.stringify(logged)).not.toContain(digits);
  });

  it('clinicians and admins may search; auditors and integrations may not; a bad number is a 400 that does not repeat it', async () => {
    expect((await search(CPR, ['clinician'])).status).toBe(200);
    expect((await search(CPR, ['admin'])).status).toBe(200);
    for (const role of ['auditor', 'integration'] as const) {
      const res = await search(CPR, [role]);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    const bad = await api.call('post', '/patients/search', ['secretary'], { cpr: '321299-1234' });
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain('321299');
    expect((await api.call('post', '/patients/search', ['secretary'], { cpr: CPR, name: 'x' })).status).toBe(400);
    const unknown = await search(cprFor(799));
    expect(unknown.body).toEqual({ patientId: null, courses: [] });
  });

  it("another clinic does not find this clinic's patient, and its own referral for the same number is a new patient with its own course", async () => {
    expect((await search(CPR, ['secretary'], OTHER_CLINIC)).body).toEqual({ patientId: null, courses: [] });
    const there = await referral(CPR, {}, OTHER_CLINIC);
    expect(there.status).toBe(201); // the open courses here do not count there
    expect(there.body.patientId).not.toBe(first.patientId);
    const found = await search(CPR, ['secretary'], OTHER_CLINIC);
    expect(found.body.patientId).toBe(there.body.patientId);
    expect(found.body.courses.map((c: { courseId: string }) => c.courseId)).toEqual([there.body.courseId]);
    expect((await search(CPR)).body.courses).toHaveLength(2);
  });
});
