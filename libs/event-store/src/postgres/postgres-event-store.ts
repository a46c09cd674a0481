import type pg from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { GroupedWrites } from '../grouped-writes.js';
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
  type ReadStreamsOptions,
  type RecordedEvent,
} from '../event-store.port.js';
import { EVENT_COLUMNS, eventColumnsWithPayloadOf, positionParams, toRecordedEvent, type EventRow } from './event-row.js';
import { pgError, UNIQUE_VIOLATION } from './pg-error.js';
import { matchRetriedBatch } from './retried-batch.js';

/** NOTIFY channel sent on every append: a wake-up hint for live subscribers, never needed for correctness. */
export const APPEND_NOTIFY_CHANNEL = 'event_store_appended';

export interface PostgresEventStoreOptions {
  /**
   * Test hook: runs inside the append transaction after the events and the stream row are written,
   * just before COMMIT. A rejection rolls the append back. Used to hold a transaction open (the gap
   * problem) and to kill a process mid-append.
   */
  readonly beforeCommit?: (streamId: string, events: readonly EventToAppend[]) => Promise<void>;
  /**
   * How many append statements may be in flight at once (default 2); appends that arrive while all are busy
   * wait and then go together, in one statement and one commit (GroupedWrites). 0 sends every append alone, as
   * soon as it arrives.
   */
  readonly appendStatements?: number;
  /**
   * The append and read statements as named prepared statements, parsed and planned once per connection
   * (single appends ~0.69 → ~0.75 × a raw INSERT, `tsx test/bench/store-quick.ts`). Only on a PostgreSQL
   * server: the embedded PGlite is one session shared by every pooled client, where a name is taken once.
   */
  readonly preparedStatements?: boolean;
}

/**
 * Only transactions below the oldest one still running are read: they can no longer commit or roll
 * back, so nothing can later appear before a position already handed out. Within that horizon the log
 * is ordered by (transaction id, global position), and that pair is the position a reader checkpoints.
 */
