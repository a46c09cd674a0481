import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { formatInZone } from '#app/domain';
import { WebhookDeliveryWorker } from '../../apps/api/src/features/webhooks/webhook-delivery.worker.js';
import { SIGNATURE_HEADER, verifySignature } from '../../apps/api/src/features/webhooks/webhook-signature.js';
import { targetPolicyFor, type Resolver } from '../../apps/api/src/features/webhooks/webhook-target.js';
import { WebhookTargets } from '../../apps/api/src/features/webhooks/webhook-targets.js';
import { EnrolmentFixtures } from '../enrolment/enrolment-fixtures.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as } from '../teams/helpers.js';
import { caughtUp } from './caught-up.js';
import { registerStaff } from '../support/clinic-staff.js';
import { Receiver } from './webhook-receiver.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();
const DAY = 86_400_000;
const HOUR = 3_600_000;
const TZ = 'Europe/Copenhagen';
const standardSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * Issue 15 part 3 and issue 12 part 6, through the API and a loopback receiver: Standard Webhooks headers verified
 * with the specification's own library, a payload version, a retry schedule that outlasts a day-long outage,
 * bulk replay, a test ping, secret rotation with an overlap, team-level events, and target checks at
 * registration and at every delivery (with a stub resolver: nothing but 127.0.0.1 is ever contacted).
 */
