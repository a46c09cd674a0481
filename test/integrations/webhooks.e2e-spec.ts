import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { defaultCatalogue, formatInZone, initialTeamState, teamDecider, type TeamEvent } from '#app/domain';
import { WebhookDeliveryWorker } from '../../apps/api/src/features/webhooks/webhook-delivery.worker.js';
import { SIGNATURE_HEADER, verifySignature } from '../../apps/api/src/features/webhooks/webhook-signature.js';
import { EnrolmentFixtures } from '../enrolment/enrolment-fixtures.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as, seed } from '../teams/helpers.js';
import { caughtUp } from './caught-up.js';
import { registerStaff } from '../support/clinic-staff.js';
import { Receiver } from './webhook-receiver.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();
const DAY = 86_400_000;
const TZ = 'Europe/Copenhagen';

/**
 * Outbound events: the outbox (written by a durable subscription with its checkpoint) delivered to webhooks,
 * signed, in order per course, retried with back-off, with dead letters an administrator can replay.
 * The worker runs by hand (`runOnce(now)`, the loop is off) with a clock the test moves past each back-off.
 */
describeForEachDatabase(targets, 'webhooks', (target) => {
  let t: TestApp;
  let fx: EnrolmentFixtures;
  let worker: WebhookDeliveryWorker;
  let db: DataSource;
  const receiver = new Receiver();
  const secretA = `whsec_${randomUUID().replace(/-/g, '')}`;
  const secretB = `whsec_${randomUUID().replace(/-/g, '')}`;
  let hookA: string;
  let hookB: string;
  let clock = Date.now();
  let admin: Awaited<ReturnType<typeof as>>;
  let secretary: Awaited<ReturnType<typeof as>>;

  /** passes of the worker, the clock a minute on each time (past every back-off), until `done` or 30 passes */
  async function deliverUntil(done: () => boolean): Promise<number> {
    for (let pass = 1; pass <= 30; pass++) {
      clock = Math.max(clock, Date.now());
      await worker.runOnce(new Date(clock));
      if (done()) return pass;
      clock += 60_000;
    }
    throw new Error('deliveries did not finish within 30 passes');
  }

  /** a Forstå smerte team that met 3 days ago with `courseId` on it, and the course recorded as a no-show */
  async function pastTeamWithNoShow(courseId: string): Promise<string> {
    const teamId = randomUUID();
    const at = (ms: number) => formatInZone(ms, TZ);
    const planned = teamDecider.decide(
      {
        type: 'PlanTeam',
        teamId,
        catalogue: defaultCatalogue,
        programmeCode: 'FORSTAA_SMERTE',
        room: { roomId: 'room-9', seats: 25 },
        startsOn: at(Date.now() - 3 * DAY).slice(0, 10),
        startTime: '10:00',
        now: at(Date.now() - 10 * DAY),
      },
      initialTeamState,
    ) as TeamEvent[];
    const key = (planned[0].data as unknown as { sessions: Array<{ key: string }> }).sessions[0].key;
    await seed(t, `team-${teamId}`, [
      ...planned,
      {
        type: 'SeatReserved',
        data: {
          teamId,
          courseId,
          referralDate: at(Date.now() - 20 * DAY).slice(0, 10),
          relatives: 0,
          via: 'direct',
          reservedAt: at(Date.now() - 9 * DAY),
        },
      },
      {
        type: 'AttendanceRecorded',
        data: {
          teamId,
          sessionKey: key,
          entries: [{ courseId, status: 'noShow', relativesPresent: 0 }],
          recordedAt: at(Date.now() - 3 * DAY + 4 * 3_600_000),
        },
      },
    ]);
    return teamId;
  }

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp(target, { WEBHOOK_DELIVERY_INTERVAL_MS: '0' });
    fx = new EnrolmentFixtures(t);
    db = t.app.get(DataSource);
    worker = t.app.get(WebhookDeliveryWorker);
    await registerStaff(t, { clinicians: ['doc-7', 'doc-8'] }); // only the clinic's own clinicians can be booked
    worker.policy = { ...worker.policy, retryDelaysMs: [1_000, 2_000, 4_000], timeoutMs: 5_000 };
    admin = await as(t, ['admin'], 'admin-1');
    secretary = await as(t, ['secretary'], 'sec-1');
    const all = ['booking.booked', 'booking.rebooked', 'booking.cancelled', 'session.moved', 'session.cancelled', 'attendance.no-show'];
    hookA = (
      await admin
        .post('/webhooks', { url: receiver.url('/a'), secret: secretA, eventTypes: all, description: 'region calendar' })
        .expect(201)
    ).body.webhookId;
    hookB = (await admin.post('/webhooks', { url: receiver.url('/b'), secret: secretB, eventTypes: ['booking.cancelled'] }).expect(201))
      .body.webhookId;
  });
  afterAll(async () => {
    await closeIfStarted(t);
    await receiver.stop();
  });

  it('registers webhooks (admin only, http(s) on 127.0.0.1 in tests), never shows or stores the secret in clear', async () => {
    const listed = (await admin.get('/webhooks').expect(200)).body as Array<Record<string, unknown>>;
    expect(listed.map((w) => w.webhookId)).toEqual([hookA, hookB]);
    expect(listed[0]).toMatchObject({
      url: receiver.url('/a'),
      eventTypes: expect.arrayContaining(['session.moved']),
      pending: 0,
      deadLetters: 0,
    });
    expect(JSON.stringify(listed)).not.toContain(secretA);
    const stored = await db.query<Array<{ secret_encrypted: Buffer }>>(`SELECT secret_encrypted FROM webhooks`);
    expect(stored.every((r) => !Buffer.from(r.secret_encrypted).toString('latin1').includes('whsec_'))).toBe(true);

    const body = { url: receiver.url('/x'), secret: secretA, eventTypes: ['booking.booked'] };
    expect((await secretary.post('/webhooks', body)).status).toBe(403);
    expect((await admin.post('/webhooks', { ...body, url: 'ftp://127.0.0.1/x' })).body.code).toBe('VALIDATION_FAILED');
    expect((await admin.post('/webhooks', { ...body, url: 'https://calendar.hospital.example/hook' })).body.code).toBe(
      'WEBHOOK_TARGET_NOT_ALLOWED',
    );
    expect((await admin.post('/webhooks', { ...body, url: `http://user:pw@127.0.0.1:${receiver.port}/x` })).status).toBe(400);
    expect((await admin.post('/webhooks', { ...body, eventTypes: ['booking.exploded'] })).status).toBe(400);
    expect((await admin.post('/webhooks', { ...body, secret: 'short' })).status).toBe(400);
    const extra = (await admin.post('/webhooks', body).expect(201)).body.webhookId;
    await admin.delete(`/webhooks/${extra}`).expect(204);
    await admin.delete(`/webhooks/${extra}`).expect(404);
    expect((await admin.get('/webhooks').expect(200)).body).toHaveLength(2);
  });

  it('a receiver that fails twice, then succeeds, gets each event once and in order per course; other courses and webhooks are not held up; every signature verifies', async () => {
    const token = await t.token(['secretary'], 'sec-1');
    const teamA = await fx.planTeam({ startsInDays: 20 });
    const teamB = await fx.planTeam({ startsInDays: 27 });
    const c1 = await fx.course();
    const c2 = await fx.course();
    const patient1 = ((await fx.courseState(c1)).events[0].data as { patientId: string }).patientId;

    expect((await fx.enrol(token, c1, { teamId: teamA })).status).toBe(201);
    await secretary.post(`/courses/${c1}/rebook`, { fromTeamId: teamA, toTeamId: teamB, reason: 'Away that week' }).expect(200);
    await secretary
      .post(`/teams/${teamB}/sessions/1/move`, { startsAt: formatInZone(Date.now() + 28 * DAY, TZ), reason: 'Room taken' })
      .expect(200);
    const appointment = (
      await secretary
        .post(`/courses/${c1}/appointments`, {
          intervention: 'KORT_PRIMAERSAMTALE',
          start: new Date(Date.now() + 3 * DAY).toISOString(),
          clinicianIds: ['doc-7'],
        })
        .expect(201)
    ).body.appointmentId as string;
    await secretary.delete(`/courses/${c1}/appointments/${appointment}`, { reason: 'Patient ill' }).expect(200);
    expect((await fx.cancel(token, c1, teamB)).status).toBe(200);
    await pastTeamWithNoShow(c2);
    await caughtUp(t);

    // the receiver fails the first two attempts at course 1's first event
    let failures = 0;
    receiver.answer = (body, path) => (path === '/a' && body.courseId === c1 && failures < 2 ? (failures++, 503) : 204);
    const expected = ['booking.booked', 'booking.rebooked', 'session.moved', 'booking.booked', 'booking.cancelled', 'booking.cancelled'];
    // one pass: course 1's first event fails; course 2 is not held up by it
    clock = Math.max(clock, Date.now());
    await worker.runOnce(new Date(clock));
    expect(receiver.ok('/a', c1)).toEqual([]);
    expect(receiver.ok('/a', c2).map((r) => r.body.type)).toContain('attendance.no-show');
    clock += 60_000;
    const passes = await deliverUntil(() => receiver.ok('/a', c1).length === expected.length);
    expect(passes).toBeGreaterThanOrEqual(2);

    const toA = receiver.requests.filter((r) => r.path === '/a');
    const c1Requests = toA.filter((r) => r.body.courseId === c1);
    // attempts: the first event three times (503, 503, 2xx), then each later one once, in order
    expect(c1Requests.map((r) => [r.body.type, r.answered])).toEqual([
      ['booking.booked', 503],
      ['booking.booked', 503],
      ...expected.map((type) => [type, 204]),
    ]);
    const delivered = receiver.ok('/a', c1);
    expect(new Set(delivered.map((r) => r.body.id)).size).toBe(expected.length);
    expect(delivered.map((r) => r.body.sequence)).toEqual([...delivered.map((r) => r.body.sequence)].sort((a, b) => a - b));
    expect(delivered[1].body.data).toMatchObject({ kind: 'team-seat', fromTeamId: teamA, toTeamId: teamB });
    expect(delivered[2].body.data).toMatchObject({ teamId: teamB, sessionKey: expect.any(String) });
    expect(delivered[3].body.data).toMatchObject({ kind: 'appointment', appointmentId: appointment, clinicianIds: ['doc-7'] });
    expect(delivered.every((r) => r.body.courseId === c1 && r.body.patientId === patient1)).toBe(true);
    // pseudonymous ids only: no free-text reasons either
    expect(delivered.map((r) => r.text).join()).not.toMatch(/Away that week|Patient ill|Room taken/);

    // webhook B (booking.cancelled only) got its two, undisturbed
    expect(receiver.ok('/b', c1).map((r) => [r.body.type, r.body.data.kind])).toEqual([
      ['booking.cancelled', 'appointment'],
      ['booking.cancelled', 'team-seat'],
    ]);
    expect(receiver.requests.filter((r) => r.path === '/b').every((r) => r.answered < 300)).toBe(true);

    // every request is signed: HMAC-SHA256 over "<timestamp>.<body>" with the webhook's own secret
    const nowSeconds = Math.floor(Date.now() / 1000);
    for (const r of receiver.requests) {
      const secret = r.path === '/a' ? secretA : secretB;
      expect(verifySignature(secret, r.headers[SIGNATURE_HEADER] as string, r.text, nowSeconds)).toBe(true);
      expect(verifySignature(secret === secretA ? secretB : secretA, r.headers[SIGNATURE_HEADER] as string, r.text, nowSeconds)).toBe(
        false,
      );
      expect(r.headers['x-webhook-event']).toBe(r.body.type);
    }
    expect(
      verifySignature(secretA, toA[0].headers[SIGNATURE_HEADER] as string, toA[0].text.replace('booking', 'bookinG'), nowSeconds),
    ).toBe(false);

    // delivered means done: later passes send course 1 nothing again
    await worker.runOnce(new Date((clock += 3_600_000)));
    expect(receiver.requests.filter((r) => r.path === '/a' && r.body.courseId === c1)).toHaveLength(expected.length + 2);
  });

  it('after the last attempt a delivery is a dead letter that holds back its course; an admin sees it and replays it, and the held-back one follows in order', async () => {
    const c3 = await fx.course();
    const appointment = (
      await secretary
        .post(`/courses/${c3}/appointments`, {
          intervention: 'KORT_PRIMAERSAMTALE',
          start: new Date(Date.now() + 5 * DAY).toISOString(),
          clinicianIds: ['doc-8'],
        })
        .expect(201)
    ).body.appointmentId as string;
    await secretary.delete(`/courses/${c3}/appointments/${appointment}`, { reason: 'Rebooked by phone' }).expect(200);
    await caughtUp(t);

    receiver.answer = (body, path) => (path === '/a' && body.courseId === c3 ? 500 : 204);
    await deliverUntil(() => receiver.requests.filter((r) => r.path === '/a' && r.body.courseId === c3).length >= 4);
    const attempts = receiver.requests.filter((r) => r.path === '/a' && r.body.courseId === c3);
    expect(attempts.map((r) => r.body.type)).toEqual(Array(4).fill('booking.booked')); // maxAttempts, and never the cancellation behind it

    const dead = (await admin.get(`/webhooks/${hookA}/dead-letters`).expect(200)).body as Array<Record<string, any>>;
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      type: 'booking.booked',
      courseId: c3,
      attempts: 4,
      lastStatus: 500,
      lastError: 'HTTP 500',
      payload: { data: { appointmentId: appointment } },
    });
    expect((await admin.get('/webhooks').expect(200)).body[0]).toMatchObject({ webhookId: hookA, deadLetters: 1, pending: 1 });
    // webhook B got the cancellation at once: a dead letter holds back only its own course on its own webhook
    expect(receiver.ok('/b', c3).map((r) => r.body.type)).toEqual(['booking.cancelled']);
    // more passes change nothing while it is dead
    await worker.runOnce(new Date((clock += 3_600_000)));
    expect(receiver.requests.filter((r) => r.path === '/a' && r.body.courseId === c3)).toHaveLength(4);
    expect((await secretary.get(`/webhooks/${hookA}/dead-letters`)).status).toBe(403);

    receiver.answer = () => 204;
    const replayed = await admin.post(`/webhooks/${hookA}/dead-letters/${dead[0].deliveryId}/replay`).expect(202);
    expect(replayed.body).toEqual({ deliveryId: dead[0].deliveryId, status: 'pending' });
    await admin.post(`/webhooks/${hookA}/dead-letters/${randomUUID()}/replay`).expect(404);
    await worker.runOnce(new Date(Math.max(clock, Date.now())));
    expect(receiver.ok('/a', c3).map((r) => [r.body.type, r.body.id])).toEqual([
      ['booking.booked', dead[0].messageId],
      ['booking.cancelled', expect.any(String)],
    ]);
    expect((await admin.get(`/webhooks/${hookA}/dead-letters`).expect(200)).body).toEqual([]);
    expect((await admin.post(`/webhooks/${hookA}/dead-letters/${dead[0].deliveryId}/replay`)).status).toBe(409);
    const [row] = await db.query<Array<{ status: string; replays: number }>>(
      `SELECT status, replays FROM webhook_deliveries WHERE delivery_id = $1`,
      [dead[0].deliveryId],
    );
    expect(row).toEqual({ status: 'delivered', replays: 1 });
  });

  it('the outbox is written with the subscription checkpoint: a removed webhook gets nothing more; the payload names no patient', async () => {
    await admin.delete(`/webhooks/${hookB}`).expect(204);
    const before = receiver.requests.length;
    const c4 = await fx.course();
    const teamC = await fx.planTeam({ startsInDays: 34 });
    expect((await fx.enrol(await t.token(['secretary'], 'sec-1'), c4, { teamId: teamC })).status).toBe(201);
    expect((await fx.cancel(await t.token(['secretary'], 'sec-1'), c4, teamC)).status).toBe(200);
    await caughtUp(t);
    await worker.runOnce(new Date(Math.max(clock, Date.now())));
    // other courses' follow-ups from earlier tests (the process manager books asynchronously) may arrive too
    const sent = receiver.requests.slice(before);
    expect(sent.filter((r) => r.path !== '/a')).toEqual([]);
    expect(sent.filter((r) => r.body.courseId === c4).map((r) => [r.path, r.body.type])).toEqual([
      ['/a', 'booking.booked'],
      ['/a', 'booking.cancelled'],
    ]);
    const [{ n }] = await db.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM outbox_messages WHERE course_id = $1`, [c4]);
    expect(n).toBe(2);
    expect(Object.keys(present(sent.find((r) => r.body.courseId === c4)).body).sort()).toEqual([
      'clinicId',
      'courseId',
      'data',
      'id',
      'occurredAt',
      'patientId',
      'sequence',
      'type',
      'version',
    ]);
    await request(t.server).get('/webhooks').expect(401);
  });
});
