import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models of rooms and teams (apps/api/src/features/rooms/rooms.projection.ts, apps/api/src/features/teams/team-summaries.projection.ts).
 * `team_summaries` is also read by the rebooking code: its columns up to `updated_at` are a contract.
 * `team_id` is the uuid of stream `team-<uuid>`; times are instants; `status` is planned | closed | cancelled | completed.
 */
export class RoomsAndTeamSummaries1763800003000 implements MigrationInterface {
  name = 'RoomsAndTeamSummaries1763800003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE rooms (
        room_id text PRIMARY KEY,
        clinic_id text NOT NULL,
        name text NOT NULL,
        seats int NOT NULL,
        max_people int,
        registered_at timestamptz NOT NULL,
        stream_revision bigint NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX rooms_clinic_name_idx ON rooms (clinic_id, name)`);
    await queryRunner.query(`
      CREATE TABLE team_summaries (
        team_id text PRIMARY KEY,
        clinic_id text NOT NULL,
        programme_code text NOT NULL,
        catalogue_version int NOT NULL,
        room_id text NOT NULL,
        first_session_at timestamptz NOT NULL,
        last_session_at timestamptz NOT NULL,
        late_join_cutoff timestamptz NOT NULL,
        capacity int NOT NULL,
        seats_taken int NOT NULL,
        waitlist_count int NOT NULL,
        offers_outstanding int NOT NULL,
        status text NOT NULL CHECK (status IN ('planned', 'closed', 'cancelled', 'completed')),
        stream_revision bigint NOT NULL,
        updated_at timestamptz NOT NULL,
        time_zone text NOT NULL,
        state jsonb NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX team_summaries_clinic_programme_first_idx ON team_summaries (clinic_id, programme_code, first_session_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE team_summaries`);
    await queryRunner.query(`DROP TABLE rooms`);
  }
}