describeForEachDatabase(targets, 'webhooks for integrators', (target) => {
  let t: TestApp;
  let fx: EnrolmentFixtures;
  let worker: WebhookDeliveryWorker;
  let hookTargets: WebhookTargets;
  let db: DataSource;
  let admin: Awaited<ReturnType<typeof as>>;
  let secretary: Awaited<ReturnType<typeof as>>;
  const receiver = new Receiver();
  const defaultDelays = () => t.app.get(WebhookDeliveryWorker).policy.retryDelaysMs;
  let clock = Date.now();
  const tick = (ms: number) => new Date((clock = Math.max(clock, Date.now()) + ms));

  async function register(
    path: string,
    eventTypes: string[],
    secret = standardSecret(),
    host = '127.0.0.1',
  ): Promise<{ id: string; secret: string }> {
    const res = await admin.post('/webhooks', { url: receiver.url(path, host), secret, eventTypes });
    if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
    return { id: res.body.webhookId as string, secret };
  }

  async function bookAndCancel(): Promise<string> {
    const courseId = await fx.course();
    const appointment = (
      await secretary
        .post(`/courses/${courseId}/appointments`, {
          intervention: 'KORT_PRIMAERSAMTALE',
          start: new Date(Date.now() + 4 * DAY).toISOString(),
          clinicianIds: ['doc-3'],
        })
        .expect(201)
    ).body.appointmentId as string;
    await secretary.delete(`/courses/${courseId}/appointments/${appointment}`, { reason: 'Patient called' }).expect(200);
    await caughtUp(t);
    return courseId;
  }

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp(target, { WEBHOOK_DELIVERY_INTERVAL_MS: '0' });
    fx = new EnrolmentFixtures(t);
    db = t.app.get(DataSource);
    worker = t.app.get(WebhookDeliveryWorker);
    hookTargets = t.app.get(WebhookTargets);
    await registerStaff(t, { clinicians: ['doc-3'] }); // only the clinic's own clinicians can be booked
    admin = await as(t, ['admin'], 'admin-1');
    secretary = await as(t, ['secretary'], 'sec-1');
  });
  afterAll(async () => {
    await closeIfStarted(t);
    await receiver.stop();
  });
  afterEach(async () => {
    // each test registers its own webhooks; remove them so the next test's deliveries are its own
    for (const w of (await admin.get('/webhooks').expect(200)).body as Array<{ webhookId: string }>)
      await admin.delete(`/webhooks/${w.webhookId}`).expect(204);
    hookTargets.policy = targetPolicyFor('test');
    receiver.answer = () => 204;
  });

  it('Standard Webhooks headers verify with the specification library (standardwebhooks); our t=,v1= header too; every body says version 1 and names no patient', async () => {
    const hook = await register('/std', ['booking.booked', 'booking.cancelled']);
    const courseId = await bookAndCancel();
    await worker.runOnce(tick(0));
    const got = receiver.to('/std').filter((r) => r.body.courseId === courseId);
    expect(got.map((r) => r.body.type)).toEqual(['booking.booked', 'booking.cancelled']);
    const wh = new Webhook(hook.secret);
    for (const r of got) {
      const headers = {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      };
      expect(wh.verify(r.text, headers)).toEqual(r.body);
      expect(headers['webhook-id']).toBe(r.body.id);
      expect(() => new Webhook(standardSecret()).verify(r.text, headers)).toThrow(/No matching signature/);
      expect(() => wh.verify(r.text.replace('"version":1', '"version":2'), headers)).toThrow();
      expect(verifySignature(hook.secret, r.headers[SIGNATURE_HEADER] as string, r.text, Math.floor(Date.now() / 1000))).toBe(true);
      expect(r.body.version).toBe(1);
      expect(r.text).not.toMatch(/Patient called/);
    }
    // a secret that is not whsec_+base64 signs with its own bytes: the library's raw format verifies it
    const raw = await register('/raw', ['booking.booked'], `plain-${randomUUID()}`);
    const c2 = await bookAndCancel();
    await worker.runOnce(tick(0));
    const r = present(receiver.to('/raw').find((x) => x.body.courseId === c2));
    expect(
      new Webhook(raw.secret, { format: 'raw' }).verify(r.text, {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      }),
    ).toEqual(r.body);
  });

  it('the default retry schedule spans more than a day: a receiver down for 23 hours gets the first delivery, in order, and nothing is a dead letter', async () => {
    expect(defaultDelays().reduce((a, b) => a + b, 0)).toBeGreaterThan(DAY);
    await register('/down', ['booking.booked', 'booking.cancelled']);
    const courseId = await bookAndCancel();
    const start = Math.max(clock, Date.now());
    receiver.answer = (_b, path) => (path === '/down' ? 503 : 204);
    // the outage: a pass every 20 minutes for 23 hours
    for (let at = start; at <= start + 23 * HOUR; at += 20 * 60_000) await worker.runOnce(new Date(at));
    const failed = receiver.to('/down');
    expect(failed.length).toBeGreaterThanOrEqual(5);
    expect(new Set(failed.map((r) => r.body.type))).toEqual(new Set(['booking.booked'])); // the cancellation waits behind it
    const [row] = await db.query<Array<{ status: string; attempts: number }>>(
      `SELECT status, attempts FROM webhook_deliveries d JOIN outbox_messages m USING (message_id) WHERE m.course_id = $1 AND m.type = 'booking.booked'`,
      [courseId],
    );
    expect(row).toMatchObject({ status: 'pending' });
    expect((await admin.get('/webhooks').expect(200)).body[0]).toMatchObject({ deadLetters: 0 });
    // back up: the next scheduled attempt (the 8th and last, 27 h 35 min after the first at the earliest) delivers both, in order
    receiver.answer = () => 204;
    for (
      let at = start + 23 * HOUR;
      at <= start + 30 * HOUR && receiver.to('/down').filter((r) => r.answered === 204).length < 2;
      at += 20 * 60_000
    )
      await worker.runOnce(new Date(at));
    expect(
      receiver
        .to('/down')
        .filter((r) => r.answered === 204)
        .map((r) => r.body.type),
    ).toEqual(['booking.booked', 'booking.cancelled']);
    clock = start + 31 * HOUR;
  });

  it('bulk replay sends every dead letter of a webhook again, in order per course; a second call finds none; secretaries may not', async () => {
    const hook = await register('/bulk', ['booking.booked', 'booking.cancelled']);
    worker.policy = { ...worker.policy, retryDelaysMs: [1_000] };
    try {
      const c1 = await bookAndCancel();
      const c2 = await bookAndCancel();
      receiver.answer = (_b, path) => (path === '/bulk' ? 500 : 204);
      await worker.runOnce(tick(0));
      await worker.runOnce(tick(60_000));
      const dead = (await admin.get(`/webhooks/${hook.id}/dead-letters`).expect(200)).body as Array<{ courseId: string; type: string }>;
      expect(dead.map((d) => [d.courseId, d.type]).sort()).toEqual(
        [
          [c1, 'booking.booked'],
          [c2, 'booking.booked'],
        ].sort(),
      );
      expect((await secretary.post(`/webhooks/${hook.id}/dead-letters/replay`, {})).status).toBe(403);
      receiver.answer = () => 204;
      const replay = await admin.post(`/webhooks/${hook.id}/dead-letters/replay`, { reason: 'Receiver fixed' }).expect(202);
      expect(replay.body).toEqual({ webhookId: hook.id, replayed: 2, status: 'pending' });
      await worker.runOnce(tick(0));
      for (const c of [c1, c2])
        expect(
          receiver
            .to('/bulk')
            .filter((r) => r.answered === 204 && r.body.courseId === c)
            .map((r) => r.body.type),
        ).toEqual(['booking.booked', 'booking.cancelled']);
      expect((await admin.post(`/webhooks/${hook.id}/dead-letters/replay`, {}).expect(202)).body.replayed).toBe(0);
      await admin.post(`/webhooks/${randomUUID()}/dead-letters/replay`, {}).expect(404);
      expect((await admin.post(`/webhooks/${hook.id}/dead-letters/replay`, { extra: 1 })).status).toBe(400);
    } finally {
      worker.policy = { ...worker.policy, retryDelaysMs: defaultDelays() };
    }
  });

  it('a test ping is signed like every delivery and says how the receiver answered; redirects are not followed', async () => {
    const hook = await register('/ping', ['booking.booked']);
    const ok = await admin.post(`/webhooks/${hook.id}/ping`).expect(200);
    expect(ok.body).toMatchObject({ ok: true, status: 204, error: null, messageId: expect.any(String) });
    const sent = present(receiver.to('/ping').at(-1));
    expect(sent.body).toMatchObject({ version: 1, type: 'webhook.ping', courseId: null, patientId: null, data: { webhookId: hook.id } });
    expect(new Webhook(hook.secret).verify(sent.text, sent.headers as Record<string, string>)).toEqual(sent.body);
    receiver.answer = () => 503;
    expect((await admin.post(`/webhooks/${hook.id}/ping`).expect(200)).body).toMatchObject({ ok: false, status: 503, error: 'HTTP 503' });
    receiver.answer = (_b, path) => (path === '/ping' ? 302 : 204);
    expect((await admin.post(`/webhooks/${hook.id}/ping`).expect(200)).body).toMatchObject({
      ok: false,
      status: 302,
      error: 'HTTP 302 (redirects are not followed)',
    });
    expect(receiver.to('/redirected')).toEqual([]);
    expect((await secretary.post(`/webhooks/${hook.id}/ping`)).status).toBe(403);
    await admin.post(`/webhooks/${randomUUID()}/ping`).expect(404);
  });

  it('secret rotation: both secrets sign during the overlap, only the new one after it; sending the same secret again changes nothing', async () => {
    const hook = await register('/rotate', ['booking.booked', 'booking.cancelled']);
    const next = standardSecret();
    const rotated = await admin.put(`/webhooks/${hook.id}/secret`, { secret: next }).expect(200);
    expect(Date.parse(rotated.body.previousSecretSignsUntil) - Date.now()).toBeGreaterThan(23 * HOUR);
    const again = await admin.put(`/webhooks/${hook.id}/secret`, { secret: next }).expect(200);
    expect(again.body.previousSecretSignsUntil).toBe(rotated.body.previousSecretSignsUntil);
    expect((await admin.get('/webhooks').expect(200)).body[0]).toMatchObject({
      webhookId: hook.id,
      previousSecretSignsUntil: rotated.body.previousSecretSignsUntil,
    });
    expect(JSON.stringify((await admin.get('/webhooks').expect(200)).body)).not.toContain(next);

    const c1 = await bookAndCancel();
    await worker.runOnce(new Date(Date.now()));
    const during = present(receiver.to('/rotate').find((r) => r.body.courseId === c1));
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [hook.secret, next]) {
      expect(new Webhook(secret).verify(during.text, during.headers as Record<string, string>)).toEqual(during.body);
      expect(verifySignature(secret, during.headers[SIGNATURE_HEADER] as string, during.text, Math.floor(Date.now() / 1000))).toBe(true);
    }
    // 25 hours later the old secret no longer signs
    const c2 = await bookAndCancel();
    await worker.runOnce(new Date(Date.now() + 25 * HOUR));
    const after = present(receiver.to('/rotate').find((r) => r.body.courseId === c2));
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(new Webhook(next).verify(after.text, after.headers as Record<string, string>)).toEqual(after.body);
    expect(() => new Webhook(hook.secret).verify(after.text, after.headers as Record<string, string>)).toThrow();
    // previousSecretValidHours: 0 ends the old secret at once
    const third = standardSecret();
    expect(
      (await admin.put(`/webhooks/${hook.id}/secret`, { secret: third, previousSecretValidHours: 0 }).expect(200)).body
        .previousSecretSignsUntil,
    ).toBeNull();
    expect((await admin.put(`/webhooks/${hook.id}/secret`, { secret: 'short' })).status).toBe(400);
    expect((await secretary.put(`/webhooks/${hook.id}/secret`, { secret: standardSecret() })).status).toBe(403);
    clock = Date.now() + 26 * HOUR;
  });

  it('team events: planned, staff assigned and removed, a session moved and cancelled, ordered per team, with no course and no patient', async () => {
    await register('/team', ['team.planned', 'team.staff-changed', 'team.session-moved', 'team.session-cancelled']);
    const teamId = await fx.planTeam({ startsInDays: 40 });
    await secretary.delete(`/teams/${teamId}/therapists/fx-secondary`, { reason: 'Covers another team' }).expect(200);
    await secretary
      .post(`/teams/${teamId}/sessions/1/move`, { startsAt: formatInZone(Date.now() + 41 * DAY, TZ), reason: 'Room taken' })
      .expect(200);
    await caughtUp(t);
    await worker.runOnce(tick(0));
    const got = receiver.to('/team').filter((r) => r.body.teamId === teamId);
    expect(got.map((r) => [r.body.type, r.body.data.change ?? null])).toEqual([
      ['team.planned', null],
      ['team.staff-changed', 'assigned'],
      ['team.staff-changed', 'assigned'],
      ['team.staff-changed', 'removed'],
      ['team.session-moved', null],
    ]);
    expect(got.every((r) => r.body.courseId === null && r.body.patientId === null && r.body.version === 1)).toBe(true);
    expect(got[0].body.data).toMatchObject({
      teamId,
      programme: 'FORSTAA_SMERTE',
      roomId: 'room-1',
      sessions: [expect.objectContaining({ sessionKey: expect.any(String) })],
    });
    expect(got[3].body.data).toMatchObject({ clinicianId: 'fx-secondary', role: 'secondary' });
    expect(got.map((r) => r.text).join()).not.toMatch(/Covers another team|Room taken/);
    const sequences = got.map((r) => r.body.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  });

  it('production rules: https only and public addresses at registration (422 with a sentence); every delivery re-resolves, connects to the checked address, and refuses a name that now points inside', async () => {
    const stubbed: Record<string, string[]> = { 'engine.region.internal': ['127.0.0.1'], 'hooks.example.org': ['93.184.216.34'] };
    const resolved: string[] = [];
    const resolver: Resolver = async (host) => {
      resolved.push(host);
      return (stubbed[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    hookTargets.resolver = resolver;
    hookTargets.policy = targetPolicyFor('production', ['engine.region.internal']);
    const body = { secret: standardSecret(), eventTypes: ['booking.booked'] };
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.5/',
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://[fd00::1]/',
      'https://[::ffff:169.254.169.254]/',
    ]) {
      const res = await admin.post('/webhooks', { ...body, url });
      expect([url, res.status, res.body.code]).toEqual([url, 422, 'WEBHOOK_TARGET_NOT_ALLOWED']);
      expect(res.body.message).toMatch(/public internet addresses/);
    }
    const http = await admin.post('/webhooks', { ...body, url: 'http://hooks.example.org/x' });
    expect([http.status, http.body.code]).toEqual([422, 'WEBHOOK_HTTPS_REQUIRED']);
    expect((await admin.post('/webhooks', { ...body, url: 'https://unknown.example.org/x' })).body.code).toBe(
      'WEBHOOK_TARGET_UNRESOLVABLE',
    );
    expect(await db.query(`SELECT 1 FROM webhooks WHERE deleted_at IS NULL`)).toEqual([]);
    // a public name registers (nothing is sent to it in this test: see below)
    const publicHook = (await admin.post('/webhooks', { ...body, url: 'https://hooks.example.org/x' }).expect(201)).body
      .webhookId as string;

    // deliveries: same rules but http allowed, so the loopback receiver can stand in for the allow-listed engine
    hookTargets.policy = { ...targetPolicyFor('production', ['engine.region.internal']), httpsOnly: false };
    const engine = await register('/engine', ['booking.booked'], standardSecret(), 'engine.region.internal');
    // the public name now resolves to the metadata service (DNS rebinding): refused before any connection
    stubbed['hooks.example.org'] = ['169.254.169.254'];
    const courseId = await bookAndCancel();
    resolved.length = 0;
    await worker.runOnce(tick(0));
    expect(resolved.sort()).toEqual(['engine.region.internal', 'hooks.example.org']);
    // the allow-listed name does not exist in any DNS: only the pinned, checked address (127.0.0.1) was used
    expect(receiver.to('/engine').map((r) => [r.body.courseId, r.answered])).toEqual([[courseId, 204]]);
    const [refused] = await db.query<Array<Record<string, unknown>>>(
      `SELECT status, attempts, last_error, last_status FROM webhook_deliveries WHERE webhook_id = $1`,
      [publicHook],
    );
    expect(refused).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status: null,
      last_error: 'refused: WEBHOOK_TARGET_NOT_ALLOWED (169.254.169.254)',
    });
    // the engine itself moving to the metadata range is refused too, allow-listed or not
    stubbed['engine.region.internal'] = ['169.254.169.254'];
    expect((await admin.post(`/webhooks/${engine.id}/ping`).expect(200)).body).toMatchObject({
      ok: false,
      status: null,
      error: 'refused: WEBHOOK_TARGET_NOT_ALLOWED (169.254.169.254)',
    });
    expect(receiver.to('/engine')).toHaveLength(1);
  });
});
