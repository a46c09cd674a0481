import type { Position, RecordedEvent } from '../event-store.port.js';

/**
 * The time an event was stored, in whole milliseconds since 1970 (what a Date holds; the microseconds are cut
 * off as the driver's own timestamp parser does): a number is far cheaper to read than the timestamp text,
 * whose parsing was 5 % of the API's CPU while projections caught up.
 */
const CREATED_MS = `floor(extract(epoch FROM created_at) * 1000)::bigint::text AS created_ms`;

/**
 * The columns every read selects, `data` and `metadata` given as expressions; bigint-ish columns as text so nothing
 * is rounded through a JS number. The text columns get names of their own: an output column named like a table
 * column would be what ORDER BY sorts by, as text.
 */
const columns = (data: string, metadata: string): string => `
  event_id::text AS id, stream_id, stream_revision::text AS revision_text,
  transaction_id::text AS commit_text, global_position::text AS prepare_text,
  type, ${data} AS data, ${metadata} AS metadata, ${CREATED_MS}`;

export const EVENT_COLUMNS = columns('data', 'metadata');

/**
 * EVENT_COLUMNS, with the payload (data, metadata) only for streams of the categories in parameter `$n`
 * (text[]); other events come back with both null: nothing to send and nothing to parse (ReadAllOptions.payloadCategories).
 */
export function eventColumnsWithPayloadOf(n: number): string {
  const wanted = `split_part(stream_id, '-', 1) = ANY ($${n}::text[])`;
  return columns(`CASE WHEN ${wanted} THEN data END`, `CASE WHEN ${wanted} THEN metadata END`);
}

export interface EventRow {
  id: string;
  stream_id: string;
  revision_text: string;
  commit_text: string;
  prepare_text: string;
  type: string;
  data: unknown;
  /** null only where the read left the payload out */
  metadata: Record<string, unknown> | null;
  created_ms: string;
}

/** the metadata of an event read without its payload */
const NO_METADATA: Record<string, unknown> = Object.freeze({});

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    streamId: row.stream_id,
    revision: Number(row.revision_text),
    position: { commit: BigInt(row.commit_text), prepare: BigInt(row.prepare_text) },
    type: row.type,
    data: row.data,
    metadata: row.metadata ?? NO_METADATA,
    createdAt: new Date(Number(row.created_ms)),
  };
}

/** START is (-1, -1); no xid8 is negative, and 0 is never a real transaction id. */
export function positionParams(after: Position): [string, string] {
  return after.commit < 0n ? ['0', '-1'] : [after.commit.toString(), after.prepare.toString()];
}
