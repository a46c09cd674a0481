import { randomUUID } from 'node:crypto';
import { isDomainError, type Decider, type DomainError, type DomainEvent } from '#app/domain';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type Position,
  type RecordedEvent,
} from '#app/event-store';
import { ApiError, fromDomainError } from '../http/api-error.js';
import type { EventMetadata } from './event-metadata.js';
import { DEFAULT_WRITE_RETRY, retryLostRaces, StreamTurns, type WriteRetryPolicy } from './write-retry.js';

export interface LoadedStream<S> {
  readonly state: S;
  /** revision of the last event, -1 when the stream does not exist */
  readonly revision: number;
  readonly events: RecordedEvent[];
}

/** A decision as a policy sees it before the append: the command, the state it was decided on, the events. */
export interface Decision<C, E, S> {
  readonly streamId: string;
  readonly command: C;
  readonly state: S;
  readonly events: readonly E[];
}

/** What a policy asks instead: a revised command (decided again on the same state) and metadata for its events. */
export interface Revision<C> {
  readonly command: C;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * A rule that runs on the decided events before they are appended, with I/O the pure decider cannot do (the
 * enrolment waitlist review reads the courses a freed seat would be offered to). Undefined lets the events
 * stand; a revision is decided again and shown to the next policy. Policies run inside the attempt, so a
 * write that loses its race is reviewed again on the fresh state.
 */
export type DecisionPolicy<C, E, S> = (decision: Decision<C, E, S>) => Promise<Revision<C> | undefined>;

export interface ExecuteOptions {
  readonly metadata: EventMetadata;
  /** the client's If-Match revision: a mismatch is a 412, never a silent retry */
  readonly ifMatch?: number;
  /** most attempts of this write (a schedule reservation under contention takes fewer than the default) */
  readonly maxAttempts?: number;
  /**
   * The stream as the caller already loaded it (in this request): used for the first attempt instead of
   * reading it again. Safe even if stale: the append names its revision, so a concurrent write makes it
   * fail and the command is decided again on a fresh load.
   */
  readonly loaded?: LoadedStream<unknown>;
  /**
   * Append only at this revision (the one reservations elsewhere were decided from); a concurrent write
   * is a StaleRevisionError for the caller to handle (undo and decide again), never a silent re-decision.
   */
  readonly expectedRevision?: number;
}

/** the stream moved on since the revision the caller decided from (see ExecuteOptions.expectedRevision) */
export class StaleRevisionError extends Error {
  constructor(readonly streamId: string) {
    super(`stream ${streamId} changed since it was read`);
  }
}

export interface ExecuteResult<S, E> {
  readonly state: S;
  readonly newEvents: E[];
  readonly revision: number;
  /** where the write landed in the global log; undefined when the command changed nothing */
  readonly position?: Position;
  /** the stream as loaded for the decision that stood (before the new events); always set by DeciderStore */
  readonly loaded?: LoadedStream<S>;
  /** the events this call appended, as sent to the store (ids, metadata); [] for a replay or a no-op; always set by DeciderStore */
  readonly appended?: readonly EventToAppend[];
  /** a retried request: the events its idempotency key wrote earlier (what `newEvents` answers with) */
  readonly replayed?: readonly RecordedEvent[];
}

/**
 * Runs a decider command against one stream: load, replay, decide, append with the loaded revision as
 * the expected one. A concurrent writer makes the append fail; then the command is decided again on
 * the fresh state (so two secretaries taking the last seat get one success and one TEAM_FULL), after a
 * short random pause and within a budget (write-retry.ts). Writes to one stream from this process take
 * turns (StreamTurns), so only other processes' writes make a write lose its race. This is the one place a lost race is retried
 * and the one path to the event store: every write goes through `execute` (rules that need I/O on the decided
 * events before the append, such as the enrolment waitlist review, are its `policies`), or through `retrying`
 * and `appendDecided` when its event ids derive from another event (the enrolment process manager's follow-ups).
 */
export class DeciderStore {
  private readonly turns: StreamTurns;

  constructor(
    private readonly store: EventStore,
    /** told after every append (the app wakes its projections) */
    private readonly afterAppend: () => void = () => undefined,
    readonly retryPolicy: WriteRetryPolicy = DEFAULT_WRITE_RETRY,
  ) {
    this.turns = new StreamTurns(Math.max(1_000, retryPolicy.budgetMs));
  }

  async load<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string): Promise<LoadedStream<S>> {
    return this.fold(decider, await this.store.readStream(streamId));
  }

  /** Several streams in one read (fold each with its decider): for a write that needs two streams at once. */
  readStreams(...args: Parameters<EventStore['readStreams']>): Promise<Map<string, RecordedEvent[]>> {
    return this.store.readStreams(...args);
  }

