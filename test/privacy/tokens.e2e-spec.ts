import { SignJWT } from 'jose';
import request from 'supertest';
import { testDatabaseTargets, type DatabaseTarget } from '../support/database-targets.js';
import { ManualClock } from '../support/manual-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

/**
 * Token rules: `exp` is required; a token may be valid for at most AUTH_TOKEN_MAX_LIFETIME_MINUTES (12 h by
 * default), judged from `iat` and from now; `iss` and `aud` must match AUTH_ISSUER / AUTH_AUDIENCE when set
 * (production refuses to start without them: app-config.spec.ts). Each refusal is a 401 with a stable reason.
 * Token checks do not depend on the database: one target runs (PostgreSQL when reachable).
 */
const targets = await testDatabaseTargets();
const target: DatabaseTarget = present(targets.find((t) => !t.skipReason));

const HOUR = 3600;
/** the API's time: every app here runs on this clock, and an expiry is tested by moving it */
const START = '2027-03-01T08:00:00Z';
const clock = new ManualClock(START);
const now = () => Math.floor(clock.now().getTime() / 1000);

interface Claims {
  iat?: number;
  exp?: number;
  iss?: string;
  aud?: string;
}

async function sign(secret: string, claims: Claims): Promise<string> {
  const jwt = new SignJWT({ roles: ['secretary'], clinicId: 'smertecenter-syd' }).setProtectedHeader({ alg: 'HS256' }).setSubject('S9');
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  if (claims.iss) jwt.setIssuer(claims.iss);
  if (claims.aud) jwt.setAudience(claims.aud);
  return jwt.sign(new TextEncoder().encode(secret));
}

