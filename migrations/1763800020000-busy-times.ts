import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read model `busy_times` (apps/api/src/features/schedule/busy-times.projection.ts): one row per active hold on a room's
 * or clinician's schedule stream (`schedule-room-<id>`, `schedule-clinician-<id>`), for GET /rooms/{id}/busy,
 * GET /clinicians/{id}/busy and the team suggestions. Patients' schedule streams are not projected here.
 * Only for reading: reservations are decided from the schedule streams themselves.
 */
export class BusyTimes1763800020000 implements MigrationInterface {
  name = 'BusyTimes1763800020000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE busy_times (
        resource_kind text NOT NULL CHECK (resource_kind IN ('room', 'clinician')),
        resource_id text NOT NULL,
        hold_id text NOT NULL,
        clinic_id text,
        kind text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        team_id text,
        session_key text,
        stream_revision bigint NOT NULL,
        PRIMARY KEY (resource_kind, resource_id, hold_id)
      )`);
    await queryRunner.query(`CREATE INDEX busy_times_resource_time_idx ON busy_times (resource_kind, resource_id, starts_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE busy_times`);
  }
}
