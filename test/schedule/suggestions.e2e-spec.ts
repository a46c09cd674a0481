import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as, DAY } from '../teams/helpers.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

const ahead = (days: number): string => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

describeForEachDatabase(targets, 'GET /teams/suggestions: free room and qualified free staff for every session', (target) => {
  let t: TestApp;
  // an app (and database) of its own, so no other test's rooms and staff change the answers
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => closeIfStarted(t));

  it('suggests the next MBSR starts with the right-sized room and two qualified teachers; a planned team takes its dates out; refusals', async () => {
    const secretary = await as(t, ['secretary'], 'S1');
    const big = (await secretary.post('/rooms', { name: 'Mindfulness-salen', seats: 18 }).expect(201)).body.roomId;
    await secretary.post('/rooms', { name: 'Lille lokale', seats: 10 }).expect(201);
    const granted = ahead(-10);
    for (const id of ['SUG-T1', 'SUG-T2']) {
      await secretary.post('/clinicians', { clinicianId: id, professions: ['PSYCHOLOGIST'], employmentStart: '2016-01-01' }).expect(201);
      for (const competence of ['MBSR_TEACHER', 'MBSR_DAILY_PRACTICE', 'MBSR_RETREAT']) {
        await secretary.post(`/clinicians/${id}/competences`, { competence, grantedAt: granted, reason: 'Certificate seen' }).expect(201);
      }
    }
    const last = await secretary
      .post('/clinicians', { clinicianId: 'SUG-N1', professions: ['NURSE'], employmentStart: '2016-01-01' })
      .expect(201);

    const first = await secretary
      .get(`/teams/suggestions?programme=MBSR&from=${ahead(30)}&count=2&startTime=09:00`)
      .set('X-Min-Position', last.headers['x-event-position'])
      .expect(200);
    expect(first.body.programme).toBe('MBSR');
    expect(first.body.suggestions.map((s: { startsOn: string; startTime: string }) => `${s.startsOn} ${s.startTime}`)).toEqual([
      `${ahead(30)} 09:00`,
      `${ahead(31)} 09:00`,
    ]);
    expect(first.body.suggestions[0]).toMatchObject({
      roomId: big,
      seats: 18,
      staff: [{ role: 'teacher', clinicianIds: ['SUG-T1', 'SUG-T2'] }],
    });
    expect(first.body.suggestions[0].sessions).toHaveLength(10);
    expect(first.body.suggestions[0].sessions.filter((s: { kind: string }) => s.kind === 'retreat')).toHaveLength(1);

    // plan the first suggestion and staff it: those dates are taken now
    const pick = first.body.suggestions[0];
    const team = await secretary
      .post('/teams', { programmeCode: 'MBSR', roomId: pick.roomId, startsOn: pick.startsOn, startTime: pick.startTime })
      .expect(201);
    const staffed = await secretary.post(`/teams/${team.body.teamId}/therapists`, { clinicianId: 'SUG-T1', role: 'teacher' }).expect(201);
    const next = await secretary
      .get(`/teams/suggestions?programme=MBSR&from=${ahead(30)}&count=2&startTime=09:00`)
      .set('X-Min-Position', staffed.headers['x-event-position'])
      .expect(200);
    // not the planned day, nor two days later: that team's retreat day would fall on the planned team's eighth session
    expect(next.body.suggestions.map((s: { startsOn: string }) => s.startsOn)).toEqual([ahead(31), ahead(33)]);

    // on that weekday the planned team's room and teacher are busy for weeks: no start there
    const sameWeekday = await secretary.get(`/teams/suggestions?programme=MBSR&from=${ahead(37)}&count=1&startTime=09:00`).expect(200);
    expect(sameWeekday.body.suggestions[0].startsOn).not.toBe(ahead(37));

    const unknown = await secretary.get('/teams/suggestions?programme=YOGA').expect(422);
    expect(unknown.body).toMatchObject({ code: 'PROGRAMME_NOT_FOUND', details: { allowed: expect.arrayContaining(['MBSR']) } });
    expect((await secretary.get('/teams/suggestions?programme=MBSR&count=0').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await secretary.get('/teams/suggestions').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await secretary.get('/teams/suggestions?programme=MBSR&from=tomorrow').expect(400)).body.code).toBe('VALIDATION_FAILED');
    await (await as(t, ['clinician'], 'C1')).get('/teams/suggestions?programme=MBSR').expect(403);
  });
});
