import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The team states the team board and team summaries keep (`state`, rewritten by every batch that touches the
 * team, and `plan`) as `json`, not `jsonb`, as the course states are since 1763800090000: they are read whole,
 * by the projections on every batch and by the board's readers (which merge the two as jsonb when they read,
 * TEAM_STATE_SQL), so parsing each state into jsonb's binary form on every upsert bought nothing.
 */
export class TeamStatesAsJson1763800130000 implements MigrationInterface {
  name = 'TeamStatesAsJson1763800130000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['team_boards', 'team_summaries']) {
      await queryRunner.query(
        `ALTER TABLE ${table} ALTER COLUMN state TYPE json USING state::json, ALTER COLUMN plan TYPE json USING plan::json`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['team_boards', 'team_summaries']) {
      await queryRunner.query(
        `ALTER TABLE ${table} ALTER COLUMN state TYPE jsonb USING state::jsonb, ALTER COLUMN plan TYPE jsonb USING plan::jsonb`,
      );
    }
  }
}
