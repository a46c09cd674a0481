import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The team board guards against re-applied team events with the revision kept beside each team's state
 * (`team_boards.stream_revision`, read by the statement that loads the states; stored-team-state.ts), as the
 * roster does since 1763800100000: `team_board_sources` goes.
 */
export class TeamBoardGuardInStateRows1763800120000 implements MigrationInterface {
  name = 'TeamBoardGuardInStateRows1763800120000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE team_board_sources`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE team_board_sources (stream_id text PRIMARY KEY, revision bigint NOT NULL)`);
    await queryRunner.query(`INSERT INTO team_board_sources SELECT 'team-' || team_id, stream_revision FROM team_boards`);
  }
}
