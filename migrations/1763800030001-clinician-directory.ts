import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read model `clinician_directory` (projection clinician-directory.v1): one row per registered clinician
 * with the clinic that registered it and its replayed state, for GET /clinicians.
 */
export class ClinicianDirectory1763800030001 implements MigrationInterface {
  name = 'ClinicianDirectory1763800030001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE clinician_directory (
        clinician_id text PRIMARY KEY,
        clinic_id text NOT NULL,
        professions text[] NOT NULL,
        employment_start text NOT NULL,
        state jsonb NOT NULL,
        stream_revision bigint NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX clinician_directory_clinic_idx ON clinician_directory (clinic_id, clinician_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE clinician_directory`);
  }
}
