import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A patient is a separate identity per clinic (issue 11 §2): the same CPR number referred to two clinics is
 * two rows with two unrelated random patient ids, so nothing one clinic sees (ids, schedules, clash
 * messages) leads to the other's records. Existing rows get the clinic of the first course that names
 * them (from the events table); a row no course names keeps `clinic_id` NULL and is found by no clinic.
 */
export class PatientsPerClinic1763800030000 implements MigrationInterface {
  name = 'PatientsPerClinic1763800030000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE patients ADD COLUMN clinic_id text`);
    await queryRunner.query(`
      UPDATE patients p SET clinic_id = (
        SELECT e.metadata->>'clinicId' FROM events e
        WHERE e.type = 'ReferralReceived' AND e.data->>'patientId' = p.patient_id::text
        ORDER BY e.global_position LIMIT 1)`);
    await queryRunner.query(`ALTER TABLE patients DROP CONSTRAINT IF EXISTS patients_cpr_hash_key`);
    await queryRunner.query(`CREATE UNIQUE INDEX patients_clinic_cpr_hash_idx ON patients (clinic_id, cpr_hash)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX patients_clinic_cpr_hash_idx`);
    await queryRunner.query(`ALTER TABLE patients ADD CONSTRAINT patients_cpr_hash_key UNIQUE (cpr_hash)`);
    await queryRunner.query(`ALTER TABLE patients DROP COLUMN clinic_id`);
  }
}
