import request from 'supertest';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

describeForEachDatabase(targets, 'service skeleton', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => closeIfStarted(t));

  it('GET /health reports the event store and database in use', async () => {
    const res = await request(t.server).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', eventStore: 'postgres', database: target.kind, backgroundConsumer: true });
  });

  it('GET /docs-json is an OpenAPI 3 document that covers /health', async () => {
    const res = await request(t.server).get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/health');
  });

  it('GET /docs serves the Swagger UI', async () => {
    const res = await request(t.server).get('/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger');
  });

  it('an unknown route is a 404 in the contract error shape', async () => {
    const token = await t.token(['secretary']);
    const res = await request(t.server).get('/nowhere').set('Authorization', `Bearer ${token}`).expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String), details: {} });
  });

  it('GET /me answers from the verified token', async () => {
    const token = await t.token(['clinician'], 'C7');
    const res = await request(t.server).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toEqual({ staffId: 'C7', roles: ['clinician'], clinicId: 'smertecenter-syd' });
  });

  it('a route without a token is a 401 with a readable sentence', async () => {
    const res = await request(t.server).get('/me').expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    expect(res.body.message).toMatch(/sign in/i);
  });

  it('a forged token is a 401', async () => {
    const res = await request(t.server).get('/me').set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad').expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('malformed JSON is a 400, never a 500', async () => {
    const token = await t.token(['secretary']);
    const res = await request(t.server)
      .post('/nowhere')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{"broken": ')
      .expect(400);
    expect(res.body.code).toBe('MALFORMED_JSON');
  });
});
