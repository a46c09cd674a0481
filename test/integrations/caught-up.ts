import { DataSource } from 'typeorm';
import { ProjectionRunner } from '#app/projections';
import type { TestApp } from '../support/test-app.js';

/**
 * Waits until every projection (the outbox included) has applied everything written so far. The position
 * is read from the events table without the store's visibility horizon: on a PostgreSQL server shared with
 * other suites, a long transaction elsewhere holds that horizon back, and `headPosition()` would then name
 * an older position than the writes this test has already seen committed.
 */
export async function caughtUp(t: TestApp, timeoutMs = 30_000): Promise<void> {
  const rows = await t.app
    .get(DataSource)
    .query<Array<{ commit_text: string; prepare_text: string }>>(
      `SELECT transaction_id::text AS commit_text, global_position::text AS prepare_text FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
  if (rows.length === 0) return;
  await t.app.get(ProjectionRunner).waitFor({ commit: BigInt(rows[0].commit_text), prepare: BigInt(rows[0].prepare_text) }, timeoutMs);
}
