/**
 * The event-store port. Every adapter (PostgreSQL, EventStoreDB) passes the same contract suite
 * (libs/event-store/src/testing/event-store.contract.ts).
 *
 * Events are plain JSON: what is read back is usable as-is (no classes in stored events).
 */

/** A place in the global log. Ordered by (commit, prepare); mirrors EventStoreDB's $all position.
 *  PostgreSQL: commit = the writing transaction id (xid8), prepare = the global sequence number. */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START: Position = Object.freeze({ commit: -1n, prepare: -1n });

/** 'no_stream': the stream must not exist; 'any': no check; a number: the stream's last revision (0-based). */
export type ExpectedRevision = 'no_stream' | 'any' | number;

export interface EventToAppend<D = unknown, M = Record<string, unknown>> {
  /** uuid; makes appends idempotent when retried with the same expected revision */
  readonly id: string;
  readonly type: string;
  readonly data: D;
  readonly metadata: M;
}

export interface RecordedEvent<D = unknown, M = Record<string, unknown>> {
  readonly id: string;
  readonly streamId: string;
  /** 0-based, gapless within the stream */
  readonly revision: number;
  readonly position: Position;
  readonly type: string;
  readonly data: D;
  readonly metadata: M;
  readonly createdAt: Date;
}

export interface AppendResult {
  /** revision of the last event in the stream after the append */
  readonly nextExpectedRevision: number;
  /** position of the last event written (or of the already stored batch on an idempotent retry) */
  readonly position: Position;
}

export interface ReadStreamOptions {
  /** inclusive; default 0 */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadStreamsOptions {
  /** per stream id, the first revision to return (0 for a stream not named) */
  readonly fromRevisions?: ReadonlyMap<string, number>;
}

export interface ReadAllOptions {
  /** exclusive: events strictly after this position; default START */
  readonly after?: Position;
  readonly maxCount: number;
  /**
   * A hint for readers that skip most of the log (a projection catching up over a large import): events of
   * streams whose category (the stream id up to its first dash, `team-…` → `team`) is not listed may come
   * back without their payload: `data` null and `metadata` empty; their id, stream, revision, type, position
   * and time are exact, and every event is still returned in order. Unset: every event in full. An adapter
   * may ignore it (EventStoreDB does).
   */
  readonly payloadCategories?: readonly string[];
}

export interface EventStore {
  readonly kind: 'postgres' | 'eventstoredb';
  /** Atomic for the batch: all events are stored, or none. */
  appendToStream(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order; [] when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Several streams at once (one round trip where the store allows it): each id's events, as readStream
   * would return them ([] for a stream that does not exist); a stream in `fromRevisions` from that revision
   * on (the events past a copy the caller keeps).
   */
  readStreams(streamIds: readonly string[], options?: ReadStreamsOptions): Promise<Map<string, RecordedEvent[]>>;
  /** The global log in position order. Never returns an event whose transaction may still roll back,
   *  and never skips one that commits later with a smaller position (the gap problem). */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the newest event readAll can currently return (START when the log is empty). */
  headPosition(): Promise<Position>;
  /** Optional, where cheap: how many events readAll can currently return after this position. */
  countEventsAfter?(after: Position): Promise<number>;
  /** Optional: tells `listener` after each append made through this instance has committed (a wake-up
   *  hint for subscribers in the same process). Returns the unsubscribe function. */
  onAppended?(listener: (result: AppendResult, streamId: string) => void): () => void;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId} was changed by someone else (expected ${String(expected)}, found ${String(actual)}).`);
  }
}

/** The same event id was stored before, but not as this exact retry (different stream, revision or batch). */
export class DuplicateEventIdError extends Error {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(readonly eventId: string) {
    super(`Event ${eventId} was already stored as part of a different write.`);
  }
}

/** The append request itself is malformed (empty batch, bad event id, …): a programming error, not a conflict. */
export class InvalidAppendError extends Error {
  readonly code = 'INVALID_APPEND';
}

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** Wire form for headers and query strings: "<commit>-<prepare>". */
export function formatPosition(p: Position): string {
  return `${p.commit}-${p.prepare}`;
}

export function parsePosition(text: string): Position | undefined {
  const m = /^(-?\d{1,20})-(-?\d{1,20})$/.exec(text.trim());
  if (!m) return undefined;
  return { commit: BigInt(m[1]), prepare: BigInt(m[2]) };
}
