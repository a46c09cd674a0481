import { Inject, Injectable } from '@nestjs/common';
import { isDomainError, type Decider, type DomainError, type DomainEvent } from '#app/domain';
import { DuplicateEventIdError, type EventStore, type Position, type RecordedEvent } from '#app/event-store';
import { Clock } from '../../../platform/clock/clock.js';
import { LostRace } from '../../../platform/write-path/write-retry.js';
import type { EventMetadata } from '../../../platform/write-path/event-metadata.js';
import { DeciderStore, type LoadedStream } from '../../../platform/write-path/decider-store.js';
import { EVENT_STORE } from '../../../platform/persistence/tokens.js';
import { followUpEventId } from './follow-up-ids.js';

/** Who acts when no person did (compensations of the process manager). */
export const SYSTEM_ACTOR = { staffId: 'system:enrolment', roles: [] } as const;

export type FollowUpOutcome =
  | { readonly kind: 'applied'; readonly position: Position; readonly revision: number; readonly written: RecordedEvent[] }
  /** written before (by the request inline, or by the process manager) */
  | { readonly kind: 'already' }
  /** nothing to do in the stream's current state */
  | { readonly kind: 'noop' }
  | { readonly kind: 'refused'; readonly error: DomainError };

export interface FollowUp<C, E extends DomainEvent, S> {
  readonly streamId: string;
  /** replays the stream (its decide is not used: `decide` below is) */
  readonly decider: Decider<C, E, S>;
  /** the event this follow-up reacts to: its id seeds the follow-up's event ids */
  readonly source: RecordedEvent;
  /** what kind of follow-up (one source event may cause several, on different streams) */
  readonly purpose: string;
  /** the events to write on the current state; null or [] = nothing to do */
  decide(loaded: LoadedStream<S>): E[] | DomainError | null | Promise<E[] | DomainError | null>;
  readonly metadata: Record<string, unknown>;
  /** the stream as the caller already loaded it: the first attempt uses it (a stale one only costs a retry) */
  readonly loaded?: LoadedStream<S>;
}

/**
 * Writes a follow-up of one event into another stream, exactly once, from anywhere: its events get
 * ids derived from the source event's id (`followUpEventId`), the stream is checked for the first of
 * them before deciding, and the append names the revision it decided on. A concurrent writer (the
 * request inline and the process manager at once) makes one append fail; the loser reloads and finds
 * the follow-up already there. Appends go through DeciderStore (its turns, retry policy and wake-up). Works the same on PostgreSQL and EventStoreDB (single-stream appends only).
 */
@Injectable()
export class FollowUpWriter {
  constructor(
    @Inject(DeciderStore) private readonly deciderStore: DeciderStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Writes the follow-up unless it is there; a lost race reloads (the write path's retry policy) and finds it. */
  apply<C, E extends DomainEvent, S>(followUp: FollowUp<C, E, S>): Promise<FollowUpOutcome> {
    return this.deciderStore.retrying(followUp.streamId, (n) => this.attempt(followUp, n === 1 ? followUp.loaded : undefined));
  }

  private async attempt<C, E extends DomainEvent, S>(
    followUp: FollowUp<C, E, S>,
    given: LoadedStream<S> | undefined,
  ): Promise<FollowUpOutcome> {
    const loaded = given ?? (await this.deciderStore.load(followUp.decider, followUp.streamId));
    if (loaded.events.some((e) => e.id.toLowerCase() === followUpEventId(followUp.source.id, followUp.purpose, 0)))
      return { kind: 'already' };
    const decided = await followUp.decide(loaded);
    const nothing = decided === null || (Array.isArray(decided) && decided.length === 0);
    // "nothing to do" or a refusal is only ever judged on a fresh load, never on the caller's
    if ((nothing || isDomainError(decided)) && given) return this.attempt(followUp, undefined);
    if (decided === null || (Array.isArray(decided) && decided.length === 0)) return { kind: 'noop' };
    if (isDomainError(decided)) return { kind: 'refused', error: decided };
    const appended = decided.map((event, i) => ({
      id: followUpEventId(followUp.source.id, followUp.purpose, i),
      type: event.type,
      data: event.data,
      metadata: { ...followUp.metadata },
    }));
    try {
      const result = await this.deciderStore.appendDecided(followUp.streamId, loaded, appended);
      // one event: everything about it is known (its position is the append's); several: read them back for their positions
      const written =
        appended.length === 1
          ? [
              {
                ...appended[0],
                streamId: followUp.streamId,
                revision: result.nextExpectedRevision,
                position: result.position,
                createdAt: this.clock.now(),
              } as RecordedEvent,
            ]
          : await this.store.readStream(followUp.streamId, { fromRevision: loaded.revision + 1, maxCount: decided.length });
      return { kind: 'applied', position: result.position, revision: result.nextExpectedRevision, written };
    } catch (error) {
      // another writer stored the same follow-up first (a twin of this append): the reload finds it
      if (error instanceof DuplicateEventIdError) throw new LostRace(followUp.streamId);
      throw error;
    }
  }
}

/**
 * Metadata of a follow-up: the source event's actor, clinic and correlation, caused by the source
 * event. Never its idempotency key (a retried request must not mistake the follow-up for its own write).
 */
export function followUpMetadata(
  source: RecordedEvent,
  occurredAt: Date,
  extra: { reason?: string; actor?: EventMetadata['actor'] } & Record<string, unknown> = {},
): Record<string, unknown> {
  const m = source.metadata as Partial<EventMetadata>;
  const { actor, reason, ...rest } = extra;
  return {
    schemaVersion: 1,
    actor: actor ?? m.actor ?? SYSTEM_ACTOR,
    clinicId: m.clinicId,
    correlationId: m.correlationId ?? source.id,
    causationId: source.id,
    occurredAt: occurredAt.toISOString(),
    ...(m.onBehalfOf !== undefined && actor === undefined ? { onBehalfOf: m.onBehalfOf } : {}),
    ...(reason !== undefined ? { reason } : m.reason !== undefined && actor === undefined ? { reason: m.reason } : {}),
    followUpOf: { streamId: source.streamId, revision: source.revision, type: source.type, eventId: source.id },
    ...rest,
  };
}
