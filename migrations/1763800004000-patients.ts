import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The one protected table holding patient identity: the CPR number encrypted (AES-256-GCM) and its keyed
 * hash (HMAC-SHA256) for look-up. Events carry only `patient_id`; deleting a row erases the person.
 */
export class Patients1763800004000 implements MigrationInterface {
  name = 'Patients1763800004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE patients (
        patient_id uuid PRIMARY KEY,
        cpr_hash text NOT NULL UNIQUE,
        cpr_encrypted bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE patients`);
  }
}
