import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START as ESDB_START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AllStreamRecordedEvent,
  type JSONType,
  type ReadPosition,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { validateAppend } from '../append-validation.js';
import {
  START,
  WrongExpectedRevisionError,
  comparePositions,
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
import { fromEsdbPosition, fromEsdbRevision, isSystemEvent, toEsdbExpectedRevision } from './eventstoredb-mapping.js';

/**
 * The event store in EventStoreDB (`@eventstore/db-client` 6.2). Differences from the PostgreSQL
 * adapter that callers must design for:
 *  - Idempotency by event id is guaranteed only when the retry carries an exact expected revision (a
 *    number or 'no_stream'); with 'any' the server only does its best, and a stored id may be written
 *    again in another batch or stream.
 *  - This client has no multi-stream atomic append: one call writes one stream. A command that must
 *    change two streams needs a process manager with idempotent follow-up appends.
 *  - The global position is the server's (commit, prepare) transaction-file position.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;

  constructor(private readonly client: EventStoreDBClient) {}

  async appendToStream(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    validateAppend(streamId, events, expectedRevision);
    const data = events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data as JSONType, metadata: e.metadata }));
    try {
      const result = await this.client.appendToStream(streamId, data, { expectedRevision: toEsdbExpectedRevision(expectedRevision) });
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      // The reply's position is that of the write, which for a batch (or an idempotent retry) need not
      // be the last event's $all position; waiting for "caught up to X" needs exactly that, so it is read.
      const position =
        (await this.positionOfRevision(streamId, nextExpectedRevision)) ?? (result.position ? fromEsdbPosition(result.position) : START);
      return { nextExpectedRevision, position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, expectedRevision, fromEsdbRevision(error.actualVersion));
      }
      throw error;
    }
  }

  /** EventStoreDB reads one stream per call: the reads go side by side */
  async readStreams(streamIds: readonly string[], options: ReadStreamsOptions = {}): Promise<Map<string, RecordedEvent[]>> {
    const read = await Promise.all(streamIds.map((id) => this.readStream(id, { fromRevision: options.fromRevisions?.get(id) ?? 0 })));
    return new Map(streamIds.map((id, i) => [id, read[i]]));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: BigInt(options.fromRevision ?? 0),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of read) {
        if (resolved.event) out.push(toRecordedEvent(resolved.event, resolved.commitPosition));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  /** `payloadCategories` is a hint this adapter ignores: every event comes with its payload */
  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const after = options.after ?? START;
    const out: RecordedEvent[] = [];
    let from: ReadPosition = after.commit < 0n ? ESDB_START : { commit: after.commit, prepare: after.prepare };
    let boundary = after;
    // $all interleaves system events, which are skipped, so a page may have to be read in several calls.
    // One extra event per call covers a server that returns the event at `fromPosition` itself.
    while (out.length < options.maxCount) {
      const want = options.maxCount - out.length + 1;
      let seen = 0;
      let last: Position | undefined;
      for await (const resolved of this.client.readAll({
        fromPosition: from,
        maxCount: want,
        direction: FORWARDS,
        resolveLinkTos: false,
      })) {
        seen++;
        const event = resolved.event;
        if (!event) continue;
        const position = fromEsdbPosition(event.position);
        last = position;
        if (comparePositions(position, boundary) <= 0 || isSystemEvent(event)) continue;
        out.push(toRecordedEvent(event));
        if (out.length === options.maxCount) break;
      }
      if (seen < want || last === undefined) break;
      from = { commit: last.commit, prepare: last.prepare };
      boundary = last;
    }
    return out;
  }

  async headPosition(): Promise<Position> {
    let from: ReadPosition = END;
    for (let page = 0; page < 100; page++) {
      let seen = 0;
      let last: Position | undefined;
      for await (const resolved of this.client.readAll({
        fromPosition: from,
        maxCount: 100,
        direction: BACKWARDS,
        resolveLinkTos: false,
      })) {
        seen++;
        const event = resolved.event;
        if (!event) continue;
        if (!isSystemEvent(event)) return fromEsdbPosition(event.position);
        last = fromEsdbPosition(event.position);
      }
      if (seen < 100 || last === undefined) return START;
      from = { commit: last.commit, prepare: last.prepare };
    }
    throw new Error('No user event among the newest 10,000 events of $all.');
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** The $all position of one event; undefined on servers before 22.6, which do not report it on stream reads. */
  private async positionOfRevision(streamId: string, revision: number): Promise<Position | undefined> {
    for await (const resolved of this.client.readStream(streamId, { direction: FORWARDS, fromRevision: BigInt(revision), maxCount: 1 })) {
      return resolved.event?.position ? fromEsdbPosition(resolved.event.position) : undefined;
    }
    return undefined;
  }
}

export function connectEventStoreDb(connectionString: string): Promise<EventStoreDbEventStore> {
  // a promise, so a later version may wait for the connection without changing its callers
  return Promise.resolve(new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString)));
}

function toRecordedEvent(event: EsdbRecordedEvent | AllStreamRecordedEvent, commitPosition?: bigint): RecordedEvent {
  const position = event.position ? fromEsdbPosition(event.position) : { commit: commitPosition ?? -1n, prepare: commitPosition ?? -1n };
  return {
    id: event.id,
    streamId: event.streamId,
    revision: Number(event.revision),
    position,
    type: event.type,
    data: event.data,
    metadata: (event.metadata ?? {}) as Record<string, unknown>,
    createdAt: event.created,
  };
}
