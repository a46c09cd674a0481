import { lateEffectsCatalogue as second } from '#app/domain';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as, OTHER_CLINIC } from './helpers.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

describeForEachDatabase(targets, 'catalogues', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => closeIfStarted(t));

  it('the OpenAPI document covers every route of this slice, with request examples', async () => {
    const { default: request } = await import('supertest');
    const doc = (await request(t.server).get('/docs-json').expect(200)).body;
    for (const [path, method] of [
      ['/clinicians', 'post'],
      ['/clinicians/{id}', 'get'],
      ['/clinicians/{id}/competences', 'post'],
      ['/clinicians/{id}/competences/{code}', 'delete'],
      ['/rooms', 'post'],
      ['/rooms', 'get'],
      ['/teams', 'post'],
      ['/teams', 'get'],
      ['/teams/{id}', 'get'],
      ['/teams/{id}/therapists', 'post'],
      ['/teams/{id}/therapists/{clinicianId}', 'delete'],
      ['/teams/{id}/sessions/{n}/attendance', 'post'],
      ['/teams/{id}/sessions/{n}/cancel', 'post'],
      ['/teams/{id}/sessions/{n}/move', 'post'],
      ['/catalogues/{clinicId}', 'put'],
      ['/catalogues/{clinicId}', 'get'],
    ] as const) {
      const operation = doc.paths[path]?.[method];
      expect({ path, method, documented: Boolean(operation) }).toEqual({ path, method, documented: true });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401']));
    }
    expect(doc.components.schemas.PlanTeamRequest.properties.startsOn.example).toBe('2027-11-02');
    expect(doc.paths['/teams/{id}/therapists'].post.responses['422']).toBeDefined();
  });

  it('only an admin of the clinic may publish its catalogue', async () => {
    for (const role of ['secretary', 'auditor', 'clinician'] as const) {
      const res = await (await as(t, [role], 'X2', OTHER_CLINIC)).put(`/catalogues/${OTHER_CLINIC}`, second).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    const foreign = await (await as(t, ['admin'], 'A9')).put(`/catalogues/${OTHER_CLINIC}`, second).expect(403);
    expect(foreign.body.message).toMatch(/own clinic/);
  });

  it('refuses an invalid catalogue: wrong JSON shape as 400 listing each field, business problems as 422 listing every problem', async () => {
    const admin = await as(t, ['admin'], 'X1', OTHER_CLINIC);
    const shape = await admin
      .put(`/catalogues/${OTHER_CLINIC}`, { ...second, programmes: 'FATIGUE', pathway: { ...second.pathway, steps: {} }, colour: 'blue' })
      .expect(400);
    expect(shape.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(shape.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'pathway.steps', 'programmes']);
    const notAnObject = await admin.put(`/catalogues/${OTHER_CLINIC}`, [second]).expect(400);
    expect(notAnObject.body.details.fields).toEqual([{ field: '(body)', problems: ['the body must be a catalogue JSON object'] }]);
    const otherClinic = await admin.put(`/catalogues/${OTHER_CLINIC}`, { ...second, clinicId: 'smertecenter-syd' }).expect(400);
    expect(otherClinic.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['clinicId']);

    const fatigue = second.programmes[0];
    const invalid = {
      ...second,
      version: 0,
      programmes: [
        {
          ...fatigue,
          seats: 0,
          staff: {
            ...fatigue.staff,
            roles: [
              {
                ...fatigue.staff.roles[0],
                competence: { code: 'X', requirements: [{ code: 'R', kind: 'profession', anyOf: ['ASTRONAUT'], reason: 'Must fly.' }] },
              },
            ],
          },
        },
      ],
    };
    const refused = await admin.put(`/catalogues/${OTHER_CLINIC}`, invalid).expect(422);
    expect(refused.body).toMatchObject({ statusCode: 422, code: 'INVALID_CATALOGUE' });
    expect(refused.body.details.failures.map((f: { code: string }) => f.code)).toEqual([
      'VERSION_INVALID',
      'SEATS_INVALID',
      'PROFESSION_UNKNOWN',
    ]);
    for (const f of refused.body.details.failures) expect(f.reason).toEqual(expect.any(String));
    await (await as(t, ['secretary'], 'X2', OTHER_CLINIC)).get(`/catalogues/${OTHER_CLINIC}`).expect(404);
  });

  it("accepts a valid second-clinic catalogue; that clinic's GET /programmes then shows its own programme, and its vocabulary applies", async () => {
    const admin = await as(t, ['admin'], 'X1', OTHER_CLINIC);
    const published = await admin.put(`/catalogues/${OTHER_CLINIC}`, second).set('If-Match', '"0"').expect(200);
    expect(published.body).toEqual({ clinicId: OTHER_CLINIC, version: 1, programmes: ['FATIGUE'], interventions: ['FIRST_TALK'] });
    expect(published.headers.etag).toBe('"1"');
    expect(published.headers['x-event-position']).toMatch(/^\d+-\d+$/);

    const secretary = await as(t, ['secretary'], 'X2', OTHER_CLINIC);
    const current = await secretary.get(`/catalogues/${OTHER_CLINIC}`).expect(200);
    expect(current.headers.etag).toBe('"1"');
    expect(current.body).toEqual(second);
    const programmes = await secretary.get('/programmes').expect(200);
    expect(programmes.body.map((p: { code: string }) => p.code)).toEqual(['FATIGUE']);
    expect(programmes.body[0]).toMatchObject({ seats: 8, catalogueVersion: 1 });
    // the first clinic's catalogue is untouched, and the second clinic's is not visible to it
    const first = await as(t, ['secretary']);
    expect((await first.get('/programmes').expect(200)).body.map((p: { code: string }) => p.code)).toContain('FORSTAA_SMERTE');
    await first.get(`/catalogues/${OTHER_CLINIC}`).expect(404);

    // its own vocabulary: an occupational therapist is known there, a psychologist is not
    await secretary
      .post('/clinicians', { clinicianId: 'OT-1', professions: ['OCCUPATIONAL_THERAPIST'], employmentStart: '2022-01-01' })
      .expect(201);
    expect(
      (
        await secretary
          .post('/clinicians', { clinicianId: 'PSY-1', professions: ['PSYCHOLOGIST'], employmentStart: '2022-01-01' })
          .expect(422)
      ).body.code,
    ).toBe('UNKNOWN_PROFESSION');

    const again = await admin.put(`/catalogues/${OTHER_CLINIC}`, second).expect(409);
    expect(again.body).toMatchObject({ code: 'CATALOGUE_VERSION_CONFLICT', details: { expectedVersion: 2 } });
    const stale = await admin
      .put(`/catalogues/${OTHER_CLINIC}`, { ...second, version: 2 })
      .set('If-Match', '"0"')
      .expect(412);
    expect(stale.body.code).toBe('PRECONDITION_FAILED');
    const v2 = await admin
      .put(`/catalogues/${OTHER_CLINIC}`, { ...second, version: 2 })
      .set('If-Match', '"1"')
      .expect(200);
    expect(v2.headers.etag).toBe('"2"');
  });
});
