import request from 'supertest';
import { DataSource } from 'typeorm';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as, OTHER_CLINIC } from '../teams/helpers.js';
import { registerStaff } from '../support/clinic-staff.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

describeForEachDatabase(targets, 'rooms', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => closeIfStarted(t));

  it('registers rooms (stream room-<uuid>) and lists them with their seats, per clinic, reading its own write via X-Min-Position', async () => {
    const secretary = await as(t, ['secretary']);
    const big = await secretary.post('/rooms', { name: 'Store mødelokale', seats: 25 }).expect(201);
    expect(big.body).toEqual({
      roomId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Store mødelokale',
      seats: 25,
      maxPeople: null,
      registeredAt: expect.any(String),
    });
    expect(big.headers.etag).toBe('"0"');
    const small = await secretary.post('/rooms', { name: 'Lille lokale', seats: 10, maxPeople: 12 }).expect(201);
    const other = await (await as(t, ['admin'], 'X1', OTHER_CLINIC)).post('/rooms', { name: 'Andet sted', seats: 8 }).expect(201);

    const list = await secretary.get('/rooms').set('X-Min-Position', other.headers['x-event-position']).expect(200);
    expect(list.body).toEqual([
      { roomId: small.body.roomId, name: 'Lille lokale', seats: 10, maxPeople: 12, registeredAt: expect.any(String) },
      { roomId: big.body.roomId, name: 'Store mødelokale', seats: 25, maxPeople: null, registeredAt: expect.any(String) },
    ]);
    const auditorView = await (await as(t, ['auditor'], 'A1')).get('/rooms').expect(200);
    expect(auditorView.body).toHaveLength(2);
  });

  it('records X-On-Behalf-Of (the responsible clinician a secretary acts for) in the event metadata; a malformed or unregistered one is a 422 that writes nothing', async () => {
    await registerStaff(t, { clinicians: ['DR-L'] });
    const token = await t.token(['secretary'], 'S12');
    const res = await request(t.server)
      .post('/rooms')
      .set('Authorization', `Bearer ${token}`)
      .set('X-On-Behalf-Of', 'DR-L')
      .send({ name: 'Samtalerum', seats: 2 })
      .expect(201);
    const dataSource = t.app.get(DataSource);
    const rows: Array<{ metadata: { onBehalfOf?: string; actor: { staffId: string } } }> = await dataSource.query(
      'SELECT metadata FROM events WHERE stream_id = $1',
      [`room-${res.body.roomId}`],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].metadata).toMatchObject({ onBehalfOf: 'DR-L', actor: { staffId: 'S12' } });

    const [{ count: before }] = await dataSource.query('SELECT count(*)::int AS count FROM events');
    for (const value of ['dr l; drop', 'DR-NOBODY']) {
      const bad = await request(t.server)
        .post('/rooms')
        .set('Authorization', `Bearer ${token}`)
        .set('X-On-Behalf-Of', value)
        .send({ name: 'X', seats: 2 })
        .expect(422);
      expect(bad.body.code).toBe('ON_BEHALF_OF_NOT_A_CLINICIAN');
    }
    const [{ count: after }] = await dataSource.query('SELECT count(*)::int AS count FROM events');
    expect(after).toBe(before);
  });

  it('refuses bad input with every field listed (400), other roles than secretary/admin (403), and no token (401)', async () => {
    const secretary = await as(t, ['secretary']);
    const bad = await secretary.post('/rooms', { name: ' ', seats: 0, maxPeople: 5, colour: 'blue' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'name', 'seats']);
    const cap = await secretary.post('/rooms', { name: 'Lokale', seats: 10, maxPeople: 5 }).expect(400);
    expect(cap.body.details.fields).toEqual([{ field: 'maxPeople', problems: ['maxPeople must not be less than seats'] }]);
    await (await as(t, ['clinician'], 'C1')).post('/rooms', { name: 'Lokale', seats: 10 }).expect(403);
    await (await as(t, ['auditor'], 'A1')).post('/rooms', { name: 'Lokale', seats: 10 }).expect(403);
    const { default: request } = await import('supertest');
    await request(t.server).post('/rooms').send({ name: 'Lokale', seats: 10 }).expect(401);
  });
});
