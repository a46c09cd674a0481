import { START, comparePositions, type EventStore, type Position, type ReadAllOptions, type RecordedEvent } from '#app/event-store';

export interface SharedLogReaderOptions {
  /** events fetched from the store per read (at least what the caller asked for); default 2 000 */
  readonly chunk?: number;
  /** events kept in memory for subscriptions behind the fastest one; default 10 000 */
  readonly capacity?: number;
  /**
   * read every event of other stream categories without its payload (ReadAllOptions.payloadCategories):
   * must cover the categories of every caller, whose own hints are not looked at; unset: every event in full
   */
  readonly payloadCategories?: readonly string[];
}

interface Extension {
  readonly read: number;
  /** false when the window had moved (a new window, a trim) before the read came back: the events were dropped */
  readonly kept: boolean;
}

/**
 * One read of the log for every subscription of a runner. Each projection has its own subscription and
 * checkpoint, so after a restart or a bulk import they all read the same events, one after the other:
 * ten projections meant ten reads (and JSON parses) of every event. This wraps the store: it keeps a
 * window of the log (a contiguous run of events in log order, ending where the last read ended) and hands
 * out slices of it; a subscription at the window's end makes it read on, once for all callers waiting
 * there. Anything outside the window (a subscription far behind, a checkpoint moved back by a rebuild)
 * is read from the store as before.
 *
 * Correct because the log is append-only and readAll is gap-safe: what a read returned is final and
 * nothing can later appear between two events it returned, so a slice of the window is exactly what
 * readAll would return for the same `after`. Events are shared between projections: they must not
 * mutate them (none does; they are plain data).
 */
export class SharedLogReader implements EventStore {
  readonly kind: EventStore['kind'];
  private readonly chunk: number;
  private readonly capacity: number;
  private readonly hint: Pick<ReadAllOptions, 'payloadCategories'>;
  /** the position just before window[0] */
  private from: Position | undefined;
  private window: RecordedEvent[] = [];
  private extending: Promise<Extension> | undefined;
  /** the last read from the store came back full: more is there to read */
  private behind = false;
  /** the store's count, where it has one */
  readonly countEventsAfter?: (after: Position) => Promise<number>;

  constructor(
    private readonly source: EventStore,
    options: SharedLogReaderOptions = {},
  ) {
    this.kind = source.kind;
    this.chunk = options.chunk ?? 2_000;
    this.capacity = Math.max(options.capacity ?? 10_000, this.chunk);
    this.hint = options.payloadCategories ? { payloadCategories: options.payloadCategories } : {};
    const countEventsAfter = source.countEventsAfter?.bind(source);
    if (countEventsAfter) this.countEventsAfter = countEventsAfter;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const after = options.after ?? START;
    const want = options.maxCount;
    let index = this.indexAfter(after);
    if (index === undefined) {
      // outside the window: read directly; a read past the window's end (or the first one) starts a new window
      if (this.from !== undefined && this.window.length > 0 && comparePositions(after, this.end()) < 0) {
        return this.source.readAll({ after, maxCount: want, ...this.hint });
      }
      const events = await this.source.readAll({ after, maxCount: Math.max(want, this.chunk), ...this.hint });
      if (this.indexAfter(after) === undefined && (this.from === undefined || comparePositions(after, this.end()) >= 0)) {
        this.from = after;
        this.window = events;
        this.behind = events.length >= Math.max(want, this.chunk);
        this.trim();
      }
      return events.slice(0, want);
    }
    if (this.window.length - index < want) {
      const extension = await this.extend(want);
      index = this.indexAfter(after);
      // trimmed away meanwhile, or the store had more but the window moved before it could take it: an empty
      // slice here would tell the caller it is at the head of the log
      if (index === undefined || (extension.read > 0 && !extension.kept))
        return this.source.readAll({ after, maxCount: want, ...this.hint });
    }
    const slice = this.window.slice(index, index + want);
    this.readAhead(index + slice.length);
    return slice;
  }

  /**
   * While the log is read far behind its head (the last read came back full), the next chunk is fetched as
   * soon as the furthest reader is within a chunk of the window's end, so reading overlaps with applying.
   * Never at the head (an idle API does not poll more for it), never more than a chunk ahead of the readers.
   */
  private readAhead(consumed: number): void {
    if (!this.behind || this.extending || this.window.length - consumed > this.chunk) return;
    this.extend(this.chunk).catch(() => undefined); // a failed read-ahead is simply done again by the next reader
  }

  /** reads on from the window's end (one read for every caller waiting there): how many events came, and whether the window took them */
  private extend(want: number): Promise<Extension> {
    if (!this.extending) {
      const after = this.end();
      this.extending = this.source
        .readAll({ after, maxCount: Math.max(want, this.chunk), ...this.hint })
        .then((events) => {
          this.behind = events.length >= Math.max(want, this.chunk);
          const kept = this.from !== undefined && comparePositions(this.end(), after) === 0;
          if (kept) {
            for (const e of events) this.window.push(e);
            this.trim();
          }
          return { read: events.length, kept };
        })
        .finally(() => {
          this.extending = undefined;
        });
    }
    return this.extending;
  }

  private end(): Position {
    return this.window.length > 0 ? this.window[this.window.length - 1].position : (this.from ?? START);
  }

  private trim(): void {
    const excess = this.window.length - this.capacity;
    if (excess <= 0) return;
    this.from = this.window[excess - 1].position;
    this.window = this.window.slice(excess);
  }

  /** the index in the window of the first event after `after`, or undefined when `after` is not a boundary inside it */
  private indexAfter(after: Position): number | undefined {
    if (this.from === undefined) return undefined;
    if (comparePositions(after, this.from) === 0) return 0;
    let lo = 0;
    let hi = this.window.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = comparePositions(this.window[mid].position, after);
      if (c === 0) return mid + 1;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  appendToStream(...args: Parameters<EventStore['appendToStream']>): ReturnType<EventStore['appendToStream']> {
    return this.source.appendToStream(...args);
  }

  readStream(...args: Parameters<EventStore['readStream']>): ReturnType<EventStore['readStream']> {
    return this.source.readStream(...args);
  }

  readStreams(...args: Parameters<EventStore['readStreams']>): ReturnType<EventStore['readStreams']> {
    return this.source.readStreams(...args);
  }

  headPosition(): Promise<Position> {
    return this.source.headPosition();
  }

  /** the store is the caller's: nothing to close here */
  async close(): Promise<void> {}
}
