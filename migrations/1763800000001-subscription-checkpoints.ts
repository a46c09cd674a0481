import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Durable subscriptions store where they are in the global log; written in the same transaction as their effects. */
export class SubscriptionCheckpoints1763800000001 implements MigrationInterface {
  name = 'SubscriptionCheckpoints1763800000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE subscription_checkpoints (
        name text PRIMARY KEY,
        commit_position numeric(20) NOT NULL,
        prepare_position numeric(20) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE subscription_checkpoints`);
  }
}
