import type { EventStore } from '#app/event-store';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as, OTHER_CLINIC } from '../teams/helpers.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

describeForEachDatabase(targets, 'clinicians', (target) => {
  let t: TestApp;
  let secretary: Awaited<ReturnType<typeof as>>;
  beforeAll(async () => {
    t = await startTestApp(target);
    secretary = await as(t, ['secretary']);
  });
  afterAll(() => closeIfStarted(t));

  it('registers a clinician, grants a dated competence with a reason, and GET shows it with its validity and derived competences', async () => {
    const created = await secretary
      .post('/clinicians', { clinicianId: 'N-1', professions: ['NURSE'], employmentStart: '2019-08-01' })
      .expect(201);
    expect(created.headers.etag).toBe('"0"');
    expect(created.headers['x-event-position']).toMatch(/^\d+-\d+$/);
    expect(created.headers.location).toBe('/clinicians/N-1');

    const granted = await secretary
      .post('/clinicians/N-1/competences', { competence: 'MBSR_RETREAT', grantedAt: '2026-10-01', reason: 'Retreat certificate seen' })
      .expect(201);
    expect(granted.headers.etag).toBe('"1"');
    await secretary
      .post('/clinicians/N-1/competences', { competence: 'TEACHING_COURSE', grantedAt: '2020-01-15', reason: 'Course diploma' })
      .expect(201);

    const res = await secretary.get('/clinicians/N-1').expect(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({
      clinicianId: 'N-1',
      professions: ['NURSE'],
      employmentStart: '2019-08-01',
      revision: 2,
      teamService: [],
    });
    expect(res.body.competences).toEqual([
      // the catalogue's validity applies on top: the retreat lapses 12 months after it was taken
      {
        competence: 'MBSR_RETREAT',
        name: expect.any(String),
        grantedAt: '2026-10-01',
        expiresAt: null,
        revokedAt: null,
        validUntil: '2027-10-01T02:00:00+02:00',
        status: 'valid',
      },
      {
        competence: 'TEACHING_COURSE',
        name: expect.any(String),
        grantedAt: '2020-01-15',
        expiresAt: null,
        revokedAt: null,
        validUntil: null,
        status: 'valid',
      },
    ]);
    expect(res.body.derived.employedMonths).toBeGreaterThanOrEqual(87);
    expect(res.body.derived.employedYears).toBe(Math.floor(res.body.derived.employedMonths / 12));
    const fsPrimary = res.body.staffRoles.find(
      (r: { programmeCode: string; role: string }) => r.programmeCode === 'FORSTAA_SMERTE' && r.role === 'primary',
    );
    expect(fsPrimary).toMatchObject({
      qualifiedNow: false,
      missing: [{ code: 'FS_PRIMARY_4_EARLIER_TEAMS', reason: expect.stringContaining('0 of 4') }],
    });

    // who granted it and why travels in the event metadata
    const events = await t.app.get<EventStore>(EVENT_STORE).readStream('clinician-N-1');
    expect(events[1].metadata).toMatchObject({
      reason: 'Retreat certificate seen',
      actor: { staffId: 'S1', roles: ['secretary'] },
      clinicId: 'smertecenter-syd',
    });
  });

  it('revokes a competence with a reason; revoking it again is a 422', async () => {
    await secretary.post('/clinicians', { clinicianId: 'N-2', professions: ['PSYCHOLOGIST'], employmentStart: '2021-01-01' }).expect(201);
    await secretary
      .post('/clinicians/N-2/competences', { competence: 'ACT_EDUCATION', grantedAt: '2022-05-01', reason: 'Diploma' })
      .expect(201);
    const revoked = await secretary
      .delete('/clinicians/N-2/competences/ACT_EDUCATION', { reason: 'Diploma could not be verified' })
      .expect(200);
    expect(revoked.body.competences[0]).toMatchObject({ competence: 'ACT_EDUCATION', status: 'revoked', revokedAt: expect.any(String) });
    const again = await secretary.delete('/clinicians/N-2/competences/ACT_EDUCATION', { reason: 'again' }).expect(422);
    expect(again.body.code).toBe('COMPETENCE_NOT_HELD');
    const noReason = await secretary.delete('/clinicians/N-2/competences/ACT_EDUCATION', {}).expect(400);
    expect(noReason.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
  });

  it('refuses bad input: unknown fields and bad values (400, every field listed), unknown vocabulary and future dates (422), a taken id (409)', async () => {
    const unknown = await secretary
      .post('/clinicians', { clinicianId: 'N-3', professions: ['NURSE'], employmentStart: '2019-02-30', shoeSize: 44 })
      .expect(400);
    expect(unknown.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(unknown.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['employmentStart', 'shoeSize']);

    const vocab = await secretary
      .post('/clinicians', { clinicianId: 'N-3', professions: ['ASTRONAUT', 'NURSE'], employmentStart: '2019-02-01' })
      .expect(422);
    expect(vocab.body).toMatchObject({
      code: 'UNKNOWN_PROFESSION',
      details: { failures: [{ code: 'UNKNOWN_PROFESSION', reason: expect.stringContaining('ASTRONAUT') }] },
    });

    await secretary.post('/clinicians', { clinicianId: 'N-3', professions: ['NURSE'], employmentStart: '2019-02-01' }).expect(201);
    const taken = await secretary
      .post('/clinicians', { clinicianId: 'N-3', professions: ['DOCTOR'], employmentStart: '2019-02-01' })
      .expect(409);
    expect(taken.body.code).toBe('ALREADY_EXISTS');

    const noReason = await secretary
      .post('/clinicians/N-3/competences', { competence: 'ACT_EDUCATION', grantedAt: '2022-05-01' })
      .expect(400);
    expect(noReason.body.details.fields).toEqual([{ field: 'reason', problems: expect.any(Array) }]);
    const future = await secretary
      .post('/clinicians/N-3/competences', { competence: 'ACT_EDUCATION', grantedAt: '2099-05-01', reason: 'x' })
      .expect(422);
    expect(future.body.code).toBe('COMPETENCE_DATE_IN_FUTURE');
    const unknownCompetence = await secretary
      .post('/clinicians/N-3/competences', { competence: 'JUGGLING', grantedAt: '2022-05-01', reason: 'x' })
      .expect(422);
    expect(unknownCompetence.body.code).toBe('UNKNOWN_COMPETENCE');
  });

  it('401 without a token, 403 for an auditor or clinician writing, while an auditor may read', async () => {
    await secretary.post('/clinicians', { clinicianId: 'N-4', professions: ['NURSE'], employmentStart: '2019-02-01' }).expect(201);
    const auditor = await as(t, ['auditor'], 'A1');
    const forbidden = await auditor
      .post('/clinicians', { clinicianId: 'N-5', professions: ['NURSE'], employmentStart: '2019-02-01' })
      .expect(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
    await auditor.post('/clinicians/N-4/competences', { competence: 'ACT_EDUCATION', grantedAt: '2022-05-01', reason: 'x' }).expect(403);
    await (await as(t, ['clinician'], 'N-4')).delete('/clinicians/N-4/competences/ACT_EDUCATION', { reason: 'x' }).expect(403);
    await auditor.get('/clinicians/N-4').expect(200);
    const anonymous = await (await import('supertest')).default(t.server).get('/clinicians/N-4').expect(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
  });

  it('If-Match with a stale revision is a 412; with the current one the write goes through', async () => {
    await secretary.post('/clinicians', { clinicianId: 'N-6', professions: ['NURSE'], employmentStart: '2019-02-01' }).expect(201);
    await secretary.post('/clinicians/N-6/competences', { competence: 'ACT_EDUCATION', grantedAt: '2022-05-01', reason: 'x' }).expect(201);
    const stale = await secretary
      .post('/clinicians/N-6/competences', { competence: 'CBT_EXPERIENCE', grantedAt: '2022-05-01', reason: 'x' })
      .set('If-Match', '"0"')
      .expect(412);
    expect(stale.body).toMatchObject({ code: 'PRECONDITION_FAILED', details: { expectedRevision: 0, currentRevision: 1 } });
    const ok = await secretary
      .post('/clinicians/N-6/competences', { competence: 'CBT_EXPERIENCE', grantedAt: '2022-05-01', reason: 'x' })
      .set('If-Match', '"1"')
      .expect(201);
    expect(ok.headers.etag).toBe('"2"');
  });

  it("another clinic's clinician is a 404, for reads and writes alike", async () => {
    await secretary.post('/clinicians', { clinicianId: 'N-7', professions: ['NURSE'], employmentStart: '2019-02-01' }).expect(201);
    const other = await as(t, ['admin'], 'X1', OTHER_CLINIC);
    const read = await other.get('/clinicians/N-7').expect(404);
    expect(read.body).toMatchObject({ code: 'NOT_FOUND', details: { what: 'clinician', id: 'N-7' } });
    await secretary.get('/clinicians/NOBODY').expect(404);
    await secretary
      .post('/clinicians/NOBODY/competences', { competence: 'ACT_EDUCATION', grantedAt: '2022-05-01', reason: 'x' })
      .expect(404);
  });
});
