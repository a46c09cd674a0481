import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `team_boards` and `team_summaries` keep a team's catalogue parts (programme and rules, fixed at planning) in
 * `plan`, apart from the state every batch rewrites (see apps/api/src/features/teams/stored-team-state.ts).
 * Existing rows keep their whole state in `state` with no plan; they read the same and are split at their next write.
 */
export class TeamStatePlan1763800080000 implements MigrationInterface {
  name = 'TeamStatePlan1763800080000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE team_boards ADD COLUMN plan jsonb`);
    await queryRunner.query(`ALTER TABLE team_summaries ADD COLUMN plan jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['team_boards', 'team_summaries']) {
      await queryRunner.query(`UPDATE ${table} SET state = state || plan WHERE plan IS NOT NULL`);
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN plan`);
    }
  }
}
