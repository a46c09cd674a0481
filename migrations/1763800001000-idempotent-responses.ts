import type { MigrationInterface, QueryRunner } from 'typeorm';

/** First responses to writes sent with an Idempotency-Key, per caller (clinic/staff) and key. */
export class IdempotentResponses1763800001000 implements MigrationInterface {
  name = 'IdempotentResponses1763800001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotent_responses (
        caller_id text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status_code integer NOT NULL,
        body jsonb,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caller_id, key)
      )`);
    await queryRunner.query(`CREATE INDEX idempotent_responses_created_at ON idempotent_responses (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotent_responses`);
  }
}
