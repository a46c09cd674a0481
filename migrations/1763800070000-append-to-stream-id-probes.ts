import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AppendToStreamFunction1763800060000 } from './1763800060000-append-to-stream-function.js';

/**
 * append_to_stream, the same steps as in 1763800060000, with two changes to what it costs:
 *  - it plans without sequential scans (`SET enable_seqscan = off` while the function runs). PL/pgSQL caches a
 *    generic plan of each statement per connection; made while `events` was small or never analysed, the
 *    idempotency look-up `event_id = ANY (p_ids)` was a hash join over a sequential scan of `events`, and the
 *    cached plan stayed one as the table grew: every batched append on a long-lived connection read the whole
 *    table (`npm run bench`: batched appends at 0.09–0.35 × COPY; 0.7 × with this). Every statement here has
 *    an index for what it looks up (the stream row by key, event ids, one transaction's events of a stream);
 *  - the idempotency look-up first asks whether any id is stored (`EXISTS`, one index probe per id) and only
 *    then returns the stored rows: the usual append stores none, and skipping the returning query took single
 *    appends from 0.56 to 0.67 × a single-row INSERT (8 writers, same run).
 */
export class AppendToStreamIdProbes1763800070000 implements MigrationInterface {
  name = 'AppendToStreamIdProbes1763800070000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION append_to_stream(p_stream_id text, p_expected bigint, p_ids uuid[], p_events jsonb)
      RETURNS TABLE (o_outcome text, o_event_id text, o_stream_id text, o_revision bigint, o_commit text, o_prepare text, o_written int)
      LANGUAGE plpgsql
      SET enable_seqscan = off
      AS $fn$
      DECLARE
        v_current bigint;
        v_exists boolean;
        v_count int := cardinality(p_ids);
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('stream:' || current_schema() || ':' || p_stream_id, 0));
        LOOP
          SELECT s.revision INTO v_current FROM streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
          v_exists := FOUND;
          IF NOT v_exists THEN v_current := -1; END IF;

          IF EXISTS (SELECT 1 FROM events x WHERE x.event_id = ANY (p_ids)) THEN
            RETURN QUERY
              SELECT 'stored'::text, e.event_id::text, e.stream_id, e.stream_revision, e.transaction_id::text, e.global_position::text,
                     (SELECT count(*) FROM events o WHERE o.transaction_id = e.transaction_id AND o.stream_id = e.stream_id)::int
              FROM events e WHERE e.event_id = ANY (p_ids);
            RETURN;
          END IF;

          IF (p_expected = -1 AND v_exists) OR (p_expected >= 0 AND p_expected <> v_current) THEN
            RETURN QUERY SELECT 'wrong_revision'::text, NULL::text, p_stream_id, v_current, NULL::text, NULL::text, NULL::int;
            RETURN;
          END IF;

          IF v_exists THEN
            UPDATE streams s SET revision = v_current + v_count WHERE s.stream_id = p_stream_id;
            EXIT;
          END IF;
          INSERT INTO streams (stream_id, revision) VALUES (p_stream_id, v_count - 1) ON CONFLICT (stream_id) DO NOTHING;
          EXIT WHEN FOUND;
          -- another append created the stream meanwhile (and committed): lock its row and look again
        END LOOP;

        RETURN QUERY
          WITH inserted AS (
            INSERT INTO events (stream_id, stream_revision, event_id, type, data, metadata)
            SELECT p_stream_id, v_current + x.ord, p_ids[x.ord], x.e->>'type', x.e->'data', x.e->'metadata'
            FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
            ORDER BY x.ord
            RETURNING global_position)
          SELECT 'appended'::text, NULL::text, p_stream_id, v_current + v_count, pg_current_xact_id()::text, max(i.global_position)::text, v_count
          FROM inserted i;

        IF pg_try_advisory_xact_lock(hashtextextended('event_store_appended:' || current_schema(), 0)) THEN
          PERFORM pg_notify('event_store_appended', '');
        END IF;
      END
      $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await new AppendToStreamFunction1763800060000().down(queryRunner);
    await new AppendToStreamFunction1763800060000().up(queryRunner);
  }
}
