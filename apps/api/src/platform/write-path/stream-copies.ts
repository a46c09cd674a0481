import type { Decider, DomainEvent } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import type { LoadedStream } from './decider-store.js';

/**
 * This process's folded copies of the streams a write path reads again and again (team streams, which
 * grow by a seat, waitlist or attendance event per patient and session), so that a write reads and folds
 * only the events after its copy (`EventStore.readStreams` with `fromRevisions`) instead of the whole
 * stream each time. Never a source of answers on its own: every read asks the store for the events past
 * the copy, so what it returns is as current as a whole read (another process's writes included).
 * The most recently used `max` streams are kept.
 */
export class StreamCopies<C, E extends DomainEvent, S> {
  private readonly copies = new Map<string, LoadedStream<S>>();

  constructor(
    private readonly decider: Decider<C, E, S>,
    /** which folded states are worth keeping (not a stream that does not exist, say) */
    private readonly keep: (state: S) => boolean,
    private readonly max = 256,
  ) {}

  /** the first revision to read of `streamId`: the one after the copy, 0 without one */
  fromRevision(streamId: string): number {
    return (this.copies.get(streamId)?.revision ?? -1) + 1;
  }

  /**
   * The stream as the copy plus `tail`, the events read from revision `from` (what `fromRevision` said) on;
   * kept as the newest copy. Copies change while reads are out (other requests), so the tail is laid onto the
   * copy there is now, when it reaches back to it. Undefined when it does not (the copy was dropped or
   * replaced by an older one meanwhile): the caller reads the stream whole and gives that to `whole`.
   */
  extend(streamId: string, from: number, tail: readonly RecordedEvent[]): LoadedStream<S> | undefined {
    if (from === 0) return this.whole(streamId, tail);
    const copy = this.copies.get(streamId);
    if (!copy || copy.revision + 1 < from) return undefined;
    const newer = tail.filter((e) => e.revision > copy.revision);
    return this.remember(streamId, {
      state: this.fold(copy.state, newer),
      revision: copy.revision + newer.length,
      events: newer.length === 0 ? copy.events : (Object.freeze([...copy.events, ...newer]) as RecordedEvent[]),
    });
  }

  /** the stream read whole (no copy, or one that no longer fits), folded and kept */
  whole(streamId: string, events: readonly RecordedEvent[]): LoadedStream<S> {
    const state = this.fold(this.decider.initialState(), events);
    return this.remember(streamId, { state, revision: events.length - 1, events: Object.freeze([...events]) as RecordedEvent[] });
  }

  private fold(state: S, events: readonly RecordedEvent[]): S {
    return events.reduce((s, e) => this.decider.evolve(s, { type: e.type, data: e.data } as E), state);
  }

  private remember(streamId: string, loaded: LoadedStream<S>): LoadedStream<S> {
    this.copies.delete(streamId);
    if (!this.keep(loaded.state)) return loaded;
    this.copies.set(streamId, loaded);
    if (this.copies.size > this.max) this.copies.delete(this.copies.keys().next().value as string);
    return loaded;
  }
}
