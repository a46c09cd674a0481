import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hospital calendar integration (apps/api/src/ical, apps/api/src/outbox).
 *
 * 1. calendar_feeds: one row per iCalendar feed token. Only the SHA-256 of the token is stored; a revoked
 *    feed keeps its row (revoked_at) so the token stays dead and the audit trail stays.
 * 2. webhooks: registered receivers (URL, event types, the signing secret encrypted with AES-256-GCM).
 * 3. The transactional outbox, written by the durable subscription `outbox.v1` in the same transaction as
 *    its checkpoint (no dual write):
 *    - outbox_messages: one integration event (booking booked, rebooked, cancelled, session moved or
 *      cancelled, no-show) per row, `seq` in log order;
 *    - webhook_deliveries: one row per message and webhook subscribed to its type, delivered in `seq`
 *      order per (webhook, course) by the delivery worker; `dead` after the last attempt (dead letters);
 *    - outbox_courses / outbox_team_seats / outbox_appointments / outbox_no_shows / outbox_sources: the
 *      little state the subscription keeps to map team and schedule events to the courses they concern.
 *    The outbox is not a read model: it declares no tables to the rebuild CLI (a rebuild would send every
 *    booking again), so it may use an identity column.
 */
export class Integrations1763800008000 implements MigrationInterface {
  name = 'Integrations1763800008000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);

    await q(`
      CREATE TABLE calendar_feeds (
        feed_id uuid PRIMARY KEY,
        clinic_id text NOT NULL,
        calendar text NOT NULL CHECK (calendar IN ('clinician', 'room', 'team')),
        target_id text NOT NULL,
        token_sha256 text NOT NULL UNIQUE,
        label text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by text,
        revoke_reason text
      )`);
    await q(`CREATE INDEX calendar_feeds_clinic_idx ON calendar_feeds (clinic_id, created_at)`);

    await q(`
      CREATE TABLE webhooks (
        webhook_id uuid PRIMARY KEY,
        clinic_id text NOT NULL,
        url text NOT NULL,
        secret_encrypted bytea NOT NULL,
        event_types text[] NOT NULL,
        description text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        deleted_at timestamptz,
        deleted_by text,
        delete_reason text
      )`);
    await q(`CREATE INDEX webhooks_clinic_idx ON webhooks (clinic_id) WHERE deleted_at IS NULL`);

    await q(`
      CREATE TABLE outbox_messages (
        message_id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        clinic_id text NOT NULL,
        course_id text NOT NULL,
        type text NOT NULL,
        payload jsonb NOT NULL,
        source_event_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`
      CREATE TABLE webhook_deliveries (
        delivery_id uuid PRIMARY KEY,
        webhook_id uuid NOT NULL,
        message_id uuid NOT NULL,
        seq bigint NOT NULL,
        course_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_attempt_at timestamptz,
        last_status int,
        last_error text,
        delivered_at timestamptz,
        dead_at timestamptz,
        replays int NOT NULL DEFAULT 0,
        replayed_by text,
        replay_reason text,
        UNIQUE (webhook_id, message_id)
      )`);
    await q(`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, seq) WHERE status = 'pending'`);
    await q(`CREATE INDEX webhook_deliveries_order_idx ON webhook_deliveries (webhook_id, course_id, seq) WHERE status <> 'delivered'`);
    await q(`CREATE INDEX webhook_deliveries_dead_idx ON webhook_deliveries (webhook_id, dead_at) WHERE status = 'dead'`);

    await q(`CREATE TABLE outbox_courses (course_id text PRIMARY KEY, clinic_id text NOT NULL, patient_id text NOT NULL)`);
    await q(`CREATE TABLE outbox_team_seats (team_id text NOT NULL, course_id text NOT NULL, PRIMARY KEY (team_id, course_id))`);
    await q(
      `CREATE TABLE outbox_appointments (appointment_id text PRIMARY KEY, course_id text NOT NULL, cancelled boolean NOT NULL DEFAULT false)`,
    );
    await q(
      `CREATE TABLE outbox_no_shows (team_id text NOT NULL, session_key text NOT NULL, course_id text NOT NULL, PRIMARY KEY (team_id, session_key, course_id))`,
    );
    await q(`CREATE TABLE outbox_sources (stream_id text PRIMARY KEY, revision bigint NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'outbox_sources',
      'outbox_no_shows',
      'outbox_appointments',
      'outbox_team_seats',
      'outbox_courses',
      'webhook_deliveries',
      'outbox_messages',
      'webhooks',
      'calendar_feeds',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
