import request from 'supertest';
import { ConfigError, loadConfig } from '../../apps/api/src/platform/config/app-config.js';
import { testDatabaseTargets, type DatabaseTarget } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

/** Headers, limits and throttling do not depend on the database: one target is enough (PostgreSQL when reachable). */
const targets = await testDatabaseTargets();
const target: DatabaseTarget = present(targets.find((t) => !t.skipReason));

const LIMIT = 25;

const contractError = (status: number, code: string) => ({
  statusCode: status,
  code,
  message: expect.any(String),
  details: expect.any(Object),
});

describe(`security headers, body-size limit and rate limiting [${target.kind}]`, () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp(target, { RATE_LIMIT_MAX: String(LIMIT), RATE_LIMIT_WINDOW_MS: '60000', BODY_LIMIT_KB: '64' });
    token = await t.token(['secretary']);
  });
  afterAll(() => closeIfStarted(t));

  it('sets security headers on successes and on errors, and hides X-Powered-By', async () => {
    for (const res of [
      await request(t.server).get('/health').expect(200),
      await request(t.server).get('/me').expect(401),
      await request(t.server).get('/nowhere').set('Authorization', `Bearer ${token}`).expect(404),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('still serves the Swagger UI under the Content-Security-Policy (its scripts are files, not inline)', async () => {
    const res = await request(t.server).get('/docs').redirects(1).expect(200);
    expect(res.text).not.toMatch(/<script>(?!\s*<\/script>)/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses a body over BODY_LIMIT_KB with 413 PAYLOAD_TOO_LARGE in the contract shape, before authentication', async () => {
    const big = JSON.stringify({ reason: 'x'.repeat(65 * 1024) });
    for (const auth of [`Bearer ${token}`, undefined]) {
      let req = request(t.server).post('/teams').set('Content-Type', 'application/json');
      if (auth) req = req.set('Authorization', auth);
      const res = await req.send(big).expect(413);
      expect(res.body).toEqual(contractError(413, 'PAYLOAD_TOO_LARGE'));
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    // just under the limit is read (and then judged by validation, not by size)
    const fits = await request(t.server)
      .post('/teams')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ reason: 'x'.repeat(60 * 1024) }))
      .expect(400);
    expect(fits.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers 429 TOO_MANY_REQUESTS with Retry-After once a client address spends RATE_LIMIT_MAX, on every route and without a token too', async () => {
    let limited: request.Response | undefined;
    let sent = 0;
    // one budget per address across routes: alternate routes and authenticated / anonymous calls
    while (!limited && sent < LIMIT + 5) {
      const res =
        sent % 2 === 0
          ? await request(t.server).get('/health')
          : await request(t.server).get('/me').set('Authorization', `Bearer ${token}`);
      sent++;
      if (res.status === 429) limited = res;
      else expect(res.headers['ratelimit-policy']).toBe(`${LIMIT};w=60`);
    }
    expect(limited).toBeDefined();
    expect(sent).toBeLessThanOrEqual(LIMIT + 1);
    expect(present(limited).body).toEqual({
      statusCode: 429,
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/wait \d+ seconds/),
      details: { limit: LIMIT, windowSeconds: 60, retryAfterSeconds: expect.any(Number) },
    });
    expect(Number(present(limited).headers['retry-after'])).toBeGreaterThan(0);
    const anonymous = await request(t.server).get('/me').expect(429); // limited before the token is even looked at
    expect(anonymous.headers['x-content-type-options']).toBe('nosniff');
    await request(t.server).get('/no/such/route').expect(429); // unknown routes count and are refused too
    expect(anonymous.body.code).toBe('TOO_MANY_REQUESTS');
    const write = await request(t.server).post('/teams').set('Authorization', `Bearer ${token}`).send({}).expect(429);
    expect(write.body.code).toBe('TOO_MANY_REQUESTS');
  });
});

describe('security settings', () => {
  it('rate limiting is off under NODE_ENV=test unless RATE_LIMIT_MAX is set, and on (3000 a minute) elsewhere', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).rateLimitMax).toBe(0);
    expect(loadConfig({ NODE_ENV: 'test', RATE_LIMIT_MAX: '7' }).rateLimitMax).toBe(7);
    expect(loadConfig({ NODE_ENV: 'development' }).rateLimitMax).toBe(3000);
    expect(loadConfig({ NODE_ENV: 'development', RATE_LIMIT_MAX: '0' }).rateLimitMax).toBe(0);
    expect(loadConfig({}).BODY_LIMIT_KB).toBe(256);
  });

  it.each([
    ['RATE_LIMIT_MAX', 'lots'],
    ['RATE_LIMIT_MAX', '-1'],
    ['RATE_LIMIT_WINDOW_MS', '10'],
    ['BODY_LIMIT_KB', '0'],
    ['BODY_LIMIT_KB', '1.5'],
  ])('refuses %s=%s with a sentence naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
