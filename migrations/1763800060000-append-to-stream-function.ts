import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * append_to_stream: a whole append in one statement (one round trip, one implicit transaction), like
 * Emmett's emt_append_to_stream or SQLStreamStore's append_to_stream. In order:
 *  1. take the stream's lock (a transaction-level advisory lock on `stream:<schema>:<stream id>`, then the
 *     row FOR UPDATE): appends to one stream take turns, other streams go on. The advisory lock comes
 *     first because it needs no transaction id: the id (which orders the global log) is assigned only
 *     after the lock is held, so for each stream the log order is the revision order. With the row lock
 *     alone, two appends creating one stream race in the unique index, and the loser, whose id was
 *     assigned during that race, could hold a smaller id than the winner and be read before it;
 *  2. idempotency: events with any of these ids already stored → returns them ('stored'), writes nothing;
 *     the caller decides whether that is a retry of the same write or a duplicate id (retried-batch.ts);
 *  3. compare-and-set on the expected revision (-2 any, -1 no stream, n ≥ 0 exactly n) → 'wrong_revision'
 *     with the current revision (-1: no stream), writes nothing;
 *  4. inserts the events in batch order (so global positions follow revisions) and moves the stream row;
 *  5. the wake-up NOTIFY for listeners in other processes, at most one in flight (see below) → 'appended'.
 *
 * Every statement of a VOLATILE function in READ COMMITTED takes a fresh snapshot, so steps 2 and 3 see
 * what whoever held the stream's lock before us committed. Two appends creating one stream: the second
 * waits for the first's lock, then finds the row like any other append (the ON CONFLICT loop remains for
 * a row written outside this function).
 * Gap safety is unchanged: the rows get `transaction_id = pg_current_xact_id()` and readers still read
 * only below pg_snapshot_xmin.
 *
 * The NOTIFY is gated by a transaction-level advisory try-lock: PostgreSQL serialises the commits of
 * notifying transactions (a cluster-wide lock held until the commit is flushed), which would forbid group
 * commit between concurrent appends. With the gate, one append notifies while concurrent ones skip it:
 * those commit within moments of the notifying one, and a woken subscriber keeps looking (back-off from
 * a few ms) and finds them; a wake-up is only a hint, subscribers still poll (with back-off) without one.
 *
 * Unqualified names: resolved through the caller's search_path like every other query of the store.
 */
export class AppendToStreamFunction1763800060000 implements MigrationInterface {
  name = 'AppendToStreamFunction1763800060000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION append_to_stream(p_stream_id text, p_expected bigint, p_ids uuid[], p_events jsonb)
      RETURNS TABLE (o_outcome text, o_event_id text, o_stream_id text, o_revision bigint, o_commit text, o_prepare text, o_written int)
      LANGUAGE plpgsql AS $fn$
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

          RETURN QUERY
            SELECT 'stored'::text, e.event_id::text, e.stream_id, e.stream_revision, e.transaction_id::text, e.global_position::text,
                   (SELECT count(*) FROM events o WHERE o.transaction_id = e.transaction_id AND o.stream_id = e.stream_id)::int
            FROM events e WHERE e.event_id = ANY (p_ids);
          IF FOUND THEN RETURN; END IF;

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
    await queryRunner.query(`DROP FUNCTION append_to_stream(text, bigint, uuid[], jsonb)`);
  }
}
