import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#app/event-store';

const TABLE = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The events of a batch this projection has not applied yet, by (stream, revision): a table
 * `(stream_id text PRIMARY KEY, revision bigint)` of the projection's own remembers the last revision
 * applied per stream. The durable subscription already commits effects and checkpoint together, so a
 * batch is never applied twice; this makes `apply` idempotent by itself as well (a redelivered or
 * overlapping batch changes nothing), which matters for effects that count, like a calendar SEQUENCE.
 * Runs in the caller's transaction; the new revisions commit with the effects.
 */
export async function unseenEvents(manager: EntityManager, table: string, events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
  if (!TABLE.test(table)) throw new Error(`"${table}" is not a plain table name.`);
  if (events.length === 0) return [];
  const streams = [...new Set(events.map((e) => e.streamId))];
  const rows = await manager.query<
    Array<{
      stream_id: string;
      revision: string;
    }>
  >(`SELECT stream_id, revision::text AS revision FROM ${table} WHERE stream_id = ANY($1)`, [streams]);
  const seen = new Map(rows.map((r) => [r.stream_id, Number(r.revision)]));
  const fresh: RecordedEvent[] = [];
  const advanced = new Map<string, number>();
  for (const event of events) {
    if (event.revision <= (seen.get(event.streamId) ?? -1)) continue;
    seen.set(event.streamId, event.revision);
    advanced.set(event.streamId, event.revision);
    fresh.push(event);
  }
  if (advanced.size > 0) {
    await manager.query(
      `INSERT INTO ${table} (stream_id, revision) SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (stream_id) DO UPDATE SET revision = GREATEST(${table}.revision, EXCLUDED.revision)`,
      [[...advanced.keys()], [...advanced.values()]],
    );
  }
  return fresh;
}
