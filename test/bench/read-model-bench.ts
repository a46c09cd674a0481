import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { PostgresEventStore } from '#app/event-store';
import { rebuildProjection, type Projection } from '#app/projections';
import { copyLineJson, copyRows, RAW_READ_SQL, uuidFrom } from './bench-data.js';
import { present } from '../support/present.js';

/**
 * Rebuild of every real read model from position 0, beside the raw sequential read of the same events.
 *
 * The events are the API's own (teams planned and staffed, courses referred, visited and enrolled, with the
 * course follow-ups: what the enrolment run wrote through the API), copied `copies` times into a fresh schema
 * with every uuid replaced per copy (so each copy is a new set of teams and courses with the same shape), in
 * log order. No archive events: every projection has work in what it reads. Each projection is then rebuilt
 * with the real rebuild (`rebuildProjection`: shadow tables, batches committed with their checkpoint, swap),
 * alternating with the baseline, a keyset read of the same table with the same batch size and columns.
 */

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const HAS_UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

interface SourceEvent {
  stream_id: string;
  stream_revision: string;
  type: string;
  data: string;
  metadata: string;
}

/** copies the events of `from` into `to` (`copies` times, fresh uuids per copy); returns how many were written */
export async function copyCourseAndTeamEvents(from: DataSource, to: DataSource, copies: number, random: () => number): Promise<number> {
  const events = await from.query<SourceEvent[]>(
    `SELECT stream_id, stream_revision::text, type, data::text AS data, metadata::text AS metadata FROM events ORDER BY transaction_id, global_position`,
  );
  const pool = (to.driver as unknown as { master: pg.Pool }).master;
  const client = await pool.connect();
  let written = 0;
  try {
    for (let k = 0; k < copies; k++) {
      const ids = new Map<string, string>();
      const remap = (text: string) => text.replace(UUID, (id) => ids.get(id) ?? (ids.set(id, uuidFrom(random)), present(ids.get(id))));
      const lines = events.map((e) => {
        // streams without a uuid (clinicians, catalogues) get a suffix per copy so (stream, revision) stays unique
        const streamId = HAS_UUID.test(e.stream_id) ? remap(e.stream_id) : `${e.stream_id}-copy${k}`;
        return copyLineJson(streamId, Number(e.stream_revision), uuidFrom(random), e.type, remap(e.data), remap(e.metadata));
      });
      await client.query('BEGIN');
      await copyRows(client, 'events', lines);
      await client.query('COMMIT');
      written += lines.length;
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  await to.query(`ANALYZE events`);
  return written;
}

export interface RebuildMeasurement {
  readonly name: string;
  readonly events: number;
  readonly perSecond: number;
  readonly rows: Readonly<Record<string, number>>;
}

/** the raw baseline: the whole events table in global order, `batch` rows per query (keyset), the columns readAll reads */
export async function rawRead(dataSource: DataSource, batch: number): Promise<{ count: number; perSecond: number }> {
  const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
  const start = performance.now();
  let after = '-1';
  let count = 0;
  for (;;) {
    const { rows } = await pool.query<{ prepare_text: string }>(RAW_READ_SQL, [after, batch]);
    if (rows.length === 0) break;
    count += rows.length;
    after = rows[rows.length - 1].prepare_text;
  }
  return { count, perSecond: count / ((performance.now() - start) / 1000) };
}

/** rebuilds `projection` from position 0 with the real rebuild (shadow tables and swap) */
export async function rebuildOnce(dataSource: DataSource, projection: Projection, batch: number): Promise<RebuildMeasurement> {
  const result = await rebuildProjection({ projection, source: new PostgresEventStore(dataSource), dataSource, batchSize: batch });
  return { name: result.name, events: result.events, perSecond: result.events / (result.durationMs / 1000), rows: result.rows };
}
