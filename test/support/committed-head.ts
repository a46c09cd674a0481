import type { DataSource } from 'typeorm';
import { START, type Position } from '#app/event-store';

/**
 * The last event committed to this database's log, read from the events table WITHOUT the store's
 * visibility horizon. `EventStore.headPosition()` only names events below `pg_snapshot_xmin`, and that
 * horizon is server-wide: any transaction open anywhere on the PostgreSQL server (another suite's schema,
 * another helper's run, a long projection batch) holds it back. Under load `headPosition()` can therefore
 * stay at an older position for a while, although the test's own later writes are already committed; a
 * test that waits for "the head" must wait for this position instead (the runners reach it once the
 * horizon has passed it, so reading up to it stays gap-safe).
 */
export async function committedHead(dataSource: DataSource): Promise<Position> {
  const rows = await dataSource.query<Array<{ commit_text: string; prepare_text: string }>>(
    `SELECT transaction_id::text AS commit_text, global_position::text AS prepare_text FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  );
  return rows.length === 0 ? START : { commit: BigInt(rows[0].commit_text), prepare: BigInt(rows[0].prepare_text) };
}
