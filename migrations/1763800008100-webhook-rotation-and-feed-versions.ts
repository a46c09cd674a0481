import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook polish and feed freshness (apps/api/src/outbox, apps/api/src/ical), issue 15 parts 2–3:
 * 1. webhooks: the previous secret (encrypted like the current one) and until when it still signs, after a
 *    rotation; when the secret was last rotated.
 * 2. outbox_messages / webhook_deliveries: `course_id` is the ordering key of a message. Course events keep
 *    the course id; team-level events (team planned, staff changed, a session moved or cancelled) use
 *    `team:<team id>`, so they arrive in order per team the same way. No schema change needed for that.
 * 3. calendar_feed_versions: per feed (clinic, calendar, target, requested range) the SHA-256 of the last
 *    body served and since when that body is served: the feed's `Last-Modified` (If-Modified-Since → 304).
 *    Rows not served for 90 days are purged by the feed service.
 */
export class WebhookRotationAndFeedVersions1763800008100 implements MigrationInterface {
  name = 'WebhookRotationAndFeedVersions1763800008100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(
      `ALTER TABLE webhooks ADD COLUMN previous_secret_encrypted bytea, ADD COLUMN previous_secret_until timestamptz, ADD COLUMN secret_rotated_at timestamptz`,
    );
    await q(`CREATE TABLE outbox_teams (team_id text PRIMARY KEY, clinic_id text NOT NULL)`);
    await q(`
      CREATE TABLE calendar_feed_versions (
        clinic_id text NOT NULL,
        calendar text NOT NULL,
        target_id text NOT NULL,
        range_key text NOT NULL,
        body_sha256 text NOT NULL,
        last_modified timestamptz NOT NULL,
        last_served timestamptz NOT NULL,
        PRIMARY KEY (clinic_id, calendar, target_id, range_key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE calendar_feed_versions`);
    await queryRunner.query(`DROP TABLE outbox_teams`);
    await queryRunner.query(
      `ALTER TABLE webhooks DROP COLUMN previous_secret_encrypted, DROP COLUMN previous_secret_until, DROP COLUMN secret_rotated_at`,
    );
  }
}
