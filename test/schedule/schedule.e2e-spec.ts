import request from 'supertest';
import { scheduleDecider, scheduleStreamId, type ScheduleEvent } from '#app/domain';
import { parsePosition, type EventStore } from '#app/event-store';
import { ProjectionRunner } from '#app/projections';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import { ALL_CRITERIA_MET, courseApi, cprFor } from '../courses/course-api.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as, DAY, OTHER_CLINIC } from '../teams/helpers.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

type Api = Awaited<ReturnType<typeof as>>;

/** a local date `days` ahead (every test plans on its own days and rooms, so tests never clash with each other) */
const ahead = (days: number): string => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

interface Hold {
  appointmentId: string;
  kind: string;
  teamId?: string;
  sessionKey?: string;
  start: string;
  end: string;
}

/** the reserved holds of one resource, replayed from its schedule stream (the write side's own record) */
async function holdsOf(t: TestApp, kind: 'room' | 'clinician', id: string): Promise<Hold[]> {
  const events = await t.app.get<EventStore>(EVENT_STORE).readStream(scheduleStreamId({ kind, id }));
  const state = events.reduce(
    (s, e) => scheduleDecider.evolve(s, { type: e.type, data: e.data } as ScheduleEvent),
    scheduleDecider.initialState(),
  );
  return Object.values(state.slots).filter((s) => s.status === 'reserved');
}

function overlapping(holds: readonly Hold[]): Array<[Hold, Hold]> {
  const pairs: Array<[Hold, Hold]> = [];
  for (let i = 0; i < holds.length; i++) {
    for (let j = i + 1; j < holds.length; j++) {
      const [a, b] = [holds[i], holds[j]];
      if (Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end)) pairs.push([a, b]);
    }
  }
  return pairs;
}

