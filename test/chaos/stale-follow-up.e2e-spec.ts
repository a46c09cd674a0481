import request from 'supertest';
import { CourseSeatSync } from '../../apps/api/src/features/enrolment/process-managers/course-seat-sync.js';
import { EnrolmentFixtures } from '../enrolment/enrolment-fixtures.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

/**
 * Found by the fault test (chaos/): after a crash, the process manager repaired the course follow-up of an
 * OLD SeatReleased (a rebook's source release) while a retried enrolment on the same team wrote its own
 * follow-up inline; the late release then took the NEW seat off the course stream, and the team kept it.
 * A release must never undo a seat the course got from a later event of that team.
 */
describeForEachDatabase(targets, 'a late follow-up of an old release', (target) => {
  let t: TestApp;
  let fx: EnrolmentFixtures;
  let secretary: string;

  beforeAll(async () => {
    t = await startTestApp(target);
    fx = new EnrolmentFixtures(t);
    secretary = await t.token(['secretary'], 'sec-1');
  });
  afterAll(() => closeIfStarted(t));

  it('leaves the seat the course took again on the same team', async () => {
    const first = await fx.planTeam({ startsInDays: 40 });
    const second = await fx.planTeam({ startsInDays: 47 });
    const courseId = await fx.course();
    await fx.enrol(secretary, courseId, { teamId: first }).expect(201);
    const moved = await request(t.server)
      .post(`/courses/${courseId}/rebook`)
      .set('Authorization', `Bearer ${secretary}`)
      .send({ fromTeamId: first, toTeamId: second, reason: 'Away that week' })
      .expect(200);
    expect(moved.body).toMatchObject({ toTeamId: second, sourceReleased: true });
    // the source release needed nothing on the course (the move was one append): no follow-up marks it done
    const sourceRelease = present((await fx.teamState(first)).events.find((e) => e.type === 'SeatReleased'));
    await fx.cancel(secretary, courseId, second).expect(200);
    await fx.enrol(secretary, courseId, { teamId: first }).expect(201);

    // the old source release handled again, late (the process manager repairing after a crash)
    await t.app.get(CourseSeatSync).afterTeamEvents([sourceRelease], 'inline');

    expect((await fx.courseState(courseId)).state.seats).toEqual([expect.objectContaining({ teamId: first })]);
    expect((await fx.teamState(first)).state.seats.map((s) => s.courseId)).toEqual([courseId]);
  });
});
