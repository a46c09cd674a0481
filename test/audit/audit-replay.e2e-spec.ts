import request from 'supertest';
import { courseDecider, defaultCatalogue, type CourseCommand } from '#app/domain';
import { comparePositions, type EventStore, type RecordedEvent } from '#app/event-store';
import { coursesNamedBy } from '../../apps/api/src/features/audit/audit-index.projection.js';
import type { Role } from '../../apps/api/src/platform/auth/actor.js';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import { DeciderStore } from '../../apps/api/src/platform/write-path/decider-store.js';
import { courseApi, FULL_CONTENT, type Api } from '../courses/course-api.js';
import { EnrolmentFixtures } from '../enrolment/enrolment-fixtures.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { registerStaff } from '../support/clinic-staff.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

type Json = Record<string, unknown>;

interface Snapshot {
  readonly step: string;
  /** the moment after GET /courses/{id} (and GET /teams/{id}) answered */
  readonly at: string;
  readonly course: Json;
  readonly teams: Record<string, Json>;
}

/** a small seeded generator: the same "random" course every run */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describeForEachDatabase(targets, 'audit replay: history, as of, diff', (target) => {
  let t: TestApp;
  let api: Api;
  let fx: EnrolmentFixtures;
  let store: EventStore;
  let courseId: string;
  let patientId: string;
  let team1: string;
  let team2: string;
  let other: string;
  const snapshots: Snapshot[] = [];

  const inDays = (days: number, hour = 9) => {
    const d = new Date(Date.now() + days * 86_400_000);
    d.setUTCHours(hour, 0, 0, 0);
    return d.toISOString();
  };
  /** GET as `roles`/`sub`; with `status`, anything else fails the test naming the path and the answer */
  const get = async (path: string, status?: number, roles: Role[] = ['secretary'], sub = 'reader-1') => {
    const res = await request(t.server)
      .get(path)
      .set('Authorization', `Bearer ${await t.token(roles, sub)}`);
    if (status !== undefined && res.status !== status)
      throw new Error(`GET ${path}: expected ${status}, got ${res.status} ${res.text.slice(0, 500)}`);
    return res;
  };

  /** GET /courses/{id} and the teams it is on, as a secretary sees them now; then the time */
  async function record(step: string): Promise<void> {
    await fx.processManager.settled();
    const course = (await get(`/courses/${courseId}`, 200)).body as Json;
    const teamIds = [...new Set([...(course.seats as Json[]), ...(course.waitlists as Json[])].map((s) => s.teamId as string))];
    const teams: Record<string, Json> = {};
    for (const id of teamIds) teams[id] = (await get(`/teams/${id}`, 200)).body as Json;
    const atMs = Date.now();
    snapshots.push({ step, at: new Date(atMs).toISOString(), course, teams });
    // the next write must be recorded in a later millisecond than this snapshot
    while (Date.now() <= atMs) await new Promise((resolve) => setImmediate(resolve));
  }

  let room2: string;
  beforeAll(async () => {
    t = await startTestApp(target);
    api = courseApi(t);
    fx = new EnrolmentFixtures(t);
    store = t.app.get<EventStore>(EVENT_STORE);
    // only the clinic's own clinicians and rooms can be booked or named
    const rooms = await registerStaff(t, {
      clinicians: ['doc-7', ...Array.from({ length: 12 }, (_, i) => [`c-${i}`, `doc-${i}`]).flat()],
      rooms: ['room-2'],
    });
    room2 = present(rooms['room-2']);
    team1 = await fx.planTeam({ startsInDays: 20, seats: 1 });
    team2 = await fx.planTeam({ startsInDays: 27 });
    other = await fx.course();
    expect((await fx.enrol(await t.token(['secretary'], 'sec-2'), other, { teamId: team1 })).status).toBe(201);

    // ---- a long course, every step through the real routes, GET after each
    const { PREVIOUS_MEDICATION: _p, PENDING_COMPENSATION_CASES: _c, ...partial } = FULL_CONTENT;
    const created = await api.referral('010180-4401', partial);
    expect(created.status).toBe(201);
    ({ courseId, patientId } = created.body);
    const base = `/courses/${courseId}`;
    await record('referral on hold');
    expect(
      (await api.call('post', `${base}/referral`, ['secretary'], { content: { PREVIOUS_MEDICATION: 'none' }, reason: 'GP phoned' })).status,
    ).toBe(200);
    await record('supplemented');
    expect((await api.call('post', `${base}/referral`, ['secretary'], { content: { PENDING_COMPENSATION_CASES: 'none' } })).status).toBe(
      200,
    );
    await record('hold released');
    const accept = {
      decision: 'accept',
      assessment: Object.fromEntries(defaultCatalogue.pathway.referral.criteriaSet.criteria.map((c) => [c.code, true])),
    };
    expect((await api.call('post', `${base}/visitation`, ['clinician'], accept, {}, 'doc-7')).status).toBe(200);
    await record('accepted');
    const facts = { facts: [{ fact: 'needsInterpreter', value: false, basis: { source: 'REFERRAL' } }], reason: 'from the referral' };
    expect((await api.call('put', `${base}/criteria`, ['clinician'], facts, {}, 'doc-7')).status).toBe(200);
    await record('facts');
    expect((await api.call('post', `${base}/microteam`, ['secretary'], { clinicianId: 'doc-7', role: 'PAL' }, {}, 'sec-12')).status).toBe(
      200,
    );
    await record('PAL');
    expect(
      (await api.call('post', `${base}/steps/KORT_PRIMAERSAMTALE/schedule`, ['secretary'], { at: inDays(2) }, {}, 'sec-12')).status,
    ).toBe(200);
    await record('short talk booked');
    const appointment = await api.call(
      'post',
      `${base}/appointments`,
      ['secretary'],
      { intervention: 'KORT_PRIMAERSAMTALE', start: inDays(2), clinicianIds: ['doc-7'], roomId: room2 },
      {},
      'sec-12',
    );
    expect(appointment.status).toBe(201);
    await record('appointment');
    expect(
      (
        await api.call(
          'delete',
          `${base}/appointments/${appointment.body.appointmentId}`,
          ['secretary'],
          { reason: 'patient ill' },
          {},
          'sec-12',
        )
      ).status,
    ).toBe(200);
    await record('appointment cancelled');
    expect((await fx.enrol(await t.token(['secretary'], 'sec-12'), courseId, { teamId: team1, joinWaitlistIfFull: true })).status).toBe(
      202,
    );
    await record('waitlisted');
    expect((await fx.cancel(await t.token(['secretary'], 'sec-2'), other, team1, 'cancellation by patient')).status).toBe(200);
    await record('seat offered');
    const accepted = await api.call(
      'post',
      `/teams/${team1}/offers/${courseId}/accept`,
      ['secretary'],
      { reason: 'the patient confirmed by phone' },
      {},
      'sec-12',
    );
    expect(accepted.status).toBe(200);
    await record('offer accepted');

    // a secretary acting for the responsible doctor (no route sends on-behalf-of yet: through the store)
    const command = {
      type: 'RecordPatientFact',
      fact: 'needsInterpreter',
      value: false,
      basis: { source: 'PATIENT_STATEMENT' },
      now: new Date().toISOString(),
      pathway: defaultCatalogue.pathway,
    } as CourseCommand;
    await t.app.get(DeciderStore).execute(courseDecider, `course-${courseId}`, command, {
      metadata: {
        schemaVersion: 1,
        actor: { staffId: 'sec-12', roles: ['secretary'] },
        onBehalfOf: 'doc-7',
        reason: 'patient phoned in',
        clinicId: 'smertecenter-syd',
        correlationId: 'corr-obo',
        occurredAt: new Date().toISOString(),
      },
    });
    await record('fact on behalf of');

    // generated middle: facts, microteam, appointments, in a seeded random order
    const random = prng(20260309);
    const booked: string[] = [];
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const pick = Math.floor(random() * 4);
      let res: request.Response;
      if (pick === 0) {
        const value = random() < 0.5 ? !(i % 2) : random() < 0.5;
        res = await api.call(
          'put',
          `${base}/criteria`,
          ['clinician'],
          { facts: [{ fact: 'motivatedFor', key: 'LIVET_MED_SMERTER', value, basis: { source: 'CONSULTATION', note: `generated ${i}` } }] },
          {},
          'doc-7',
        );
      } else if (pick === 1) {
        const role = random() < 0.5 ? 'SOCIAL_WORKER' : 'PSYCHOLOGIST';
        res = await api.call(
          'post',
          `${base}/microteam`,
          ['clinician'],
          { clinicianId: `c-${i}`, role, reason: `generated step ${i}` },
          {},
          'doc-7',
        );
      } else if (pick === 2 || booked.length === 0) {
        res = await api.call(
          'post',
          `${base}/appointments`,
          ['secretary'],
          { intervention: 'KORT_PRIMAERSAMTALE', start: inDays(5 + i, 8 + (i % 6)), clinicianIds: [`doc-${i}`] },
          {},
          'sec-12',
        );
        if (res.status === 201) booked.push(res.body.appointmentId);
      } else {
        res = await api.call(
          'delete',
          `${base}/appointments/${present(booked.shift())}`,
          ['secretary'],
          { reason: `generated cancel ${i}` },
          {},
          'sec-12',
        );
      }
      outcomes.push(`${pick}:${res.status}${res.status >= 300 ? ` ${res.body.code}` : ''}`);
      await record(`generated ${i} (${pick})`);
    }
    if (process.env.AUDIT_DEBUG) console.log(outcomes.join(' '));
    expect(outcomes.filter((o) => /:2\d\d/.test(o)).length).toBeGreaterThanOrEqual(10);

    const moved = await api.call(
      'post',
      `${base}/rebook`,
      ['secretary'],
      { fromTeamId: team1, toTeamId: team2, reason: 'the patient is away that week' },
      {},
      'sec-12',
    );
    expect(moved.status).toBe(200);
    await record('rebooked');
    expect((await fx.cancel(await t.token(['secretary'], 'sec-12'), courseId, team2, 'the patient withdrew from the group')).status).toBe(
      200,
    );
    await record('seat cancelled');
    expect(
      (await api.call('post', `${base}/end`, ['secretary'], { reason: 'dropped_out', note: 'The patient withdrew.' }, {}, 'sec-12')).status,
    ).toBe(200);
    await record('ended');
  });
  afterAll(() => closeIfStarted(t));

  it('GET /courses/{id}?asOf=<time> equals what GET /courses/{id} answered at that time, at every step; the teams as GET /teams/{id} did', async () => {
    expect(snapshots.length).toBeGreaterThanOrEqual(25);
    // every step changed what GET showed (the course, its appointments or its teams)
    expect(new Set(snapshots.map((s) => JSON.stringify([s.course, s.teams]))).size).toBe(snapshots.length);
    for (const snapshot of snapshots) {
      const res = await get(`/courses/${courseId}?asOf=${encodeURIComponent(snapshot.at)}`, 200, ['auditor'], 'aud-1');
      const { asOf, ...course } = res.body as Json & { asOf: { at: string; revision: number; teams: Json[] } };
      expect({ step: snapshot.step, course }).toEqual({ step: snapshot.step, course: snapshot.course });
      expect(res.headers.etag).toBe(`"${String(snapshot.course.revision)}"`);
      expect(asOf).toMatchObject({ at: snapshot.at, revision: snapshot.course.revision });
      const teams = Object.fromEntries(asOf.teams.map((team) => [team.teamId as string, team]));
      expect({ step: snapshot.step, teams }).toEqual({ step: snapshot.step, teams: snapshot.teams });
    }
    // the scenario went through the states that matter
    expect(snapshots.map((s) => s.course.status)).toEqual(expect.arrayContaining(['on_hold', 'awaiting_visitation', 'active', 'ended']));
    expect(snapshots.some((s) => Object.keys(s.teams).length > 0 && (s.course.waitlists as unknown[]).length > 0)).toBe(true);
  });

  it('asOf before the course existed is 404; in the future or malformed is 400; a "+" sent unencoded still works', async () => {
    const first = snapshots[0];
    const before = new Date(Date.parse(first.at) - 60_000).toISOString();
    expect((await get(`/courses/${courseId}?asOf=${before}`, 404)).body.code).toBe('NOT_FOUND');
    expect((await get(`/courses/${courseId}?asOf=${new Date(Date.now() + 3_600_000).toISOString()}`, 400)).body.code).toBe(
      'AS_OF_IN_FUTURE',
    );
    expect((await get(`/courses/${courseId}?asOf=yesterday`, 400)).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'asOf' }] },
    });
    const local = new Date(Date.parse(snapshots[3].at) + 3_600_000).toISOString().replace('Z', '');
    const res = await get(`/courses/${courseId}?asOf=${local}+01:00`, 200);
    expect(res.body.asOf.revision).toBeGreaterThanOrEqual(snapshots[3].course.revision as number);
  });

  it('the history of the whole scenario is complete and in order: exactly the raw streams, every event in words', async () => {
    const res = await get(`/courses/${courseId}/history`, 200, ['auditor'], 'aud-1');
    const entries = res.body.entries as Array<Json & { eventId: string; eventType: string; sentence: string; position: string }>;

    const courseEvents = await store.readStream(`course-${courseId}`);
    const teamEvents = [...(await store.readStream(`team-${team1}`)), ...(await store.readStream(`team-${team2}`))].filter((e) =>
      coursesNamedBy(e.data).includes(courseId),
    );
    const schedule = await store.readStream(`schedule-patient-${patientId}`);
    const appointments = new Set(schedule.filter((e) => (e.data as Json).courseId === courseId).map((e) => (e.data as Json).appointmentId));
    const scheduleEvents = schedule.filter((e) => appointments.has((e.data as Json).appointmentId));
    const raw: RecordedEvent[] = [...courseEvents, ...teamEvents, ...scheduleEvents].sort((a, b) =>
      comparePositions(a.position, b.position),
    );

    expect(res.body).toMatchObject({ courseId, patientId, count: raw.length });
    expect(entries.map((e) => `${e.eventType} ${e.eventId}`)).toEqual(raw.map((e) => `${e.type} ${e.id}`));
    expect(teamEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining(['CourseWaitlisted', 'SeatOffered', 'SeatOfferAccepted', 'SeatReserved', 'SeatReleased']),
    );
    expect(scheduleEvents.map((e) => e.type)).toEqual(expect.arrayContaining(['SlotReserved', 'SlotReleased']));

    for (const e of entries) {
      expect(e.sentence).not.toMatch(/recorded "|undefined|\[object Object\]/);
      expect(e).toMatchObject({
        streamRevision: expect.any(Number),
        recordedAt: expect.any(String),
        correlationId: expect.any(String),
        actor: { staffId: expect.any(String) },
      });
    }
    const sentence = (type: string) => present(entries.find((e) => e.eventType === type)).sentence;
    expect(sentence('SeatOffered')).toMatch(
      /^Secretary sec-2 offered a seat on the Forstå smerte team starting \d{4}-\d{2}-\d{2} to this course, held until .+; reason: cancellation by patient\.$/,
    );
    expect(sentence('VisitationDecided')).toMatch(/^Clinician doc-7 accepted the referral at paper visitation within the deadline/);
    expect(sentence('SeatOfferAccepted')).toBe(
      `Secretary sec-12 confirmed that this course accepted the seat offered on ${present(present(entries.find((e) => e.eventType === 'SeatOffered')).sentence.match(/on (the Forstå smerte team starting \S+)/))[1]}; reason: the patient confirmed by phone.`,
    );
    const onBehalf = present(entries.find((e) => e.correlationId === 'corr-obo'));
    expect(onBehalf).toMatchObject({ role: 'secretary', onBehalfOf: 'doc-7', reason: 'patient phoned in' });
    expect(onBehalf.sentence).toBe(
      'Secretary sec-12 recorded the patient fact needsInterpreter = false (basis: patient statement) on behalf of doc-7; reason: patient phoned in.',
    );
    expect(present(entries.at(-1)).sentence).toMatch(/^Secretary sec-12 ended the course as dropped out: The patient withdrew\./);

    // filters: type (repeatable or comma-separated) and recording time
    const typed = await get(`/courses/${courseId}/history?type=SeatOffered&type=CourseEnded,SlotReleased`, 200);
    expect(new Set(typed.body.entries.map((e: Json) => e.eventType))).toEqual(new Set(['SeatOffered', 'CourseEnded', 'SlotReleased']));
    const from = snapshots[8].at;
    const to = snapshots[15].at;
    const ranged = await get(`/courses/${courseId}/history?from=${from}&to=${to}`, 200);
    expect(ranged.body.entries.map((e: Json) => e.eventId)).toEqual(
      entries.filter((e) => (e.recordedAt as string) >= from && (e.recordedAt as string) <= to).map((e) => e.eventId),
    );
    expect(ranged.body.count).toBeGreaterThan(3);
    expect((await get(`/courses/${courseId}/history?type=no%20such`, 400)).body.code).toBe('VALIDATION_FAILED');
  });

  it("a team's history is its stream in words; other clinics get 404", async () => {
    const res = await get(`/teams/${team1}/history`, 200, ['auditor'], 'aud-7');
    // clinicians see a team's participants on its board, not its history (README "Who may read a course")
    await get(`/teams/${team1}/history`, 403, ['clinician'], 'doc-7');
    const raw = await store.readStream(`team-${team1}`);
    expect(res.body.entries.map((e: Json) => e.eventId)).toEqual(raw.map((e) => e.id));
    expect(res.body.entries[0].sentence).toMatch(
      /^Secretary fx-secretary planned a Forstå smerte team \(FORSTAA_SMERTE, catalogue version \d+\) in room room-1 with 1 seats/,
    );
    expect(res.body.entries.find((e: Json) => e.eventType === 'SeatOffered').sentence).toContain(`to course ${courseId}`);

    const stranger = await t.token(['auditor'], 'aud-x', 'another-clinic');
    for (const path of [
      `/teams/${team1}/history`,
      `/courses/${courseId}/history`,
      `/courses/${courseId}?asOf=${snapshots[5].at}`,
      `/courses/${courseId}/diff?from=${snapshots[0].at}&to=${snapshots[5].at}`,
    ]) {
      expect((await request(t.server).get(path).set('Authorization', `Bearer ${stranger}`)).status).toBe(404);
    }
  });

  it('the diff between two times lists what changed and the events recorded in between', async () => {
    const from = present(snapshots.find((s) => s.step === 'hold released'));
    const to = present(snapshots.find((s) => s.step === 'offer accepted'));
    const res = await get(`/courses/${courseId}/diff?from=${from.at}&to=${to.at}`, 200, ['auditor'], 'aud-1');
    expect(res.body).toMatchObject({ courseId, fromRevision: from.course.revision, toRevision: to.course.revision });
    const changes = res.body.changes as Array<{ path: string; kind: string; before?: unknown; after?: unknown }>;
    expect(changes).toEqual(
      expect.arrayContaining([
        { path: 'status', kind: 'changed', before: 'awaiting_visitation', after: 'active' },
        expect.objectContaining({ path: `seats[teamId=${team1}]`, kind: 'added' }),
        expect.objectContaining({ path: 'steps[code=KORT_PRIMAERSAMTALE].status', kind: 'changed', before: 'pending', after: 'scheduled' }),
        expect.objectContaining({ path: 'visitation', kind: 'added' }),
      ]),
    );
    expect(changes.some((c) => c.path === 'revision')).toBe(true);
    const history = (await get(`/courses/${courseId}/history`, 200)).body.entries as Json[];
    expect(res.body.events.map((e: Json) => e.eventId)).toEqual(
      history.filter((e) => (e.recordedAt as string) > from.at && (e.recordedAt as string) <= to.at).map((e) => e.eventId),
    );

    // no change: nothing listed
    const same = await get(`/courses/${courseId}/diff?from=${to.at}&to=${to.at}`, 200);
    expect(same.body).toMatchObject({ changes: [], events: [] });
    // from before the course: everything is added
    const start = await get(`/courses/${courseId}/diff?from=${new Date(Date.parse(from.at) - 3_600_000).toISOString()}&to=${from.at}`, 200);
    expect(start.body.fromRevision).toBeNull();
    expect(start.body.changes.every((c: Json) => c.kind === 'added')).toBe(true);
    expect((await get(`/courses/${courseId}/diff?from=${to.at}&to=${from.at}`, 400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('auditors read all of it and change nothing', async () => {
    for (const path of [
      `/courses/${courseId}`,
      `/courses/${courseId}/history`,
      `/teams/${team2}/history`,
      `/courses/${courseId}/access-log`,
    ]) {
      await get(path, 200, ['auditor'], 'aud-2');
    }
    const auditor = `Bearer ${await t.token(['auditor'], 'aud-2')}`;
    await request(t.server)
      .post(`/courses/${courseId}/microteam`)
      .set('Authorization', auditor)
      .send({ clinicianId: 'doc-1', role: 'PAL' })
      .expect(403);
    await request(t.server).post(`/courses/${courseId}/enrolments`).set('Authorization', auditor).send({ teamId: team2 }).expect(403);
    await request(t.server).post('/referrals').set('Authorization', auditor).send({}).expect(403);
    expect(
      (await store.readStream(`course-${courseId}`)).every((e) =>
        (e.metadata as Json & { actor: { roles: string[] } }).actor.roles.every((r) => r !== 'auditor'),
      ),
    ).toBe(true);
  });
});
