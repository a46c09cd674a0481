import type { PoolClient } from 'pg';
import copyStreams from 'pg-copy-streams';

/** Deterministic data for the benchmarks: every run with the same seed writes the same bytes. */

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)) */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** uuid v4 shape from the PRNG (never random: runs are reproducible) */
export function uuidFrom(random: () => number): string {
  const hex: string[] = [];
  for (let i = 0; i < 4; i++)
    hex.push(
      Math.floor(random() * 0x100000000)
        .toString(16)
        .padStart(8, '0'),
    );
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface BenchEvent {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

/** an event of realistic size (~450 bytes of JSON), shaped like the API's SeatReserved with its metadata */
export function benchEvent(random: () => number, streamId: string): BenchEvent {
  return {
    id: uuidFrom(random),
    type: 'BenchSeatReserved',
    data: {
      teamId: streamId,
      courseId: uuidFrom(random),
      referralDate: '2027-10-01',
      relatives: random() < 0.3 ? [{ age: 40 + Math.floor(random() * 40) }] : [],
      reservedAt: '2027-10-20T09:15:00+02:00',
    },
    metadata: {
      schemaVersion: 1,
      actor: { staffId: `S${Math.floor(random() * 100)}`, roles: ['secretary'] },
      clinicId: 'smertecenter-syd',
      correlationId: uuidFrom(random),
      occurredAt: '2027-10-20T09:15:00.000Z',
      reason: 'Booked by phone with the patient',
    },
  };
}

/**
 * The raw-read baseline: the events table in global order, keyset-paged (`$1` the last position, `$2` rows), the
 * columns the store's reads take (the time as whole milliseconds, as libs/event-store's event-row.ts reads it)
 */
export const RAW_READ_SQL = `SELECT event_id::text AS id, stream_id, stream_revision::text AS revision_text, transaction_id::text AS commit_text,
    global_position::text AS prepare_text, type, data, metadata, floor(extract(epoch FROM created_at) * 1000)::bigint::text AS created_ms
  FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`;

/** DDL of a table shaped like `events` (same columns, types, defaults, keys and indexes) for the raw baselines */
export const RAW_EVENTS_DDL = `
  CREATE TABLE raw_events (
    global_position bigserial PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id text NOT NULL,
    stream_revision bigint NOT NULL,
    event_id uuid NOT NULL,
    type text NOT NULL,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT raw_events_stream_revision_key UNIQUE (stream_id, stream_revision),
    CONSTRAINT raw_events_event_id_key UNIQUE (event_id)
  );
  CREATE INDEX raw_events_transaction_position_idx ON raw_events (transaction_id, global_position);`;

/** COPY text format: backslash, tab, newline and carriage return escaped */
function copyText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export interface CopyRow {
  readonly streamId: string;
  readonly revision: number;
  readonly event: BenchEvent;
}

export function copyLine(row: CopyRow): string {
  return copyLineJson(
    row.streamId,
    row.revision,
    row.event.id,
    row.event.type,
    JSON.stringify(row.event.data),
    JSON.stringify(row.event.metadata),
  );
}

/** a COPY line from already serialised data and metadata */
export function copyLineJson(streamId: string, revision: number, id: string, type: string, dataJson: string, metadataJson: string): string {
  return `${copyText(streamId)}\t${revision}\t${id}\t${copyText(type)}\t${copyText(dataJson)}\t${copyText(metadataJson)}\n`;
}

/** COPY the rows into `table` (events-shaped) on this client, as one statement (one transaction unless the client has one open) */
export async function copyRows(client: PoolClient, table: string, lines: Iterable<string>, chunkBytes = 1 << 20): Promise<void> {
  const stream = client.query(copyStreams.from(`COPY ${table} (stream_id, stream_revision, event_id, type, data, metadata) FROM STDIN`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', () => resolve());
    stream.on('error', reject);
  });
  let buffer: string[] = [];
  let size = 0;
  for (const line of lines) {
    buffer.push(line);
    size += line.length;
    if (size >= chunkBytes) {
      if (!stream.write(buffer.join(''))) await new Promise((r) => stream.once('drain', r));
      buffer = [];
      size = 0;
    }
  }
  if (buffer.length > 0) stream.write(buffer.join(''));
  stream.end();
  await done;
}
