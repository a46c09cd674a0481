import { Readable } from 'node:stream';
import {
  ANY,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
  type EventStoreDBClient,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
} from '@eventstore/db-client';

interface StoredEvent {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  data: unknown;
  metadata: unknown;
  created: Date;
  isJson: true;
  position: Position;
}

/**
 * An in-memory stand-in for the parts of EventStoreDBClient the adapter uses, for unit tests where no
 * server runs. It follows the server where the adapter depends on it: $all carries system events,
 * a retry of the batch written right after the expected revision succeeds, and `inclusive` decides
 * whether a read from a position returns the event at that position (the adapter copes with both).
 */
export class FakeEventStoreDbClient {
  private readonly log: StoredEvent[] = [];
  private nextPosition = 100n;

  constructor(private readonly inclusive: boolean) {
    this.write('$stats-127.0.0.1:2113', [{ id: crypto.randomUUID(), type: '$statsCollected', data: {}, metadata: {} }]);
  }

  asClient(): EventStoreDBClient {
    return this as unknown as EventStoreDBClient;
  }

  async appendToStream(
    streamName: string,
    events: EventData[],
    options: { expectedRevision?: AppendExpectedRevision } = {},
  ): Promise<AppendResult> {
    const expected = options.expectedRevision ?? ANY;
    const stream = this.log.filter((e) => e.streamId === streamName);
    const current = stream.length === 0 ? undefined : stream[stream.length - 1].revision;
    const matches = expected === ANY || (expected === NO_STREAM ? current === undefined : current === expected);
    if (!matches) {
      const start = expected === NO_STREAM ? 0 : typeof expected === 'bigint' ? Number(expected) + 1 : -1;
      const retried = start >= 0 && events.every((e, i) => stream[start + i]?.id === e.id);
      if (retried) return { success: true, nextExpectedRevision: BigInt(start + events.length - 1), position: stream[start].position };
      throw new WrongExpectedVersionError(undefined, { streamName, expected, current: current ?? NO_STREAM });
    }
    const written = this.write(
      streamName,
      events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
    );
    this.write('$stats-127.0.0.1:2113', [{ id: crypto.randomUUID(), type: '$statsCollected', data: {}, metadata: {} }]);
    // like the server: the write's position (its first event), not the last event's
    return { success: true, nextExpectedRevision: written[written.length - 1].revision, position: written[0].position };
  }

  readStream(streamName: string, options: ReadStreamOptions = {}): Readable {
    const from = typeof options.fromRevision === 'bigint' ? options.fromRevision : 0n;
    const stream = this.log.filter((e) => e.streamId === streamName);
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const out = stream.filter((e) => e.revision >= from).slice(0, max);
    if (stream.length === 0) {
      return Readable.from(
        (async function* () {
          yield* [];
          throw new StreamNotFoundError(undefined, streamName);
        })(),
      );
    }
    return Readable.from(out.map((event) => ({ event, commitPosition: event.position.commit })));
  }

  readAll(options: ReadAllOptions = {}): Readable {
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const from = options.fromPosition;
    const backwards = options.direction === 'backwards';
    const ordered = backwards ? [...this.log].reverse() : this.log;
    const after = (e: StoredEvent) => {
      if (from === undefined || from === 'start' || from === 'end') return true;
      const c = e.position.commit === from.commit ? 0 : e.position.commit < from.commit ? -1 : 1;
      if (backwards) return c < 0 || (this.inclusive && c === 0);
      return c > 0 || (this.inclusive && c === 0);
    };
    return Readable.from(
      ordered
        .filter(after)
        .slice(0, max)
        .map((event) => ({ event, commitPosition: event.position.commit })),
    );
  }

  async dispose(): Promise<void> {}

  private write(streamId: string, events: Array<{ id?: string; type: string; data: unknown; metadata: unknown }>): StoredEvent[] {
    const existing = this.log.filter((e) => e.streamId === streamId).length;
    const written = events.map((e, i) => {
      const position = { commit: this.nextPosition, prepare: this.nextPosition };
      this.nextPosition += 100n;
      return {
        streamId,
        id: e.id ?? crypto.randomUUID(),
        type: e.type,
        revision: BigInt(existing + i),
        data: JSON.parse(JSON.stringify(e.data)) as unknown,
        metadata: JSON.parse(JSON.stringify(e.metadata ?? {})) as unknown,
        created: new Date(),
        isJson: true as const,
        position,
      };
    });
    this.log.push(...written);
    return written;
  }
}
