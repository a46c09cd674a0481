import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { isDomainError, teamDecider, type TeamCommand } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { EnrolmentFixtures, reserveSeatFor } from './enrolment-fixtures.js';
import { queuedForm } from '../../apps/api/src/features/enrolment/process-managers/enrolment.process-manager.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

describeForEachDatabase(targets, 'rebooking and cross-stream consistency', (target) => {
  let t: TestApp;
  let fx: EnrolmentFixtures;
  let secretary: string;

  beforeAll(async () => {
    t = await startTestApp(target);
    fx = new EnrolmentFixtures(t);
    secretary = await t.token(['secretary'], 'sec-1');
  });
  afterAll(() => closeIfStarted(t));

  const rebook = (courseId: string, body: Record<string, unknown>) =>
    request(t.server).post(`/courses/${courseId}/rebook`).set('Authorization', `Bearer ${secretary}`).send(body);

  /** how many of these teams hold a seat for the course */
  const seatsOf = async (courseId: string, teamIds: string[]) =>
    (
      await Promise.all(teamIds.map(async (id) => (await fx.teamState(id)).state.seats.filter((s) => s.courseId === courseId).length))
    ).reduce((a, b) => a + b, 0);

  /** writes a team command straight to the team stream, as if the process died before any follow-up */
  const appendOnly = async (teamId: string, command: TeamCommand, metadata: Record<string, unknown>): Promise<void> => {
    const { state, revision } = await fx.teamState(teamId);
    const decided = teamDecider.decide(command, state);
    if (isDomainError(decided)) throw new Error(decided.code);
    await fx.events.appendToStream(
      `team-${teamId}`,
      decided.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata })),
      revision,
    );
  };

  it('rebooks to a named team: one seat across both teams, and the course records one move', async () => {
    const [from, to] = [await fx.planTeam({ startsInDays: 40 }), await fx.planTeam({ startsInDays: 41 })];
    const courseId = await fx.course();
    await fx.enrol(secretary, courseId, { teamId: from }).expect(201);
    const before = (await fx.courseState(courseId)).events.length;

    const res = await rebook(courseId, { fromTeamId: from, toTeamId: to, reason: 'The patient is away that week' }).expect(200);
    expect(res.body).toMatchObject({
      status: 'moved',
      courseId,
      fromTeamId: from,
      toTeamId: to,
      programme: 'FORSTAA_SMERTE',
      courseRecorded: true,
      sourceReleased: true,
    });
    expect(res.headers['x-event-position']).toMatch(/^\d+-\d+$/);
    expect(await seatsOf(courseId, [from, to])).toBe(1);
    expect((await fx.teamState(to)).state.seats.map((s) => s.courseId)).toContain(courseId);

    const course = await fx.courseState(courseId);
    expect(course.state.seats).toEqual([expect.objectContaining({ teamId: to })]);
    const move = course.events.slice(before);
    expect(move.map((e) => e.type)).toEqual(['CourseSeatReleased', 'CourseSeatBooked']);
    expect(oneAppend(move)).toBe(true);
    expect((move[0].data as { teamId: string }).teamId).toBe(from);
    expect((move[1].data as { teamId: string }).teamId).toBe(to);
  });

  it('rebooking to a full team is 409 and keeps the source seat', async () => {
    const from = await fx.planTeam({ startsInDays: 42 });
    const full = await fx.planTeam({ startsInDays: 43, seats: 1 });
    const [courseId, other] = await fx.courses(2);
    await fx.enrol(secretary, courseId, { teamId: from }).expect(201);
    await fx.enrol(secretary, other, { teamId: full }).expect(201);
    const before = await fx.courseState(courseId);

    const res = await rebook(courseId, { fromTeamId: from, toTeamId: full, reason: 'Wants an earlier date' }).expect(409);
    expect(res.body.code).toBe('TEAM_FULL');
    expect((await fx.teamState(from)).state.seats.map((s) => s.courseId)).toContain(courseId);
    expect((await fx.teamState(full)).state.seats.map((s) => s.courseId)).toEqual([other]);
    const after = await fx.courseState(courseId);
    expect(after.events.length).toBe(before.events.length);
    expect(after.state.seats).toEqual([expect.objectContaining({ teamId: from })]);
  });

  it('rebooks to the next eligible team: the earliest later team with a free seat, passing over a full one', async () => {
    const from = await fx.planTeam({ startsInDays: 20 });
    const full = await fx.planTeam({ startsInDays: 21, seats: 1 });
    const fitting = await fx.planTeam({ startsInDays: 22 });
    const later = await fx.planTeam({ startsInDays: 23 });
    const [courseId, other] = await fx.courses(2);
    await fx.enrol(secretary, courseId, { teamId: from }).expect(201);
    await fx.enrol(secretary, other, { teamId: full }).expect(201);

    const res = await rebook(courseId, { fromTeamId: from, reason: 'Next possible team, please' }).expect(200);
    expect(res.body).toMatchObject({ status: 'moved', toTeamId: fitting, sourceReleased: true, courseRecorded: true });
    expect(res.body.passedOverTeams).toEqual([
      expect.objectContaining({ teamId: full, reasons: [expect.objectContaining({ code: 'TEAM_FULL' })] }),
    ]);
    expect(await seatsOf(courseId, [from, full, fitting, later])).toBe(1);
    expect((await fx.courseState(courseId)).state.seats).toEqual([expect.objectContaining({ teamId: fitting })]);
  });

  it('two copies of one "next team" rebook sent at once with the same Idempotency-Key run once: the twin waits and gets the same answer', async () => {
    const from = await fx.planTeam({ startsInDays: 30 });
    await fx.planTeam({ startsInDays: 31 });
    const [courseId] = await fx.courses(1);
    await fx.enrol(secretary, courseId, { teamId: from }).expect(201);

    const key = `twin-rebook-${randomUUID()}`;
    const send = () => rebook(courseId, { fromTeamId: from, reason: 'Next possible team, please' }).set('Idempotency-Key', key);
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toEqual(a.body);
    expect([a.headers['idempotent-replayed'], b.headers['idempotent-replayed']].filter((v) => v === 'true')).toHaveLength(1);
    expect(a.body).toMatchObject({ status: 'moved', fromTeamId: from });
    expect(await seatsOf(courseId, [from, a.body.toTeamId])).toBe(1);
    expect((await fx.courseState(courseId)).state.seats).toEqual([expect.objectContaining({ teamId: a.body.toTeamId })]);
  });

  it('a crash between the team append and the course follow-up is repaired by the process manager (enrolment and rebook)', async () => {
    const [a, b] = [await fx.planTeam({ startsInDays: 50 }), await fx.planTeam({ startsInDays: 51 })];
    const courseId = await fx.course();
    const { state } = await fx.courseState(courseId);

    // an enrolment whose course follow-up never ran
    await appendOnly(a, reserveSeatFor(a, courseId, state), fx.metadata('crashed enrolment'));
    const enrolled = await waitFor(async () => {
      const s = (await fx.courseState(courseId)).state;
      return s.seats.some((x) => x.teamId === a) ? s : undefined;
    }, 'the process manager to record the seat on the course');
    expect(enrolled.seats).toHaveLength(1);

    // a rebook whose course move and source release never ran
    const before = (await fx.courseState(courseId)).events.length;
    await appendOnly(b, reserveSeatFor(b, courseId, state), {
      ...fx.metadata('crashed rebook'),
      transfer: { fromTeamId: a, toTeamId: b, courseId },
    });
    await waitFor(
      async () => (await fx.teamState(a)).state.seats.every((s) => s.courseId !== courseId),
      'the source team to release the seat',
    );
    const course = await waitFor(async () => {
      const c = await fx.courseState(courseId);
      return c.state.seats.some((x) => x.teamId === b) ? c : undefined;
    }, 'the course to record the move');
    expect(course.state.seats).toEqual([expect.objectContaining({ teamId: b })]);
    const move = course.events.slice(before);
    expect(move.map((e) => e.type)).toEqual(['CourseSeatReleased', 'CourseSeatBooked']);
    expect(oneAppend(move)).toBe(true);
    expect(await seatsOf(courseId, [a, b])).toBe(1);

    // the repair is idempotent: let the process manager settle again, nothing more is written
    await fx.processManager.settled();
    expect((await fx.courseState(courseId)).events.length).toBe(course.events.length);
  });

  it('queued team events whose course follow-ups are stored by then leave the queue after one read of their course streams', async () => {
    const team = await fx.planTeam({ startsInDays: 54 });
    const courseIds = [await fx.course(), await fx.course()];
    for (const courseId of courseIds) await fx.enrol(secretary, courseId, { teamId: team }).expect(201);
    await fx.processManager.settled();
    const reserved = (await fx.teamState(team)).events.filter((e) => e.type === 'SeatReserved');
    const before = await Promise.all(courseIds.map(async (id) => (await fx.courseState(id)).events.length));
    // as if the batch that read the seats had come before the requests wrote the course records
    const dataSource = t.app.get(DataSource);
    await dataSource.query(`INSERT INTO enrolment_pm_work (kind, event) SELECT 'team-event', e::jsonb FROM unnest($1::text[]) AS e`, [
      reserved.map(queuedForm),
    ]);
    const readStream = jest.spyOn(fx.events, 'readStream');
    const readStreams = jest.spyOn(fx.events, 'readStreams');
    try {
      await fx.processManager.settled();
      const ours = new Set([`team-${team}`, ...courseIds.map((id) => `course-${id}`)]);
      expect(readStream.mock.calls.filter(([id]) => ours.has(id))).toEqual([]);
      expect(readStreams.mock.calls.filter(([ids]) => ids.some((id) => ours.has(id)))).toEqual([
        [expect.arrayContaining(courseIds.map((id) => `course-${id}`))],
      ]);
    } finally {
      readStream.mockRestore();
      readStreams.mockRestore();
    }
    expect(await dataSource.query(`SELECT seq FROM enrolment_pm_work`)).toEqual([]);
    expect(await Promise.all(courseIds.map(async (id) => (await fx.courseState(id)).events.length))).toEqual(before);
  });

  it('a team seat the course cannot record (a second seat on the same programme, e.g. two secretaries at once) is handed back', async () => {
    const [x, y] = [await fx.planTeam({ startsInDays: 52 }), await fx.planTeam({ startsInDays: 53 })];
    const courseId = await fx.course();
    await fx.enrol(secretary, courseId, { teamId: x }).expect(201);
    // the request path refuses before touching the team…
    const refused = await fx.enrol(secretary, courseId, { teamId: y }).expect(409);
    expect(refused.body.code).toBe('ALREADY_BOOKED_ON_PROGRAMME');
    // …and a reservation that slipped past that check (a race) is compensated by the process manager
    const { state } = await fx.courseState(courseId);
    await appendOnly(y, reserveSeatFor(y, courseId, state), fx.metadata('raced enrolment'));
    await waitFor(async () => (await fx.teamState(y)).state.seats.length === 0, 'the second seat to be handed back');
    const release = present((await fx.teamState(y)).events.find((e) => e.type === 'SeatReleased'));
    expect((release.data as { reason: string }).reason).toMatch(/could not take the seat/);
    expect(await seatsOf(courseId, [x, y])).toBe(1);
    expect((await fx.courseState(courseId)).state.seats).toEqual([expect.objectContaining({ teamId: x })]);
  });
});

/** the events were written by one append: consecutive revisions, one cause, one commit */
function oneAppend(events: readonly RecordedEvent[]): boolean {
  const cause = (e: RecordedEvent) => (e.metadata as { causationId?: string }).causationId;
  return events.every(
    (e, i) =>
      i === 0 ||
      (e.revision === events[i - 1].revision + 1 && cause(e) === cause(events[0]) && e.position.commit === events[0].position.commit),
  );
}
