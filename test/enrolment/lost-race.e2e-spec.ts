import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { WrongExpectedRevisionError, type EventStore } from '#app/event-store';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { EnrolmentFixtures, reserveSeatFor } from './enrolment-fixtures.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

/**
 * A write that keeps losing its race until the retry budget is spent answers 409 CONCURRENCY_CONFLICT,
 * and that answer is not what its Idempotency-Key replays: the retry runs the request again and gets a
 * real answer. The lost races are made deterministic by letting the event store refuse every append to
 * the team's stream as "changed by someone else" (what a concurrent writer causes), with a short budget.
 */
describeForEachDatabase(targets, 'a write that lost its race', (target) => {
  let t: TestApp;
  let fx: EnrolmentFixtures;
  let secretary: string;

  beforeAll(async () => {
    t = await startTestApp(target, { WRITE_RETRY_BUDGET_MS: '300' });
    fx = new EnrolmentFixtures(t);
    secretary = await t.token(['secretary'], 'sec-1');
  });
  afterAll(() => closeIfStarted(t));

  function loseEveryRaceOn(streamId: string) {
    const store = t.app.get<EventStore>(EVENT_STORE);
    const append = store.appendToStream.bind(store);
    let lost = 0;
    const spy = jest.spyOn(store, 'appendToStream').mockImplementation(async (id, events, expected) => {
      if (id !== streamId) return append(id, events, expected);
      lost++;
      throw new WrongExpectedRevisionError(id, expected, typeof expected === 'number' ? expected + 1 : 0);
    });
    return { restore: () => spy.mockRestore(), lost: () => lost };
  }

  it('is decided again inside the server; after the budget it answers 409, which a retry with the same key does not replay', async () => {
    const teamId = await fx.planTeam({ startsInDays: 30, seats: 5 });
    const courseId = await fx.course();
    const key = `lost-race-${courseId}`;
    const before = await fx.teamState(teamId);

    const races = loseEveryRaceOn(`team-${teamId}`);
    let conflict;
    try {
      conflict = await fx.enrol(secretary, courseId, { teamId, reason: 'phone' }, { 'Idempotency-Key': key }).expect(409);
    } finally {
      races.restore();
    }
    expect(conflict.body).toMatchObject({ statusCode: 409, code: 'CONCURRENCY_CONFLICT', message: expect.stringContaining('try again') });
    expect(races.lost()).toBeGreaterThan(1); // decided again, not answered after the first loss
    expect((await fx.teamState(teamId)).revision).toBe(before.revision);
    const stored: Array<{ status_code: number }> = await t.app
      .get(DataSource)
      .query('SELECT status_code FROM idempotent_responses WHERE key = $1', [key]);
    expect(stored).toEqual([]);

    const retry = await fx.enrol(secretary, courseId, { teamId, reason: 'phone' }, { 'Idempotency-Key': key }).expect(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.body).toMatchObject({ status: 'enrolled', courseId, teamId, courseRecorded: true });
    const team = await fx.teamState(teamId);
    expect(team.events.filter((e) => e.type === 'SeatReserved' && (e.data as { courseId: string }).courseId === courseId)).toHaveLength(1);

    // now the real answer is the key's answer
    const replay = await fx.enrol(secretary, courseId, { teamId, reason: 'phone' }, { 'Idempotency-Key': key }).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(retry.body);
  });

  it('a transient answer stored under a key before this rule is dropped and the request runs again', async () => {
    const teamId = await fx.planTeam({ startsInDays: 31, seats: 5 });
    const courseId = await fx.course();
    const key = `old-conflict-${courseId}`;
    const races = loseEveryRaceOn(`team-${teamId}`);
    try {
      await fx.enrol(secretary, courseId, { teamId }, { 'Idempotency-Key': key }).expect(409);
    } finally {
      races.restore();
    }
    // what the interceptor stored before: the 409 as the key's answer
    const hash: Array<{ request_hash: string }> = await t.app.get(DataSource).query(
      `INSERT INTO idempotent_responses (caller_id, key, request_hash, status_code, body, headers)
       SELECT 'smertecenter-syd/sec-1', $1, 'x', 409, $2::jsonb, '{}'::jsonb RETURNING request_hash`,
      [key, JSON.stringify({ statusCode: 409, code: 'CONCURRENCY_CONFLICT', message: 'Please try again.', details: {} })],
    );
    expect(hash).toHaveLength(1);
    // (the stored hash differs, so without the rule this would even be IDEMPOTENCY_KEY_REUSED)
    const retry = await fx.enrol(secretary, courseId, { teamId }, { 'Idempotency-Key': key }).expect(201);
    expect(retry.body.status).toBe('enrolled');
  });

  it('a write whose stream moved once is decided again on the fresh state and succeeds', async () => {
    const teamId = await fx.planTeam({ startsInDays: 32, seats: 5 });
    const [courseId, other] = await fx.courses(2);
    const otherCourse = (await fx.courseState(other)).state;
    const store = t.app.get<EventStore>(EVENT_STORE);
    const append = store.appendToStream.bind(store);
    let calls = 0;
    const spy = jest.spyOn(store, 'appendToStream').mockImplementation(async (id, events, expected) => {
      // the first append to the team loses to another writer's reservation, written just before it
      // (through the same DeciderStore from inside this write's turn, as another process would)
      if (id === `team-${teamId}` && calls++ === 0) {
        spy.mockRestore();
        await fx.team(teamId, reserveSeatFor(teamId, other, otherCourse));
      }
      return append(id, events, expected);
    });
    try {
      const res = await fx.enrol(secretary, courseId, { teamId }, { 'Idempotency-Key': `moved-${courseId}` }).expect(201);
      expect(res.body).toMatchObject({ status: 'enrolled', team: { seatsTaken: 2 } });
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBe(1);
    expect((await fx.teamState(teamId)).state.seats.map((s) => s.courseId).sort()).toEqual([courseId, other].sort());
  });
});