  /** A stream's events, as read here (load or readStreams), folded into its state. */
  fold<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, events: RecordedEvent[]): LoadedStream<S> {
    const state = events.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as E), decider.initialState());
    return { state, revision: events.length - 1, events };
  }

  /**
   * Runs `attempt` (a load, decide and `appendDecided` on `streamId`) in the stream's turn, again until it
   * does not lose a race, with this store's policy; the last lost race becomes a 409.
   */
  retrying<T>(streamId: string, attempt: (n: number) => Promise<T>): Promise<T> {
    return this.turns.run(streamId, () => retryLostRaces(this.retryPolicy, attempt));
  }

  /**
   * Appends events a caller decided itself on a stream it loaded through this store, at the loaded revision:
   * the enrolment process manager's follow-ups, whose event ids derive from the event that caused them (so
   * a repeat finds them stored). Same turns and wake-up as `execute`. A concurrent write is the store's
   * WrongExpectedRevisionError (or DuplicateEventIdError) for the caller, which reloads (inside `retrying`).
   */
  appendDecided(streamId: string, loaded: LoadedStream<unknown>, events: readonly EventToAppend[]): Promise<AppendResult> {
    return this.turns.run(streamId, async () => {
      const result = await this.store.appendToStream(streamId, events, loaded.revision < 0 ? 'no_stream' : loaded.revision);
      this.afterAppend();
      return result;
    });
  }

  async execute<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
    options: ExecuteOptions & { readonly policies?: readonly DecisionPolicy<C, E, S>[] },
  ): Promise<ExecuteResult<S, E>> {
    const policy = options.maxAttempts
      ? { ...this.retryPolicy, maxAttempts: Math.min(options.maxAttempts, this.retryPolicy.maxAttempts) }
      : this.retryPolicy;
    const once = (n: number) => this.attempt(decider, streamId, command, n === 1 ? options : { ...options, loaded: undefined });
    return this.turns.run(streamId, () => (policy.maxAttempts <= 1 ? once(1) : retryLostRaces(policy, once)));
  }

  /**
   * One load, decide and append; throws WrongExpectedRevisionError when another writer got
   * there first. A stream the caller loaded itself (`options.loaded`) is only a first guess: whatever it
   * would refuse or lose is judged again at once on a fresh load, never answered from it.
   */
  private async attempt<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
    options: ExecuteOptions & { readonly policies?: readonly DecisionPolicy<C, E, S>[] },
  ): Promise<ExecuteResult<S, E>> {
    const given = options.loaded as LoadedStream<S> | undefined;
    const loaded = given ?? (await this.load(decider, streamId));
    const fresh = () => this.attempt(decider, streamId, command, { ...options, loaded: undefined });
    const earlier = writtenWithKey(loaded.events, options.metadata);
    if (earlier.length > 0) return replayedResult(loaded, earlier);
    if (options.ifMatch !== undefined && options.ifMatch !== loaded.revision) {
      if (given) return fresh(); // a stale first load must not answer 412: only a fresh one may
      throw preconditionFailed(streamId, options.ifMatch, loaded.revision);
    }
    if (options.expectedRevision !== undefined && options.expectedRevision !== loaded.revision) {
      if (given) return fresh();
      throw new StaleRevisionError(streamId);
    }
    const decided = await this.decide(decider, streamId, command, loaded.state, options.policies ?? []);
    if (isDomainError(decided)) {
      if (given) return fresh(); // refused on what the caller loaded: decide again on a fresh load
      throw fromDomainError(decided);
    }
    const { events, reviewed } = decided;
    if (events.length === 0) return { state: loaded.state, newEvents: [], revision: loaded.revision, loaded, appended: [] };
    const appended = events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      data: event.data,
      metadata: { ...options.metadata, ...reviewed },
    }));
    try {
      const result = await this.store.appendToStream(streamId, appended, loaded.revision < 0 ? 'no_stream' : loaded.revision);
      this.afterAppend();
      const state = events.reduce((state, event) => decider.evolve(state, event), loaded.state);
      return { state, newEvents: events, revision: result.nextExpectedRevision, position: result.position, loaded, appended };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (given) return fresh(); // the caller's load was stale: a fresh one decides (not a conflict of the client's)
      if (options.expectedRevision !== undefined) throw new StaleRevisionError(streamId);
      // the client's If-Match is a promise about the revision: a moved stream is its answer (412), not a race to retry
      if (options.ifMatch !== undefined)
        throw preconditionFailed(streamId, options.ifMatch, error.actual === 'no_stream' ? -1 : error.actual);
      throw error;
    }
  }

  /** The decider's events, then each policy's review of them (a revision is decided again and shown to the next). */
  private async decide<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
    state: S,
    policies: readonly DecisionPolicy<C, E, S>[],
  ): Promise<{ events: E[]; reviewed: Record<string, unknown> } | DomainError> {
    let current = command;
    let events = decider.decide(current, state);
    let reviewed: Record<string, unknown> = {};
    for (const policy of policies) {
      if (isDomainError(events)) return events;
      if (events.length === 0) break;
      const revision = await policy({ streamId, command: current, state, events });
      if (!revision) continue;
      current = revision.command;
      events = decider.decide(current, state);
      reviewed = { ...reviewed, ...revision.metadata };
    }
    return isDomainError(events) ? events : { events, reviewed };
  }
}

/**
 * Events this same request already wrote (same idempotency key and caller): a retry after a crash or a
 * lost response, or the loser of a race between two identical retries. Deciding again could answer
 * differently (the patient now already holds the seat), so the first outcome is returned instead.
 */
export function writtenWithKey(events: readonly RecordedEvent[], metadata: EventMetadata): RecordedEvent[] {
  const key = metadata.idempotencyKey;
  if (!key) return [];
  return events.filter((e) => {
    const m = e.metadata as Partial<EventMetadata>;
    return m.idempotencyKey === key && m.actor?.staffId === metadata.actor.staffId;
  });
}

function replayedResult<S, E extends DomainEvent>(loaded: LoadedStream<S>, earlier: RecordedEvent[]): ExecuteResult<S, E> {
  const last = earlier[earlier.length - 1];
  return {
    state: loaded.state,
    newEvents: earlier.map((e) => ({ type: e.type, data: e.data }) as E),
    revision: loaded.revision,
    position: last.position,
    loaded,
    appended: [],
    replayed: earlier,
  };
}

function preconditionFailed(streamId: string, expected: number, actual: number): ApiError {
  return new ApiError(412, 'PRECONDITION_FAILED', 'The record has changed since you loaded it. Reload it and try again.', {
    streamId,
    expectedRevision: expected,
    currentRevision: actual,
  });
}