describeForEachDatabase(targets, 'schedule: rooms and staff are never double-booked', (target) => {
  let t: TestApp;
  let secretary: Api;
  const room = async (name: string, seats = 20): Promise<string> =>
    (await secretary.post('/rooms', { name, seats }).expect(201)).body.roomId;
  const clinician = async (id: string): Promise<string> => {
    await secretary.post('/clinicians', { clinicianId: id, professions: ['NURSE'], employmentStart: '2018-01-01' }).expect(201);
    return id;
  };
  const plan = (roomId: string, startsOn: string, startTime: string, programmeCode = 'FORSTAA_SMERTE') =>
    secretary.post('/teams', { programmeCode, roomId, startsOn, startTime });

  beforeAll(async () => {
    t = await startTestApp(target);
    secretary = await as(t, ['secretary']);
  });
  afterAll(() => closeIfStarted(t));

  it("refuses a second team in a room 30 minutes into the first one's session (409 SCHEDULE_CLASH naming the taken time); back-to-back is fine", async () => {
    const roomId = await room('Store mødelokale');
    const first = await plan(roomId, ahead(40), '13:00').expect(201);
    const { startsAt, endsAt } = first.body.sessions[0];
    const second = await plan(roomId, ahead(40), '13:30').expect(409);
    expect(second.body).toMatchObject({
      statusCode: 409,
      code: 'SCHEDULE_CLASH',
      message: expect.stringContaining(`Room ${roomId} is already booked for a team session from ${startsAt}`),
    });
    expect(second.body.details.clashes).toEqual([
      {
        resource: 'room',
        resourceId: roomId,
        busyWith: 'team-session',
        start: startsAt,
        end: endsAt,
        teamId: first.body.teamId,
        sessionKey: 'S1',
        requestedStart: expect.stringContaining('T13:30:00'),
      },
    ]);
    await plan(roomId, ahead(40), endsAt.slice(11, 16)).expect(201);
    expect(overlapping(await holdsOf(t, 'room', roomId))).toEqual([]);
  });

  it('tells a therapist assigned to an MBSR team (9 themed sessions and the retreat day) every clashing date at once (retreat day included); removing them from the other team frees them', async () => {
    const [roomA, roomB] = [await room('MBSR A'), await room('MBSR B')];
    const a = await plan(roomA, ahead(50), '09:00', 'MBSR').expect(201);
    const b = await plan(roomB, ahead(50), '09:30', 'MBSR').expect(201);
    const n = b.body.sessions.length;
    expect(n).toBe(10);
    expect(b.body.sessions.map((s: { kind: string }) => s.kind)).toContain('retreat');
    const nurse = await clinician('SCH-APP-1');
    await secretary.post(`/teams/${a.body.teamId}/therapists`, { clinicianId: nurse, role: 'apprentice' }).expect(201);
    expect(await holdsOf(t, 'clinician', nurse)).toHaveLength(n);

    const refused = await secretary.post(`/teams/${b.body.teamId}/therapists`, { clinicianId: nurse, role: 'apprentice' }).expect(409);
    expect(refused.body.code).toBe('SCHEDULE_CLASH');
    expect(refused.body.details.clashes).toHaveLength(n);
    expect(refused.body.details.clashes.map((c: { sessionKey: string }) => c.sessionKey)).toEqual(
      a.body.sessions.map((s: { key: string }) => s.key),
    );
    expect(refused.body.details.clashes.map((c: { requestedStart: string }) => c.requestedStart)).toEqual(
      b.body.sessions.map((s: { startsAt: string }) => s.startsAt),
    );
    expect(
      refused.body.details.clashes.every(
        (c: { teamId: string; resourceId: string }) => c.teamId === a.body.teamId && c.resourceId === nurse,
      ),
    ).toBe(true);
    // nothing of the refused write stays behind
    expect(await holdsOf(t, 'clinician', nurse)).toHaveLength(n);
    const team = await secretary.get(`/teams/${b.body.teamId}`).expect(200);
    expect(team.body.therapists).toEqual([]);

    await secretary.delete(`/teams/${a.body.teamId}/therapists/${nurse}`, { reason: 'moves to the other team' }).expect(200);
    expect(await holdsOf(t, 'clinician', nurse)).toEqual([]);
    await secretary.post(`/teams/${b.body.teamId}/therapists`, { clinicianId: nurse, role: 'apprentice' }).expect(201);
    const held = await holdsOf(t, 'clinician', nurse);
    expect(held.map((h) => h.teamId)).toEqual(Array(n).fill(b.body.teamId));
  });

  it("refuses moving a session onto another team's session in the room; cancelling that session frees the room; a move releases the old time", async () => {
    const roomId = await room('Flyttelokale');
    const c = await plan(roomId, ahead(60), '10:00').expect(201);
    const d = await plan(roomId, ahead(61), '10:00').expect(201);
    const onto = c.body.sessions[0].startsAt;
    const refused = await secretary
      .post(`/teams/${d.body.teamId}/sessions/1/move`, { startsAt: onto, reason: 'therapist away' })
      .expect(409);
    expect(refused.body.code).toBe('SCHEDULE_CLASH');
    expect(refused.body.details.clashes).toEqual([
      expect.objectContaining({ resource: 'room', resourceId: roomId, teamId: c.body.teamId, sessionKey: 'S1', start: onto }),
    ]);

    await secretary.post(`/teams/${c.body.teamId}/sessions/1/cancel`, { reason: 'too few patients' }).expect(200);
    const moved = await secretary.post(`/teams/${d.body.teamId}/sessions/1/move`, { startsAt: onto, reason: 'therapist away' }).expect(200);
    expect(moved.body.sessions[0].startsAt).toBe(onto);
    const holds = await holdsOf(t, 'room', roomId);
    expect(holds).toEqual([expect.objectContaining({ teamId: d.body.teamId, sessionKey: 'S1', start: onto })]);
    // the old time of D's session is free again: a new team can take it
    await plan(roomId, ahead(61), '10:00').expect(201);
  });

  it('moving a session into another room holds the new room and frees the old one; assigned staff move with it', async () => {
    const [from, to] = [await room('Fra'), await room('Til')];
    const team = await plan(from, ahead(70), '13:00').expect(201);
    const nurse = await clinician('SCH-MOVE-1');
    await secretary.post(`/teams/${team.body.teamId}/therapists`, { clinicianId: nurse, role: 'apprentice' }).expect(201);
    const later = team.body.sessions[0].startsAt.replace('T13:00', 'T15:00');
    await secretary.post(`/teams/${team.body.teamId}/sessions/1/move`, { startsAt: later, roomId: to, reason: 'bigger room' }).expect(200);
    expect(await holdsOf(t, 'room', from)).toEqual([]);
    expect(await holdsOf(t, 'room', to)).toEqual([expect.objectContaining({ start: later })]);
    expect(await holdsOf(t, 'clinician', nurse)).toEqual([expect.objectContaining({ start: later })]);
  });

  it('an appointment cannot land on a team session the clinician teaches or in its room, and a booked appointment blocks assigning the clinician; details never name a course or patient', async () => {
    const api = courseApi(t);
    const course = await api.activeCourse(cprFor(900));
    const roomId = await room('Samtalerum');
    const nurse = await clinician('SCH-APPT-1');
    const team = await plan(roomId, ahead(80), '13:00').expect(201);
    await secretary.post(`/teams/${team.body.teamId}/therapists`, { clinicianId: nurse, role: 'apprentice' }).expect(201);
    const { startsAt, endsAt } = team.body.sessions[0];

    const onTop = await api.call('post', `/courses/${course.courseId}/appointments`, ['secretary'], {
      intervention: 'KORT_PRIMAERSAMTALE',
      start: new Date(Date.parse(startsAt) + 30 * 60_000).toISOString(),
      clinicianIds: [nurse],
      roomId,
    });
    expect(onTop.status).toBe(409);
    expect(onTop.body.code).toBe('SCHEDULE_CLASH');
    expect(onTop.body.details.clashes).toEqual([
      {
        resource: 'clinician',
        resourceId: nurse,
        busyWith: 'team-session',
        start: startsAt,
        end: endsAt,
        teamId: team.body.teamId,
        sessionKey: 'S1',
      },
      {
        resource: 'room',
        resourceId: roomId,
        busyWith: 'team-session',
        start: startsAt,
        end: endsAt,
        teamId: team.body.teamId,
        sessionKey: 'S1',
      },
    ]);

    // the other way round: an appointment first, then a team session the clinician would teach at that time
    const other = await clinician('SCH-APPT-2');
    const otherTeam = await plan(await room('Andet rum'), ahead(81), '09:00').expect(201);
    const s = otherTeam.body.sessions[0];
    const booked = await api.call('post', `/courses/${course.courseId}/appointments`, ['secretary'], {
      intervention: 'KORT_PRIMAERSAMTALE',
      start: s.startsAt,
      clinicianIds: [other],
    });
    expect(booked.status).toBe(201);
    const refused = await secretary
      .post(`/teams/${otherTeam.body.teamId}/therapists`, { clinicianId: other, role: 'apprentice' })
      .expect(409);
    expect(refused.body.details.clashes).toEqual([
      {
        resource: 'clinician',
        resourceId: other,
        busyWith: 'appointment',
        start: booked.body.start,
        end: booked.body.end,
        requestedStart: s.startsAt,
      },
    ]);
    expect(JSON.stringify(refused.body)).not.toContain(course.courseId);
    expect(JSON.stringify(refused.body)).not.toContain(course.patientId);
    // cancelling the appointment frees the clinician
    expect(
      (
        await api.call('delete', `/courses/${course.courseId}/appointments/${booked.body.appointmentId}`, ['secretary'], {
          reason: 'patient ill',
        })
      ).status,
    ).toBe(200);
    await secretary.post(`/teams/${otherTeam.body.teamId}/therapists`, { clinicianId: other, role: 'apprentice' }).expect(201);
  });

  it('GET /rooms/{id}/busy and /clinicians/{id}/busy show team sessions and appointments from the read model (read-your-write), with no patient identity', async () => {
    const api = courseApi(t);
    const course = await api.activeCourse(cprFor(901));
    const roomId = await room('Travlt rum');
    const nurse = await clinician('SCH-BUSY-1');
    const team = await plan(roomId, ahead(100), '13:00', 'AFSPAENDING').expect(201);
    const assigned = await secretary.post(`/teams/${team.body.teamId}/therapists`, { clinicianId: nurse, role: 'apprentice' }).expect(201);
    const booked = await api.call('post', `/courses/${course.courseId}/appointments`, ['secretary'], {
      intervention: 'KORT_PRIMAERSAMTALE',
      start: team.body.sessions[0].startsAt.replace('T13:00', 'T09:00'),
      clinicianIds: [nurse],
      roomId,
    });
    expect(booked.status).toBe(201);
    const from = ahead(99);
    const to = ahead(140);

    // the API waits 5 s for X-Min-Position and then answers 503 (its contract); on a loaded machine the read model
    // can take longer, so the test waits for that position itself first, generously (the header is still sent)
    await t.app.get(ProjectionRunner).waitFor(present(parsePosition(booked.headers['x-event-position'])), 60_000);
    const roomBusy = await secretary
      .get(`/rooms/${roomId}/busy?from=${from}&to=${to}`)
      .set('X-Min-Position', booked.headers['x-event-position'])
      .expect(200);
    expect(roomBusy.body).toMatchObject({ resource: 'room', resourceId: roomId, from: expect.stringContaining(`${from}T00:00:00`) });
    expect(roomBusy.body.busy).toEqual([
      { start: booked.body.start, end: booked.body.end, busyWith: 'appointment' },
      ...team.body.sessions.map((s: { startsAt: string; endsAt: string; key: string }) => ({
        start: s.startsAt,
        end: s.endsAt,
        busyWith: 'team-session',
        teamId: team.body.teamId,
        sessionKey: s.key,
      })),
    ]);
    const nurseBusy = await (
      await as(t, ['clinician'], nurse)
    )
      .get(`/clinicians/${nurse}/busy?from=${from}&to=${to}`)
      .set('X-Min-Position', assigned.headers['x-event-position'])
      .expect(200);
    expect(nurseBusy.body.busy).toEqual(roomBusy.body.busy);
    expect(JSON.stringify(nurseBusy.body)).not.toContain(course.courseId);
    expect(JSON.stringify(nurseBusy.body)).not.toContain(course.patientId);

    // a narrower window: only what overlaps it
    const first = team.body.sessions[0];
    const narrow = await secretary
      .get(`/rooms/${roomId}/busy?from=${encodeURIComponent(first.startsAt)}&to=${encodeURIComponent(first.endsAt)}`)
      .expect(200);
    expect(narrow.body.busy).toEqual([expect.objectContaining({ start: first.startsAt, sessionKey: first.key })]);

    // refusals: a bad or too long window, unknown ids, another clinic's room or clinician, no token
    expect((await secretary.get(`/rooms/${roomId}/busy?from=${to}&to=${from}`).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await secretary.get(`/rooms/${roomId}/busy?from=2030-01-01&to=2031-06-01`).expect(400)).body.details.fields[0].field).toBe(
      'to',
    );
    expect((await secretary.get(`/rooms/${roomId}/busy?from=yesterday`).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await secretary.get(`/rooms/${roomId}/busy?colour=blue`).expect(400)).body.code).toBe('VALIDATION_FAILED');
    await secretary.get('/rooms/00000000-0000-4000-8000-000000000000/busy').expect(404);
    await secretary.get('/clinicians/NOBODY/busy').expect(404);
    const other = await as(t, ['secretary'], 'S9', OTHER_CLINIC);
    expect((await other.get(`/rooms/${roomId}/busy`).expect(404)).body.code).toBe('NOT_FOUND');
    await other.get(`/clinicians/${nurse}/busy`).expect(404);
    await request(t.server).get(`/rooms/${roomId}/busy`).expect(401);
  });

  it('a booked pathway step holds the microteam members it requires; moving the booking moves the hold, a team session or appointment cannot land on it', async () => {
    const api = courseApi(t);
    const pal = await clinician('SCH-STEP-PAL');
    const nurse = await clinician('SCH-STEP-N');
    const { courseId } = (await api.referral(cprFor(902))).body;
    const base = `/courses/${courseId}`;
    const ok = async (res: Promise<{ status: number; body: unknown }>) => {
      const r = await res;
      if (r.status >= 300) throw new Error(`${r.status}: ${JSON.stringify(r.body)}`);
      return r;
    };
    await ok(api.call('post', `${base}/visitation`, ['clinician'], { decision: 'accept', assessment: ALL_CRITERIA_MET }, {}, pal));
    await ok(
      api.call('post', `${base}/steps/KORT_PRIMAERSAMTALE/schedule`, ['secretary'], { at: new Date(Date.now() - 3_600_000).toISOString() }),
    );
    await ok(api.call('post', `${base}/steps/KORT_PRIMAERSAMTALE/complete`, ['clinician'], {}));
    await ok(api.call('post', `${base}/steps/FORSTAA_SMERTE/skip`, ['clinician'], { reason: 'Attended elsewhere' }));
    await ok(api.call('post', `${base}/microteam`, ['secretary'], { clinicianId: pal, role: 'PAL' }));
    await ok(api.call('post', `${base}/microteam`, ['secretary'], { clinicianId: nurse, role: 'CONTACT_NURSE' }));
    const at = `${ahead(110)}T10:00:00+01:00`;
    await ok(api.call('post', `${base}/steps/LANG_PRIMAERSAMTALE/schedule`, ['secretary'], { at }));
    for (const id of [pal, nurse]) {
      expect(await holdsOf(t, 'clinician', id)).toEqual([expect.objectContaining({ kind: 'pathway-step', start: at })]);
    }
    const [held] = await holdsOf(t, 'clinician', pal);

    // a team session the PAL would teach at that time: refused, naming the time but not the course
    const team = await plan(await room('Trinrum'), ahead(110), '10:30').expect(201);
    const refused = await secretary.post(`/teams/${team.body.teamId}/therapists`, { clinicianId: pal, role: 'apprentice' }).expect(409);
    expect(refused.body.details.clashes).toEqual([
      {
        resource: 'clinician',
        resourceId: pal,
        busyWith: 'pathway-step',
        start: at,
        end: held.end,
        requestedStart: team.body.sessions[0].startsAt,
      },
    ]);
    expect(JSON.stringify(refused.body)).not.toContain(courseId);

    // the booking moves two days on: the hold moves with it, and the PAL is free for the team
    const later = `${ahead(112)}T10:00:00+01:00`;
    await ok(api.call('post', `${base}/steps/LANG_PRIMAERSAMTALE/schedule`, ['secretary'], { at: later }));
    expect(await holdsOf(t, 'clinician', pal)).toEqual([expect.objectContaining({ kind: 'pathway-step', start: later })]);
    await secretary.post(`/teams/${team.body.teamId}/therapists`, { clinicianId: pal, role: 'apprentice' }).expect(201);
    // an appointment on top of the booked step: refused
    const other = await api.activeCourse(cprFor(903));
    const appt = await api.call('post', `/courses/${other.courseId}/appointments`, ['secretary'], {
      intervention: 'KORT_PRIMAERSAMTALE',
      start: later,
      clinicianIds: [nurse],
    });
    expect(appt.status).toBe(409);
    expect(appt.body.details.clashes).toEqual([
      expect.objectContaining({ resource: 'clinician', resourceId: nurse, busyWith: 'pathway-step', start: later }),
    ]);
    // the nurse leaves the microteam: her hold is released
    await ok(api.call('delete', `${base}/microteam/${nurse}`, ['secretary'], { reason: 'On long leave' }));
    expect(await holdsOf(t, 'clinician', nurse)).toEqual([]);
    expect(await holdsOf(t, 'clinician', pal)).toHaveLength(1 + team.body.sessions.length);
  });

  it('16 secretaries racing to put teams into one room at the same time: exactly one succeeds, 15 get SCHEDULE_CLASH, one set of holds remains', async () => {
    const roomId = await room('Kapløbsrum');
    const startsOn = ahead(90);
    const tokens = await Promise.all(Array.from({ length: 16 }, (_, i) => t.token(['secretary'], `S-race-${i}`)));
    const answers = await Promise.all(
      tokens.map((token, i) =>
        request(t.server)
          .post('/teams')
          .set('Authorization', `Bearer ${token}`)
          .send({ programmeCode: 'FORSTAA_SMERTE', roomId, startsOn, startTime: i % 2 === 0 ? '13:00' : '13:30' }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, ...Array(15).fill(409)]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'SCHEDULE_CLASH')).toBe(true);
    const winner = present(answers.find((a) => a.status === 201));
    const holds = await holdsOf(t, 'room', roomId);
    expect(holds).toEqual([expect.objectContaining({ teamId: winner.body.teamId, sessionKey: 'S1' })]);
  });
});
