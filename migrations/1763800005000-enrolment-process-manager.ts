import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables of the enrolment process manager (apps/api/src/process-managers):
 * - enrolment_pm_work: follow-ups still to do, queued in the same transaction that moves the process
 *   manager's checkpoint and worked off after commit (the effects are appends to the event store,
 *   idempotent by derived event ids, so a crash between an effect and the row's delete is harmless);
 * - enrolment_open_offers: open seat offers with their hold, for the expiry sweeper;
 * - enrolment_team_index: each team's clinic, programme and first session, to find the next team to
 *   rebook onto (seats are then verified on the team stream).
 */
export class EnrolmentProcessManager1763800005000 implements MigrationInterface {
  name = 'EnrolmentProcessManager1763800005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE enrolment_pm_work (
        seq bigserial PRIMARY KEY,
        kind text NOT NULL,
        event jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE enrolment_open_offers (
        team_id text NOT NULL,
        course_id text NOT NULL,
        offered_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (team_id, course_id)
      )`);
    await queryRunner.query(`CREATE INDEX enrolment_open_offers_expires_at ON enrolment_open_offers (expires_at)`);
    await queryRunner.query(`
      CREATE TABLE enrolment_team_index (
        team_id text PRIMARY KEY,
        clinic_id text NOT NULL,
        programme_code text NOT NULL,
        first_session_key text NOT NULL,
        first_session_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX enrolment_team_index_programme ON enrolment_team_index (clinic_id, programme_code, first_session_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE enrolment_team_index`);
    await queryRunner.query(`DROP TABLE enrolment_open_offers`);
    await queryRunner.query(`DROP TABLE enrolment_pm_work`);
  }
}
