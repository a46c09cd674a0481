import request from 'supertest';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { EnrolmentFixtures, iso } from './enrolment-fixtures.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

describeForEachDatabase(targets, 'cancellations, seat offers and their expiry', (target) => {
  let t: TestApp;
  let fx: EnrolmentFixtures;
  let secretary: string;

  beforeAll(async () => {
    t = await startTestApp(target);
    fx = new EnrolmentFixtures(t);
    secretary = await t.token(['secretary'], 'sec-1');
  });
  afterAll(() => closeIfStarted(t));

  const offer = (teamId: string, courseId: string, action: 'accept' | 'decline', body: Record<string, unknown>) =>
    request(t.server).post(`/teams/${teamId}/offers/${courseId}/${action}`).set('Authorization', `Bearer ${secretary}`).send(body);

  it('a cancellation offers the seat in referral-date order, passing over a waiting course that is no longer eligible; accept, decline and expiry move it on', async () => {
    const teamId = await fx.planTeam({ startsInDays: 30, seats: 3 });
    const seated = await fx.courses(3);
    for (const courseId of seated) await fx.enrol(secretary, courseId, { teamId }).expect(201);
    // joined in another order than their referral dates: the line is by referral date
    const w3 = await fx.course(10);
    const w1 = await fx.course(40);
    const w2 = await fx.course(30);
    const w4 = await fx.course(8);
    const w5 = await fx.course(5);
    for (const courseId of [w3, w1, w2, w4, w5]) await fx.enrol(secretary, courseId, { teamId, joinWaitlistIfFull: true }).expect(202);
    let board = await request(t.server).get(`/teams/${teamId}/offers`).set('Authorization', `Bearer ${secretary}`).expect(200);
    expect(board.body.waitlist.map((w: { courseId: string }) => w.courseId)).toEqual([w1, w2, w3, w4, w5]);

    // the first in line now needs an interpreter (recorded after joining): Forstå smerte excludes that
    await fx.recordFact(w1, 'needsInterpreter', true);

    const cancelled = await fx.cancel(secretary, seated[0], teamId).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'released', offers: [expect.objectContaining({ courseId: w2 })] });
    expect(cancelled.body.passedOver).toEqual([{ courseId: w1, reasons: [expect.objectContaining({ code: 'FS_NEEDS_INTERPRETER' })] }]);
    const offered = cancelled.body.offers[0];
    // held 48 hours (catalogue settings.offerHoldHours; the domain formats the expiry to the second)
    expect(Math.abs(Date.parse(offered.expiresAt) - Date.parse(offered.offeredAt) - 48 * 3_600_000)).toBeLessThan(1_000);
    // every step is an event: the passed-over course left the waitlist with the reason, in the same append
    const team = await fx.teamState(teamId);
    const lastWrite = team.events.slice(-3);
    expect(lastWrite.map((e) => e.type)).toEqual(['CourseLeftWaitlist', 'SeatReleased', 'SeatOffered']);
    expect((lastWrite[0].data as { reason: string }).reason).toMatch(/Passed over.*interpreter/);
    expect((lastWrite[2].metadata as { passedOver?: unknown[] }).passedOver).toHaveLength(1);
    expect((await fx.courseState(w1)).state.waitlists).toEqual([]);
    expect((await fx.courseState(seated[0])).state.seats).toEqual([]);

    // accept → enrolled, recorded on the course
    const accepted = await offer(teamId, w2, 'accept', { reason: 'Confirmed by phone' }).expect(200);
    expect(accepted.body).toMatchObject({ status: 'enrolled', courseId: w2, team: { capacity: 3, seatsTaken: 3 }, courseRecorded: true });
    expect((await fx.courseState(w2)).state.seats).toEqual([expect.objectContaining({ teamId })]);

    // decline → the next in line is offered the seat
    const second = await fx.cancel(secretary, seated[1], teamId).expect(200);
    expect(second.body.offers).toEqual([expect.objectContaining({ courseId: w3 })]);
    const declined = await offer(teamId, w3, 'decline', { reason: 'Cannot come that day' }).expect(200);
    expect(declined.body).toMatchObject({ status: 'declined', offers: [expect.objectContaining({ courseId: w4 })], passedOver: [] });
    expect((await fx.courseState(w3)).state.waitlists).toEqual([]);
    await offer(teamId, w3, 'accept', {}).expect(422);

    // expiry: the sweeper at a time past the hold expires w4's offer and offers the seat to w5
    const now = iso(Date.parse(declined.body.offers[0].expiresAt) + 60_000);
    // the sweeper finds teams in the offer table the process manager keeps; it waits 10 s for it and then sweeps
    // what the table holds (a background sweep may be late): here wait for the table to hold w4's offer, generously
    await fx.processManager.caughtUp(undefined, 60_000);
    const swept = await fx.sweeper.sweep(now);
    expect(swept).toEqual([expect.objectContaining({ teamId, expired: [w4], offeredTo: [w5] })]);
    expect(await fx.sweeper.sweep(now)).toEqual([]);
    board = await request(t.server).get(`/teams/${teamId}/offers`).set('Authorization', `Bearer ${secretary}`).expect(200);
    expect(board.body.offers).toEqual([expect.objectContaining({ courseId: w5, expired: false })]);
    expect(board.body.waitlist.map((w: { courseId: string }) => w.courseId)).toEqual([w5]);
    expect((await fx.courseState(w4)).state.waitlists).toEqual([]);
    // an offer past its hold can no longer be accepted
    await fx.sweeper.sweep(iso(Date.parse(board.body.offers[0].expiresAt) + 1));
    await offer(teamId, w5, 'accept', {}).expect(422);
  });

  it('cancelling a waitlist place leaves the waitlist; cancelling nothing is 404', async () => {
    const teamId = await fx.planTeam({ startsInDays: 31, seats: 1 });
    const [a, b] = await fx.courses(2);
    await fx.enrol(secretary, a, { teamId }).expect(201);
    await fx.enrol(secretary, b, { teamId, joinWaitlistIfFull: true }).expect(202);
    const left = await fx.cancel(secretary, b, teamId).expect(200);
    expect(left.body).toMatchObject({ status: 'left_waitlist', offers: [] });
    expect((await fx.courseState(b)).state.waitlists).toEqual([]);
    const again = await fx.cancel(secretary, b, teamId).expect(404);
    expect(again.body.code).toBe('NOT_ENROLLED');
    await request(t.server).delete(`/courses/${a}/enrolments/${teamId}`).set('Authorization', `Bearer ${secretary}`).send({}).expect(422);
  });

  it('CourseEnded releases the course’s seats on the teams (process manager), and the freed seat is offered on', async () => {
    const teamId = await fx.planTeam({ startsInDays: 32, seats: 1 });
    const [leaving, waiting] = await fx.courses(2);
    await fx.enrol(secretary, leaving, { teamId }).expect(201);
    await fx.enrol(secretary, waiting, { teamId, joinWaitlistIfFull: true }).expect(202);
    const ended = await fx.endCourse(leaving);
    expect(ended.newEvents[0]).toMatchObject({ type: 'CourseEnded', data: { seatsToRelease: [expect.objectContaining({ teamId })] } });
    const team = await waitFor(async () => {
      const s = (await fx.teamState(teamId)).state;
      return s.seats.length === 0 && s.offers.length === 1 ? s : undefined;
    }, 'the team to release the ended course’s seat');
    expect(team.offers[0].courseId).toBe(waiting);
    const released = present((await fx.teamState(teamId)).events.find((e) => e.type === 'SeatReleased'));
    expect((released.data as { reason: string }).reason).toMatch(/course ended/i);
  });
});
