import type { DataSource, QueryRunner } from 'typeorm';
import { validateAppend } from '../append-validation.js';
import {
  START,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
} from '../event-store.port.js';
import { EVENT_COLUMNS, positionParams, toRecordedEvent, type EventRow } from './event-row.js';
import { pgError, UNIQUE_VIOLATION } from './pg-error.js';
import { matchRetriedBatch, type StoredEventRow } from './retried-batch.js';

/** NOTIFY channel sent on every append: a wake-up hint for live subscribers, never needed for correctness. */
export const APPEND_NOTIFY_CHANNEL = 'event_store_appended';

export interface PostgresEventStoreOptions {
  /**
   * Test hook: runs inside the append transaction after the events and the stream row are written,
   * just before COMMIT. A rejection rolls the append back. Used to hold a transaction open (the gap
   * problem) and to kill a process mid-append.
   */
  readonly beforeCommit?: (streamId: string, events: readonly EventToAppend[]) => Promise<void>;
}

/**
 * Only transactions below the oldest one still running are read: they can no longer commit or roll
 * back, so nothing can later appear before a position already handed out. Within that horizon the log
 * is ordered by (transaction id, global position), and that pair is the position a reader checkpoints.
 */
const VISIBLE_HORIZON = `transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;
const AFTER_POSITION = `(transaction_id, global_position) > ($1::text::xid8, $2::bigint)`;

export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;

  /** The DataSource is the caller's: close() leaves it open. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: PostgresEventStoreOptions = {},
  ) {}

  async appendToStream(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    validateAppend(streamId, events, expectedRevision);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.appendOnce(streamId, events, expectedRevision);
      } catch (error) {
        // Last guard of idempotency: a racing write stored one of these ids after our check. Checking
        // again now sees that write committed: an identical retry succeeds, anything else is refused.
        const { code, constraint } = pgError(error);
        if (code === UNIQUE_VIOLATION && constraint === 'events_event_id_key' && attempt < 3) continue;
        throw error;
      }
    }
  }

  private async appendOnce(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.inTransaction(async (qr) => {
      await qr.query(`INSERT INTO streams (stream_id, revision) VALUES ($1, -1) ON CONFLICT (stream_id) DO NOTHING`, [streamId]);
      const [{ revision_text }] = (await qr.query(`SELECT revision::text AS revision_text FROM streams WHERE stream_id = $1 FOR UPDATE`, [
        streamId,
      ])) as Array<{ revision_text: string }>;
      const current = Number(revision_text); // -1: the stream has no events (the row is ours, uncommitted)

      const ids = events.map((e) => e.id);
      const stored = await this.storedWithIds(qr, ids);
      if (stored.length > 0) return { result: matchRetriedBatch(streamId, ids, expected, stored), commit: false };

      if (expected === 'no_stream' ? current !== -1 : expected !== 'any' && expected !== current) {
        throw new WrongExpectedRevisionError(streamId, expected, current === -1 ? 'no_stream' : current);
      }

      const payload = JSON.stringify(events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })));
      const inserted = (await qr.query(
        `INSERT INTO events (stream_id, stream_revision, event_id, type, data, metadata)
         SELECT $1, $2::bigint + x.ord, (x.e->>'id')::uuid, x.e->>'type', x.e->'data', x.e->'metadata'
         FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x(e, ord)
         ORDER BY x.ord
         RETURNING transaction_id::text AS commit_text, global_position::text AS prepare_text`,
        [streamId, current, payload],
      )) as Array<{ commit_text: string; prepare_text: string }>;
      const next = current + events.length;
      await qr.query(`UPDATE streams SET revision = $2 WHERE stream_id = $1`, [streamId, next]);
      await qr.query(`SELECT pg_notify($1, '')`, [APPEND_NOTIFY_CHANNEL]);
      await this.options.beforeCommit?.(streamId, events);

      const last = inserted.reduce((a, b) => (BigInt(b.prepare_text) > BigInt(a.prepare_text) ? b : a));
      const position = { commit: BigInt(last.commit_text), prepare: BigInt(last.prepare_text) };
      return { result: { nextExpectedRevision: next, position }, commit: true };
    });
  }

  private async storedWithIds(qr: QueryRunner, ids: readonly string[]): Promise<StoredEventRow[]> {
    const rows = (await qr.query(
      `SELECT e.event_id::text AS id, e.stream_id, e.stream_revision::text AS revision_text,
              e.transaction_id::text AS commit_text, e.global_position::text AS prepare_text,
              (SELECT count(*) FROM events o WHERE o.transaction_id = e.transaction_id AND o.stream_id = e.stream_id)::int AS written
       FROM events e WHERE e.event_id = ANY($1::uuid[])`,
      [ids],
    )) as Array<{ id: string; stream_id: string; revision_text: string; commit_text: string; prepare_text: string; written: number }>;
    return rows.map((r) => ({
      eventId: r.id,
      streamId: r.stream_id,
      revision: Number(r.revision_text),
      transactionId: BigInt(r.commit_text),
      globalPosition: BigInt(r.prepare_text),
      writtenInTransaction: r.written,
    }));
  }

  private async inTransaction<T>(work: (qr: QueryRunner) => Promise<{ result: T; commit: boolean }>): Promise<T> {
    const qr = this.dataSource.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction('READ COMMITTED');
      const { result, commit } = await work(qr);
      if (commit) await qr.commitTransaction();
      else await qr.rollbackTransaction();
      return result;
    } catch (error) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await qr.release();
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE stream_id = $1 AND stream_revision >= $2
       ORDER BY stream_revision LIMIT $3`,
      [streamId, options.fromRevision ?? 0, options.maxCount ?? null],
    )) as EventRow[];
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE ${VISIBLE_HORIZON} AND ${AFTER_POSITION}
       ORDER BY transaction_id, global_position LIMIT $3`,
      [...positionParams(options.after ?? START), options.maxCount],
    )) as EventRow[];
    return rows.map(toRecordedEvent);
  }

  async headPosition(): Promise<Position> {
    const rows = (await this.dataSource.query(
      `SELECT transaction_id::text AS commit_text, global_position::text AS prepare_text FROM events
       WHERE ${VISIBLE_HORIZON}
       ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    )) as Array<{ commit_text: string; prepare_text: string }>;
    return rows.length === 0 ? START : { commit: BigInt(rows[0].commit_text), prepare: BigInt(rows[0].prepare_text) };
  }

  async countEventsAfter(after: Position): Promise<number> {
    const [{ n }] = (await this.dataSource.query(
      `SELECT count(*)::text AS n FROM events WHERE ${VISIBLE_HORIZON} AND ${AFTER_POSITION}`,
      positionParams(after),
    )) as Array<{ n: string }>;
    return Number(n);
  }

  async close(): Promise<void> {
    // nothing of its own to release
  }
}
