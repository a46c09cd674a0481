import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EnrolmentFixtures } from '../enrolment/enrolment-fixtures.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as } from '../teams/helpers.js';
import { caughtUp } from './caught-up.js';
import { parseFeed, type ParsedEvent } from './ics.js';
import { registerStaff } from '../support/clinic-staff.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();
const now = Date.now();
/** a year whose autumn is still ahead, so a weekly team can span the last Sunday of October */
const Y = new Date(now).getUTCMonth() >= 8 ? new Date(now).getUTCFullYear() + 1 : new Date(now).getUTCFullYear();
const RANGE = `from=${Y}-01-01T00:00:00Z&to=${Y}-12-31T00:00:00Z`;
const DAY = 86_400_000;

type Api = Awaited<ReturnType<typeof as>>;

/**
 * iCalendar feeds read by an independent parser (ical.js): stable UIDs and growing SEQUENCEs, cancellations
 * kept, wall-clock times across the change to winter time, irregular series as individual events, no patient
 * identity in room and team feeds, and feed tokens that are hashed, redacted from logs and revocable.
 */
describeForEachDatabase(targets, 'iCalendar feeds', (target) => {
  let t: TestApp;
  let fx: EnrolmentFixtures;
  let secretary: Api;
  let db: DataSource;
  let roomId: string;
  let afspTeam: string;
  let mbsrTeam: string;
  let taperTeam: string;
  let fsTeam: string;
  let courseId: string;
  let patientId: string;
  const tokens: Record<string, { feedId: string; token: string; path: string }> = {};

  async function makeFeed(calendar: string, id: string, roles: Parameters<typeof as>[1] = ['secretary'], sub = 'sec-1') {
    const res = await (await as(t, roles, sub)).post('/calendar-feeds', { calendar, id, label: `${calendar} feed` });
    if (res.status !== 201) throw new Error(`feed ${calendar} ${id}: ${res.status} ${res.text}`);
    return res.body as { feedId: string; token: string; path: string };
  }

  /** the feed through its link alone (`/calendars/…/<id>.ics?token=…`, no Authorization header), parsed */
  async function feed(link: string, minPosition?: string) {
    let req = request(t.server).get(`${link}&${RANGE}`);
    if (minPosition) req = req.set('X-Min-Position', minPosition);
    const res = await req.expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    return { text: res.text, ...parseFeed(res.text) };
  }

  beforeAll(async () => {
    t = await startTestApp(target, { WEBHOOK_DELIVERY_INTERVAL_MS: '0' });
    fx = new EnrolmentFixtures(t);
    db = t.app.get(DataSource);
    secretary = await as(t, ['secretary'], 'sec-1');
    roomId = (await secretary.post('/rooms', { name: 'Store mødelokale', seats: 25 }).expect(201)).body.roomId;
    // tapering meets in a room of its own: at 13:00 it would clash with the MBSR team's sessions in the big room
    const taperRoomId = (await secretary.post('/rooms', { name: 'Lille lokale', seats: 10 }).expect(201)).body.roomId;
    const plan = async (programmeCode: string, startsOn: string, room = roomId) =>
      (await secretary.post('/teams', { programmeCode, roomId: room, startsOn, startTime: '13:00' }).expect(201)).body.teamId as string;
    afspTeam = await plan('AFSPAENDING', `${Y}-10-20`);
    mbsrTeam = await plan('MBSR', `${Y}-02-02`);
    taperTeam = await plan('NEDTRAPNING', `${Y}-03-02`, taperRoomId);
    // a Forstå smerte team in room-1 staffed by fx-primary and fx-secondary, with one patient on it
    fsTeam = await fx.planTeam({ startsInDays: 20 });
    courseId = await fx.course();
    patientId = ((await fx.courseState(courseId)).events[0].data as { patientId: string }).patientId;
    expect((await fx.enrol(await t.token(['secretary'], 'sec-1'), courseId, { teamId: fsTeam })).status).toBe(201);
    // an appointment for the same patient, with fx-primary, in a consultation room (only the clinic's own registered ones can be booked)
    const consultationRoom = (await registerStaff(t, { clinicians: ['fx-primary'], rooms: ['Samtalerum'] })).Samtalerum;
    const booked = await (
      await as(t, ['secretary'], 'sec-1')
    )
      .post(`/courses/${courseId}/appointments`, {
        intervention: 'KORT_PRIMAERSAMTALE',
        start: new Date(now + 3 * DAY).toISOString(),
        clinicianIds: ['fx-primary'],
        roomId: consultationRoom,
      })
      .expect(201);
    expect(booked.body.appointmentId).toBeDefined();
    await caughtUp(t);
    tokens.afsp = await makeFeed('team', afspTeam);
    tokens.mbsr = await makeFeed('team', mbsrTeam);
    tokens.taper = await makeFeed('team', taperTeam);
    tokens.fs = await makeFeed('team', fsTeam);
    tokens.room1 = await makeFeed('room', 'room-1');
    tokens.consultation = await makeFeed('room', consultationRoom);
    tokens.primary = await makeFeed('clinician', 'fx-primary', ['clinician'], 'fx-primary');
  });
  afterAll(() => closeIfStarted(t));

  it('a weekly team across the last Sunday of October keeps 13:00 local: TZID=Europe/Copenhagen with its VTIMEZONE, one VEVENT per session', async () => {
    const { text, events, timezones } = await feed(tokens.afsp.path);
    expect(timezones).toEqual(['Europe/Copenhagen']);
    expect(text).toMatch(/BEGIN:VTIMEZONE\r\nTZID:Europe\/Copenhagen\r\n/);
    expect(text).not.toContain('RRULE:FREQ=WEEKLY');
    expect(events).toHaveLength(5);
    expect(events.every((e) => e.tzid === 'Europe/Copenhagen' && !e.rrule)).toBe(true);
    // the same wall-clock time every week ...
    expect(events.map((e) => e.localStart.slice(11))).toEqual(Array(5).fill('13:00:00'));
    expect(events[0].localStart).toBe(`${Y}-10-20T13:00:00`);
    // ... which is 11:00 UTC in summer time and 12:00 UTC after the change
    const utcHours = events.map((e) => e.start.getUTCHours());
    expect(utcHours[0]).toBe(11);
    expect(utcHours[4]).toBe(12);
    expect(events[0].start.toISOString()).toBe(`${Y}-10-20T11:00:00.000Z`);
    expect(events.every((e) => e.end.getTime() - e.start.getTime() === 150 * 60_000)).toBe(true);
    expect(events.every((e) => e.sequence === 0 && e.status === 'CONFIRMED')).toBe(true);
    expect(new Set(events.map((e) => e.uid)).size).toBe(5);
  });

  it('UIDs stay while SEQUENCE grows on a move and on a cancellation; a cancelled session stays as STATUS:CANCELLED', async () => {
    const before = await feed(tokens.afsp.path);
    const byUid = (events: ParsedEvent[]) => new Map(events.map((e) => [e.uid, e]));
    const s2 = before.events[1];
    const s3 = before.events[2];

    const moved = await secretary
      .post(`/teams/${afspTeam}/sessions/2/move`, { startsAt: `${Y}-10-28T09:00:00+01:00`, reason: 'Room needed for a course day' })
      .expect(200);
    const afterMove = await feed(tokens.afsp.path, moved.headers['x-event-position']);
    expect([...byUid(afterMove.events).keys()].sort()).toEqual([...byUid(before.events).keys()].sort());
    const m2 = present(byUid(afterMove.events).get(s2.uid));
    expect(m2).toMatchObject({ sequence: 1, status: 'CONFIRMED' });
    expect(m2.start.toISOString()).toBe(new Date(`${Y}-10-28T09:00:00+01:00`).toISOString());
    expect(present(byUid(afterMove.events).get(s3.uid)).sequence).toBe(0);

    const cancelled = await secretary.post(`/teams/${afspTeam}/sessions/3/cancel`, { reason: 'Therapist ill' }).expect(200);
    const afterCancel = await feed(tokens.afsp.path, cancelled.headers['x-event-position']);
    expect(afterCancel.events).toHaveLength(5);
    expect(byUid(afterCancel.events).get(s3.uid)).toMatchObject({ sequence: 1, status: 'CANCELLED', localStart: s3.localStart });
    expect(afterCancel.text).not.toContain('Therapist ill');

    const again = await secretary
      .post(`/teams/${afspTeam}/sessions/2/move`, { startsAt: `${Y}-10-29T10:00:00+01:00`, reason: 'Moved again' })
      .expect(200);
    const afterAgain = await feed(tokens.afsp.path, again.headers['x-event-position']);
    expect(byUid(afterAgain.events).get(s2.uid)).toMatchObject({ sequence: 2 });
    expect(present(byUid(afterAgain.events).get(s2.uid)).start.toISOString()).toBe(new Date(`${Y}-10-29T10:00:00+01:00`).toISOString());
  });

  it('irregular series are their sessions: the MBSR retreat day and tapering every 14 days, without RRULE', async () => {
    const mbsr = await feed(tokens.mbsr.path);
    expect(mbsr.events).toHaveLength(10);
    expect(mbsr.events.some((e) => e.rrule)).toBe(false);
    const hours = mbsr.events.map((e) => (e.end.getTime() - e.start.getTime()) / 3_600_000);
    const retreat = hours.indexOf(6);
    expect(hours.filter((h) => h === 6)).toHaveLength(1);
    expect(retreat).toBe(7); // after the orientation and six themed sessions
    expect(mbsr.events[retreat].summary).toBe('Mindfulness (MBSR) – hold 1, stilledag');
    expect(mbsr.events[retreat].localStart.slice(11)).toBe('09:00:00');
    // the weekly sessions around it keep their own weekday and time
    expect(mbsr.events.filter((_, i) => i !== retreat).every((e) => e.localStart.slice(11) === '13:00:00')).toBe(true);

    const taper = await feed(tokens.taper.path);
    expect(taper.events.map((e) => e.localStart)).toEqual([0, 14, 28, 42, 56].map((d) => `${localDate(`${Y}-03-02`, d)}T13:00:00`));
  });

  it('room and team feeds carry no patient identity; the clinician feed shows the kind of appointment, not the patient', async () => {
    const teamRes = await request(t.server).get(tokens.fs.path).expect(200); // the default range: the last 90 and next 400 days
    const team = { text: teamRes.text, ...parseFeed(teamRes.text) };
    const room = await request(t.server).get(tokens.room1.path).expect(200);
    const consultation = await request(t.server).get(tokens.consultation.path).expect(200);
    const clinician = await request(t.server).get(tokens.primary.path).expect(200);
    expect(team.events).toHaveLength(1);
    const roomEvents = parseFeed(room.text).events;
    const clinicianEvents = parseFeed(clinician.text).events;
    expect(team.events[0].summary).toBe('Forstå smerte – hold 1, session 1');
    // the team's room (room-1, written by the fixtures) has the session; the consultation room has the appointment
    expect(roomEvents.map((e) => e.summary)).toEqual(['Forstå smerte – hold 1, session 1']);
    expect(parseFeed(consultation.text).events.map((e) => e.summary)).toEqual(['Kort primærsamtale']);
    expect(clinicianEvents.map((e) => e.summary).sort()).toEqual(['Forstå smerte – hold 1, session 1', 'Kort primærsamtale']);
    expect(team.name).toBe('Forstå smerte – hold 1');
    expect(parseFeed(room.text).name).toBe('Lokale room-1'); // room-1 was never registered through the API
    expect(parseFeed(clinician.text).name).toBe('Kalender for fx-primary');
    for (const text of [team.text, room.text, consultation.text, clinician.text]) {
      expect(text).not.toContain(courseId);
      expect(text).not.toContain(patientId);
      expect(text).not.toMatch(/ATTENDEE|ORGANIZER|DESCRIPTION/);
    }
  });

  it("names come from the catalogue in the clinic's language and the room's name; Last-Modified with If-Modified-Since → 304 beside ETag/If-None-Match", async () => {
    const path = `${tokens.afsp.path}&${RANGE}`;
    const first = await request(t.server).get(path).expect(200);
    const parsed = parseFeed(first.text);
    expect(parsed.name).toBe('Afspænding – hold 1');
    expect(parsed.events.map((e) => e.summary)).toEqual(parsed.events.map((_, i) => `${String(parsed.name)}, session ${i + 1}`));
    expect(parsed.events.every((e) => e.location === 'Store mødelokale')).toBe(true);
    const roomFeed = await request(t.server)
      .get(`${(await makeFeed('room', roomId)).path}&${RANGE}`)
      .expect(200);
    expect(parseFeed(roomFeed.text).name).toBe('Store mødelokale');
    expect(roomFeed.text).not.toMatch(/Room [0-9a-f]{8}-/);
    // a clinician registered with a display name: the feed is named after them
    const registered = await (
      await as(t, ['admin'], 'admin-1')
    )
      .post('/clinicians', {
        clinicianId: 'doc-named',
        professions: ['NURSE'],
        employmentStart: '2020-01-01',
        displayName: 'Anne Holm, sygeplejerske',
      })
      .expect(201);
    expect(registered.body.displayName).toBe('Anne Holm, sygeplejerske');
    const named = await request(t.server)
      .get((await makeFeed('clinician', 'doc-named')).path)
      .expect(200);
    expect(parseFeed(named.text).name).toBe('Kalender for Anne Holm, sygeplejerske');

    const lastModified = first.headers['last-modified'];
    expect(Date.parse(lastModified)).toBeLessThanOrEqual(Date.now());
    // the same body: same Last-Modified; If-Modified-Since and If-None-Match each give 304
    const again = await request(t.server).get(path).expect(200);
    expect(again.headers['last-modified']).toBe(lastModified);
    await request(t.server).get(path).set('If-Modified-Since', lastModified).expect(304);
    await request(t.server).get(path).set('If-None-Match', first.headers.etag).expect(304);
    await request(t.server).get(path).set('If-None-Match', first.headers.etag).set('If-Modified-Since', lastModified).expect(304);
    await request(t.server)
      .get(path)
      .set('If-Modified-Since', new Date(Date.parse(lastModified) - 60_000).toUTCString())
      .expect(200);
    // a change (a session moved): a later Last-Modified, and the old date no longer gives 304
    // (the copy the client holds was served a minute ago: HTTP dates have whole seconds, and no test waits for the clock)
    await db.query(
      `UPDATE calendar_feed_versions SET last_modified = last_modified - interval '1 minute' WHERE calendar = 'team' AND target_id = $1`,
      [afspTeam],
    );
    const held = (await request(t.server).get(path).expect(200)).headers['last-modified'];
    expect(Date.parse(held)).toBeLessThan(Date.parse(lastModified));
    const moved = await secretary
      .post(`/teams/${afspTeam}/sessions/4/move`, { startsAt: `${Y}-11-12T10:00:00+01:00`, reason: 'Room needed' })
      .expect(200);
    const changed = await request(t.server)
      .get(path)
      .set('X-Min-Position', moved.headers['x-event-position'])
      .set('If-Modified-Since', held)
      .expect(200);
    expect(Date.parse(changed.headers['last-modified'])).toBeGreaterThan(Date.parse(held));
    await request(t.server).get(path).set('If-Modified-Since', changed.headers['last-modified']).expect(304);
  });

  it('feed tokens: the token alone or a bearer token opens a feed, nothing else does; only a hash is stored; revoked → 401', async () => {
    const { feedId, token, path } = tokens.taper;
    expect(path).toBe(`/calendars/teams/${taperTeam}.ics?token=${token}`);
    // the token alone
    expect(parseFeed((await request(t.server).get(path).expect(200)).text).events).toHaveLength(5);
    // bearer instead of the token
    await request(t.server)
      .get(`/calendars/teams/${taperTeam}.ics`)
      .set('Authorization', `Bearer ${await t.token(['clinician'], 'anyone')}`)
      .expect(200);
    // neither, a wrong token, the token on another feed
    expect((await request(t.server).get(`/calendars/teams/${taperTeam}.ics`).expect(401)).body.code).toBe('UNAUTHENTICATED');
    await request(t.server)
      .get(`/calendars/teams/${taperTeam}.ics?token=cal_${'x'.repeat(43)}`)
      .expect(401);
    await request(t.server).get(`/calendars/teams/${afspTeam}.ics?token=${token}`).expect(401);
    await request(t.server).get(`/calendars/rooms/${roomId}.ics?token=${token}`).expect(401);
    // the JSON calendar route is still there
    const json = await secretary.get(`/calendars/teams/${taperTeam}?from=${Y}-01-01T00:00:00Z&to=${Y}-12-01T00:00:00Z`).expect(200);
    expect(json.body.entries).toHaveLength(5);

    // only the SHA-256 of the token is stored; the access log has the feed, not the token
    const [row] = await db.query<Array<Record<string, unknown>>>(`SELECT * FROM calendar_feeds WHERE feed_id = $1`, [feedId]);
    expect(row.token_sha256).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token);
    const logged = await db.query<Array<{ query: unknown; path: string }>>(
      `SELECT staff_id, query, path FROM access_log WHERE staff_id = $1`,
      [`calendar-feed:${feedId}`],
    );
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(logged)).not.toContain(token);
    expect(logged[0].query).toMatchObject({ token: '[redacted]' });

    // rules: a clinician makes feeds of their own calendar only
    const clinician = await as(t, ['clinician'], 'doc-9');
    expect((await clinician.post('/calendar-feeds', { calendar: 'clinician', id: 'fx-primary' })).status).toBe(403);
    expect((await clinician.post('/calendar-feeds', { calendar: 'room', id: roomId })).status).toBe(403);
    expect((await secretary.post('/calendar-feeds', { calendar: 'team', id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);

    // revoked: the link stops working at once (bearer access is unaffected)
    await secretary.delete(`/calendar-feeds/${feedId}`).expect(204);
    expect((await request(t.server).get(path).expect(401)).body.message).toMatch(/revoked/);
    const listed = (await secretary.get('/calendar-feeds').expect(200)).body as Array<{ feedId: string; revokedAt: string | null }>;
    expect(present(listed.find((f) => f.feedId === feedId)).revokedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain('cal_');
  });

  it('POST /calendar-feeds with an Idempotency-Key answers a retry with the same feed and token, and stores no token anywhere', async () => {
    const key = { 'Idempotency-Key': `feed-key-${target.kind}-1` };
    const first = await secretary.post('/calendar-feeds', { calendar: 'room', id: roomId }).set(key).expect(201);
    const second = await secretary.post('/calendar-feeds', { calendar: 'room', id: roomId }).set(key).expect(201);
    expect(second.body).toEqual(first.body);
    expect((await secretary.post('/calendar-feeds', { calendar: 'team', id: afspTeam }).set(key)).status).toBe(422);
    const stored = await db.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM idempotent_responses WHERE body::text LIKE $1`, [
      `%${first.body.token}%`,
    ]);
    expect(stored[0].n).toBe(0);
    await request(t.server).get(first.body.path).expect(200);
  });
});

function localDate(start: string, days: number): string {
  const d = new Date(`${start}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
