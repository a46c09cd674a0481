import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * append_to_streams: several appends, each to a different stream, in one statement and one transaction (the
 * event store's group commit: concurrent callers' appends share a round trip and a commit). Each is exactly an
 * append_to_stream call, in the order given, and each gets its own outcome rows tagged with its place in the
 * list (`o_item`, from 1): a wrong expected revision or a stored retry of one append leaves the others as they
 * are. One stream appears at most once, so an append is still the only write of its transaction to its stream
 * (what an idempotent retry is matched against).
 *
 * Every stream's lock is taken first, before anything is written, in the order of the lock keys:
 *  - the log's order is (transaction id, position), and a transaction gets its id at its first write. Taken
 *    one append at a time, a transaction would get its id at its first stream and then wait for a later stream
 *    held by a transaction with a higher id: its events would come before that transaction's in the log though
 *    written after them, and a stream's revisions would be read out of order (the concurrency test found it).
 *    With all locks held before the first write, every earlier writer of these streams has committed;
 *  - two such transactions take their locks in the same order, so they cannot deadlock.
 */
export class AppendToStreamsFunction1763800110000 implements MigrationInterface {
  name = 'AppendToStreamsFunction1763800110000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION append_to_streams(p_stream_ids text[], p_expected bigint[], p_ids jsonb, p_events jsonb)
      RETURNS TABLE (o_item int, o_outcome text, o_event_id text, o_stream_id text, o_revision bigint, o_commit text, o_prepare text, o_written int)
      LANGUAGE plpgsql
      AS $fn$
      DECLARE
        v_key bigint;
      BEGIN
        FOR v_key IN
          SELECT DISTINCT hashtextextended('stream:' || current_schema() || ':' || s, 0) AS k FROM unnest(p_stream_ids) s ORDER BY k
        LOOP
          PERFORM pg_advisory_xact_lock(v_key);
        END LOOP;
        FOR i IN 1 .. cardinality(p_stream_ids) LOOP
          RETURN QUERY
            SELECT i, a.* FROM append_to_stream(
              p_stream_ids[i],
              p_expected[i],
              ARRAY(SELECT jsonb_array_elements_text(p_ids -> (i - 1)))::uuid[],
              p_events -> (i - 1)) a;
        END LOOP;
      END
      $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION append_to_streams(text[], bigint[], jsonb, jsonb)`);
  }
}
