import request from 'supertest';
import { DataSource } from 'typeorm';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { closeIfStarted } from '../support/close-if-started.js';
import { EnrolmentFixtures } from '../enrolment/enrolment-fixtures.js';
import { present } from '../support/present.js';
import { waitFor } from '../support/wait-for.js';

const targets = await testDatabaseTargets();

/**
 * team_boards and team_summaries keep a team's catalogue parts (programme, rules) in `plan`, apart from the
 * state each batch rewrites; a row stored before that split (whole state, no plan) reads the same and is split
 * at its next write.
 */
describeForEachDatabase(targets, 'stored team state', (target) => {
  let t: TestApp;
  let fx: EnrolmentFixtures;
  let secretary: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await startTestApp(target);
    fx = new EnrolmentFixtures(t);
    secretary = await t.token(['secretary'], 'sec-1');
    dataSource = t.app.get(DataSource);
  });
  afterAll(() => closeIfStarted(t));

  const enrol = async (courseId: string, teamId: string) =>
    (await fx.enrol(secretary, courseId, { teamId }).expect(201)).headers['x-event-position'];
  const board = (teamId: string, position: string) =>
    request(t.server).get(`/teams/${teamId}/board`).set('Authorization', `Bearer ${secretary}`).set('X-Min-Position', position).expect(200);
  const stored = (table: string, teamId: string) =>
    dataSource.query<Array<{ split: boolean; programme: string | null; seats: number }>>(
      `SELECT plan IS NOT NULL AND NOT state::jsonb ? 'programme' AND NOT state::jsonb ? 'rules' AS split, plan #>> '{programme,code}' AS programme,
              json_array_length(state -> 'seats') AS seats FROM ${table} WHERE team_id = $1`,
      [teamId],
    );
  /** the row once the projection has applied the team's `seats`-th seat */
  const storedWith = (table: string, teamId: string, seats: number) =>
    waitFor(async () => {
      const rows = await stored(table, teamId);
      return rows[0]?.seats === seats ? rows : undefined;
    }, `${table} to hold ${seats} seats`);

  it('keeps programme and rules in plan, the rest in state, and reads a row from before the split the same', async () => {
    const teamId = await fx.planTeam({ startsInDays: 30 });
    const [first, second] = await fx.courses(2);
    const one = await enrol(present(first), teamId);
    const before = (await board(teamId, one)).body;
    // the programme's staff roles come from plan
    expect(before).toMatchObject({ programme: 'FORSTAA_SMERTE', seats: { taken: 1 } });
    expect(before.staffRule.roles.map((r: { role: string }) => r.role)).toEqual(['primary', 'secondary']);
    for (const table of ['team_boards', 'team_summaries']) {
      expect(await storedWith(table, teamId, 1)).toEqual([{ split: true, programme: 'FORSTAA_SMERTE', seats: 1 }]);
    }

    // a row as stored before the split
    for (const table of ['team_boards', 'team_summaries']) {
      await dataSource.query(`UPDATE ${table} SET state = state::jsonb || plan::jsonb, plan = NULL WHERE team_id = $1`, [teamId]);
      expect(await stored(table, teamId)).toEqual([{ split: false, programme: null, seats: 1 }]);
    }
    expect({ ...(await board(teamId, one)).body, evaluatedAt: null }).toEqual({ ...before, evaluatedAt: null });

    const two = await enrol(present(second), teamId);
    expect((await board(teamId, two)).body).toMatchObject({ programme: before.programme, seats: { taken: 2 } });
    for (const table of ['team_boards', 'team_summaries']) {
      expect(await storedWith(table, teamId, 2)).toEqual([{ split: true, programme: 'FORSTAA_SMERTE', seats: 2 }]);
    }
  });
});