describe(`access-token rules [${target.kind}]`, () => {
  beforeEach(() => clock.set(START));

  describe('default settings (12 hours, no issuer or audience configured)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(target, {}, { clock });
    });
    afterAll(() => closeIfStarted(t));

    const me = async (token: string) => request(t.server).get('/me').set('Authorization', `Bearer ${token}`);

    it.each([
      [
        'no exp',
        { iat: now() },
        'TOKEN_EXPIRY_MISSING',
        'The access token has no expiry time (exp); please sign in again to get one that has.',
      ],
      [
        'no exp and no iat',
        {},
        'TOKEN_EXPIRY_MISSING',
        'The access token has no expiry time (exp); please sign in again to get one that has.',
      ],
      [
        'valid 13 hours from iat',
        { iat: now(), exp: now() + 13 * HOUR },
        'TOKEN_LIFETIME_TOO_LONG',
        'The access token is valid for longer than the 12 hours this service accepts; please sign in again to get a shorter one.',
      ],
      [
        'issued 20 hours ago, valid one more hour',
        { iat: now() - 20 * HOUR, exp: now() + HOUR },
        'TOKEN_LIFETIME_TOO_LONG',
        expect.any(String),
      ],
      ['no iat, valid 30 days from now', { exp: now() + 30 * 24 * HOUR }, 'TOKEN_LIFETIME_TOO_LONG', expect.any(String)],
    ])('refuses a token with %s: 401 UNAUTHENTICATED with its reason', async (_what, claims, reason, message) => {
      const res = await me(await sign(present(t.config.jwtSecret), claims));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, code: 'UNAUTHENTICATED', message, details: { reason } });
    });

    it('refuses a token once the clock has passed its expiry: 401 TOKEN_EXPIRED', async () => {
      const token = await sign(present(t.config.jwtSecret), { iat: now(), exp: now() + HOUR });
      expect((await me(token)).status).toBe(200);
      clock.advance(2 * HOUR * 1000);
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        statusCode: 401,
        code: 'UNAUTHENTICATED',
        message: 'The access token has expired; please sign in again.',
        details: { reason: 'TOKEN_EXPIRED' },
      });
      // and a token minted by the test helper is issued at the clock's time, so it is valid again
      expect((await me(await t.token(['secretary']))).status).toBe(200);
    });

    it('accepts a token valid for up to 12 hours (with or without iat)', async () => {
      expect((await me(await sign(present(t.config.jwtSecret), { iat: now(), exp: now() + 12 * HOUR }))).status).toBe(200);
      expect((await me(await sign(present(t.config.jwtSecret), { exp: now() + 11 * HOUR }))).status).toBe(200);
      expect((await me(await t.token(['secretary']))).status).toBe(200);
    });

    it('applies the same rules to a calendar feed opened with an access token', async () => {
      const res = await request(t.server)
        .get('/calendars/rooms/room-1.ics')
        .set('Authorization', `Bearer ${await sign(present(t.config.jwtSecret), { iat: now() })}`);
      expect(res.status).toBe(401);
      expect(res.body.details).toEqual({ reason: 'TOKEN_EXPIRY_MISSING' });
    });
  });

  describe('a shorter lifetime and an issuer and audience (as production requires)', () => {
    let t: TestApp;
    const ISS = 'https://login.region.example';
    const AUD = 'group-course-api';
    beforeAll(async () => {
      t = await startTestApp(target, { AUTH_TOKEN_MAX_LIFETIME_MINUTES: '60', AUTH_ISSUER: ISS, AUTH_AUDIENCE: AUD }, { clock });
    });
    afterAll(() => closeIfStarted(t));

    const me = async (claims: Claims) =>
      request(t.server)
        .get('/me')
        .set('Authorization', `Bearer ${await sign(present(t.config.jwtSecret), claims)}`);

    it('accepts only tokens from that issuer for that audience', async () => {
      const exp = now() + 30 * 60;
      expect((await me({ iat: now(), exp, iss: ISS, aud: AUD })).status).toBe(200);
      expect((await me({ iat: now(), exp, aud: AUD })).body.details).toEqual({ reason: 'TOKEN_ISSUER' });
      expect((await me({ iat: now(), exp, iss: 'https://elsewhere.example', aud: AUD })).body.details).toEqual({ reason: 'TOKEN_ISSUER' });
      expect((await me({ iat: now(), exp, iss: ISS })).body.details).toEqual({ reason: 'TOKEN_AUDIENCE' });
      expect((await me({ iat: now(), exp, iss: ISS, aud: 'another-api' })).status).toBe(401);
      // the test helper mints with the configured issuer and audience
      expect(
        (
          await request(t.server)
            .get('/me')
            .set('Authorization', `Bearer ${await t.token(['clinician'])}`)
        ).status,
      ).toBe(200);
    });

    it('holds the configured lifetime (60 minutes)', async () => {
      const res = await me({ iat: now(), exp: now() + 2 * HOUR, iss: ISS, aud: AUD });
      expect(res.status).toBe(401);
      expect(res.body.message).toBe(
        'The access token is valid for longer than the 1 hour this service accepts; please sign in again to get a shorter one.',
      );
    });
  });

  it('starts in production with HS256 only when issuer and audience are set', async () => {
    const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'p'.repeat(40), PSEUDONYM_KEY: 'k'.repeat(40) };
    await expect(startTestApp(target, production)).rejects.toThrow('In production set AUTH_ISSUER and AUTH_AUDIENCE');
    const t = await startTestApp(
      target,
      { ...production, AUTH_ISSUER: 'https://login.region.example', AUTH_AUDIENCE: 'group-course-api' },
      { clock },
    );
    try {
      expect(
        (
          await request(t.server)
            .get('/me')
            .set('Authorization', `Bearer ${await t.token(['secretary'])}`)
        ).status,
      ).toBe(200);
      const foreign = await sign(present(t.config.jwtSecret), { iat: now(), exp: now() + HOUR });
      expect((await request(t.server).get('/me').set('Authorization', `Bearer ${foreign}`)).status).toBe(401);
    } finally {
      await t.close();
    }
  });
});