const VISIBLE_HORIZON = `transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;
const AFTER_POSITION = `(transaction_id, global_position) > ($1::text::xid8, $2::bigint)`;

const APPEND_SQL = `SELECT o_outcome, o_event_id, o_stream_id, o_revision::text AS o_revision, o_commit, o_prepare, o_written
  FROM append_to_stream($1, $2::bigint, $3::uuid[], $4::jsonb)`;
const APPEND_MANY_SQL = `SELECT o_item, o_outcome, o_event_id, o_stream_id, o_revision::text AS o_revision, o_commit, o_prepare, o_written
  FROM append_to_streams($1::text[], $2::bigint[], $3::jsonb, $4::jsonb)`;

/** most appends one append_to_streams statement carries */
const MAX_APPENDS_PER_STATEMENT = 64;

/** one append as append_to_stream takes it */
interface AppendParams {
  readonly streamId: string;
  readonly expected: number;
  readonly ids: readonly string[];
  /** the events' type, data and metadata, as one JSON array */
  readonly events: string;
}

/** A column append_to_stream fills for the outcome at hand (stored and appended rows carry ids and positions). */
function returned<T>(value: T | null, column: string, streamId: string): T {
  if (value === null) throw new Error(`append_to_stream returned no ${column} for ${streamId}`);
  return value;
}

interface AppendRow {
  o_outcome: 'appended' | 'stored' | 'wrong_revision';
  o_event_id: string | null;
  o_stream_id: string;
  o_revision: string;
  o_commit: string | null;
  o_prepare: string | null;
  o_written: number | null;
}

interface AppendManyRow extends AppendRow {
  o_item: number;
}

/** told after an append of this process committed */
export type AppendedListener = (result: AppendResult, streamId: string) => void;

export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  private readonly appendListeners = new Set<AppendedListener>();
  private readonly appends: GroupedWrites<AppendParams, AppendRow[]>;

  /** The DataSource is the caller's: close() leaves it open. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    this.appends = new GroupedWrites((appends) => this.appendStatement(appends), {
      concurrency: options.appendStatements ?? 2,
      maxPerStatement: MAX_APPENDS_PER_STATEMENT,
      key: (append) => append.streamId,
    });
  }

  /**
   * The store's own statements go straight to the driver's pool (the same connections, schema and settings):
   * TypeORM's `DataSource.query` wraps each one in a QueryRunner, which cost ~50 µs of CPU per statement here,
   * as much again as the `pg` driver's own work (`tsx test/bench/store-quick.ts`).
   */
  private async query<T>(sql: string, params: readonly unknown[] = [], name?: string): Promise<T[]> {
    const pool = (this.dataSource.driver as { master?: pg.Pool }).master;
    if (!pool) return this.dataSource.query<T[]>(sql, [...params]);
    const prepared = name !== undefined && this.options.preparedStatements === true;
    return (await pool.query({ ...(prepared ? { name } : {}), text: sql, values: [...params] })).rows as T[];
  }

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
    const ids = events.map((e) => e.id);
    const append: AppendParams = {
      streamId,
      expected: expected === 'any' ? -2 : expected === 'no_stream' ? -1 : expected,
      ids,
      events: JSON.stringify(events.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }))),
    };
    const hook = this.options.beforeCommit;
    // one statement, one round trip, its own transaction (migration 1763800060000), or shared with the appends of
    // other callers that waited for a free statement (append_to_streams, migration 1763800110000)
    const rows = hook
      ? await this.inTransaction(async (qr) => {
          const r = (await qr.query(APPEND_SQL, [append.streamId, append.expected, append.ids, append.events])) as AppendRow[];
          if (r[0]?.o_outcome !== 'appended') return { result: r, commit: false };
          await hook(streamId, events);
          return { result: r, commit: true };
        })
      : this.options.appendStatements === 0
        ? await this.appendStatement([append]).then((r) => r[0])
        : await this.appends.submit(append);

    const first = rows.at(0);
    if (!first) throw new Error(`append_to_stream returned nothing for ${streamId}`);
    if (first.o_outcome === 'stored') {
      return matchRetriedBatch(
        streamId,
        ids,
        expected,
        rows.map((r) => ({
          eventId: returned(r.o_event_id, 'o_event_id', streamId),
          streamId: r.o_stream_id,
          revision: Number(r.o_revision),
          transactionId: BigInt(returned(r.o_commit, 'o_commit', streamId)),
          globalPosition: BigInt(returned(r.o_prepare, 'o_prepare', streamId)),
          writtenInTransaction: Number(r.o_written),
        })),
      );
    }
    const revision = Number(first.o_revision);
    if (first.o_outcome === 'wrong_revision')
      throw new WrongExpectedRevisionError(streamId, expected, revision === -1 ? 'no_stream' : revision);
    const result: AppendResult = {
      nextExpectedRevision: revision,
      position: {
        commit: BigInt(returned(first.o_commit, 'o_commit', streamId)),
        prepare: BigInt(returned(first.o_prepare, 'o_prepare', streamId)),
      },
    };
    for (const listener of this.appendListeners) {
      try {
        listener(result, streamId);
      } catch {
        // a wake-up hint must never fail an append that committed
      }
    }
    return result;
  }

  /**
   * One append alone (append_to_stream, migration 1763800060000), or several to different streams in one
   * transaction (append_to_streams, migration 1763800110000); the rows come back per append, in the order given.
   */
  private async appendStatement(appends: readonly AppendParams[]): Promise<AppendRow[][]> {
    if (appends.length === 1) {
      const [a] = appends;
      return [await this.query<AppendRow>(APPEND_SQL, [a.streamId, a.expected, a.ids, a.events], 'es_append')];
    }
    const rows = await this.query<AppendManyRow>(
      APPEND_MANY_SQL,
      [
        appends.map((a) => a.streamId),
        appends.map((a) => a.expected),
        JSON.stringify(appends.map((a) => a.ids)),
        `[${appends.map((a) => a.events).join(',')}]`,
      ],
      'es_append_many',
    );
    const perAppend = appends.map((): AppendRow[] => []);
    for (const row of rows) perAppend[row.o_item - 1].push(row);
    return perAppend;
  }

  /**
   * In-process append hook: `listener` is told after every append of this store instance has committed
   * (the embedded mode's wake-up, where LISTEN does not exist; on PostgreSQL it spares the round trip
   * through NOTIFY for this process's own subscribers). Returns the unsubscribe function.
   */
  onAppended(listener: AppendedListener): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
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
    const rows = await this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE stream_id = $1 AND stream_revision >= $2
       ORDER BY stream_revision LIMIT $3`,
      [streamId, options.fromRevision ?? 0, options.maxCount ?? null],
    );
    return rows.map(toRecordedEvent);
  }

  async readStreams(streamIds: readonly string[], options: ReadStreamsOptions = {}): Promise<Map<string, RecordedEvent[]>> {
    const read = new Map<string, RecordedEvent[]>(streamIds.map((id) => [id, []]));
    if (streamIds.length === 0) return read;
    const ids = [...read.keys()];
    // each stream's range of the (stream_id, stream_revision) index: a tail past a caller's copy reads only the tail
    const rows = await this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM unnest($1::text[], $2::bigint[]) AS wanted(wanted_id, from_revision)
       CROSS JOIN LATERAL (SELECT * FROM events WHERE stream_id = wanted_id AND stream_revision >= from_revision) e
       ORDER BY stream_id, stream_revision`,
      [ids, ids.map((id) => options.fromRevisions?.get(id) ?? 0)],
      'es_read_streams',
    );
    for (const row of rows) read.get(row.stream_id)?.push(toRecordedEvent(row));
    return read;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const categories = options.payloadCategories;
    const rows = await this.query<EventRow>(
      `SELECT ${categories ? eventColumnsWithPayloadOf(4) : EVENT_COLUMNS} FROM events
       WHERE ${VISIBLE_HORIZON} AND ${AFTER_POSITION}
       ORDER BY transaction_id, global_position LIMIT $3`,
      [...positionParams(options.after ?? START), options.maxCount, ...(categories ? [categories] : [])],
      categories ? 'es_read_all_with_payloads' : 'es_read_all',
    );
    return rows.map(toRecordedEvent);
  }

  async headPosition(): Promise<Position> {
    const rows = await this.query<{ commit_text: string; prepare_text: string }>(
      `SELECT transaction_id::text AS commit_text, global_position::text AS prepare_text FROM events
       WHERE ${VISIBLE_HORIZON}
       ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    return rows.length === 0 ? START : { commit: BigInt(rows[0].commit_text), prepare: BigInt(rows[0].prepare_text) };
  }

  async countEventsAfter(after: Position): Promise<number> {
    const [{ n }] = await this.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM events WHERE ${VISIBLE_HORIZON} AND ${AFTER_POSITION}`,
      positionParams(after),
    );
    return Number(n);
  }

  async close(): Promise<void> {
    // nothing of its own to release
  }
}
