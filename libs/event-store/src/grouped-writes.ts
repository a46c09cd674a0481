/**
 * Concurrent callers' writes share statements (group commit). Up to `concurrency` statements are in flight; a
 * write that arrives while all of them are busy waits, and the writes that waited go together when one finishes,
 * up to `maxPerStatement` in one statement: one round trip and one commit for all of them. A write is answered
 * only when its statement has committed, so nothing is held in memory past its caller's wait. If a shared
 * statement fails, each of its writes is tried again on its own, so only a write the database refuses is refused.
 * Writes with the same `key` never share a statement (the next statement takes the later one), so each keeps a
 * transaction of its own with respect to the others of its key.
 */
export class GroupedWrites<W, R> {
  private readonly queued: Array<{ readonly write: W; readonly done: (outcome: { result: R } | { error: unknown }) => void }> = [];
  private inFlight = 0;

  constructor(
    /** writes `writes` in one statement; answers one result per write, in their order */
    private readonly statement: (writes: readonly W[]) => Promise<readonly R[]>,
    private readonly options: {
      readonly concurrency: number;
      readonly maxPerStatement: number;
      readonly key?: (write: W) => string;
      /**
       * a statement that would go at once waits this long first (0: for the rest of the event loop's turn), so the
       * writes submitted meanwhile go with it; default: it goes at once
       */
      readonly gatherMs?: number;
    },
  ) {}

  submit(write: W): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queued.push({
        write,
        done: (outcome) => {
          if ('result' in outcome) resolve(outcome.result);
          else reject(outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error)));
        },
      });
      if (this.inFlight < this.options.concurrency) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.inFlight++;
    try {
      const gather = this.options.gatherMs;
      if (gather !== undefined) await new Promise((resolve) => (gather > 0 ? setTimeout(resolve, gather) : setImmediate(resolve)));
      for (let group = this.nextGroup(); group.length > 0; group = this.nextGroup()) await this.run(group);
    } finally {
      this.inFlight--;
    }
  }

  /** the oldest waiting writes, at most one per key, up to maxPerStatement; taken off the queue */
  private nextGroup(): typeof this.queued {
    const keys = new Set<string>();
    const group: typeof this.queued = [];
    for (let i = 0; i < this.queued.length && group.length < this.options.maxPerStatement;) {
      const key = this.options.key?.(this.queued[i].write);
      if (key !== undefined && keys.has(key)) {
        i++;
        continue;
      }
      if (key !== undefined) keys.add(key);
      group.push(...this.queued.splice(i, 1));
    }
    return group;
  }

  private async run(group: typeof this.queued): Promise<void> {
    try {
      const results = await this.statement(group.map((g) => g.write));
      group.forEach((g, i) => {
        g.done({ result: results[i] });
      });
    } catch (error) {
      if (group.length === 1) {
        group[0].done({ error });
        return;
      }
      // one write the database refuses must not cost the others theirs
      await Promise.all(
        group.map((g) =>
          this.statement([g.write]).then(
            ([result]) => {
              g.done({ result });
            },
            (e: unknown) => {
              g.done({ error: e });
            },
          ),
        ),
      );
    }
  }
}
