import fc from 'fast-check';
import { START, comparePositions, type EventStore, type Position, type ReadAllOptions, type RecordedEvent } from '#app/event-store';
import { SharedLogReader } from './shared-log-reader.js';

/** an append-only log in memory; readAll counts the reads that reach it */
class MemoryLog {
  readonly events: RecordedEvent[] = [];
  reads = 0;
  readonly hints: Array<readonly string[] | undefined> = [];
  append(n: number): void {
    for (let i = 0; i < n; i++) {
      const k = this.events.length;
      // commit (transaction) groups of 3, prepare growing: ordered like the PostgreSQL store's positions
      this.events.push({
        id: `e${k}`,
        streamId: `s-${k % 7}`,
        revision: k,
        type: 'T',
        data: { k },
        metadata: {},
        position: { commit: BigInt(Math.floor(k / 3) + 10), prepare: BigInt(k + 100) },
        createdAt: new Date(0),
      });
    }
  }
  store(): EventStore {
    return {
      kind: 'postgres',
      readAll: async ({ after, maxCount, payloadCategories }: ReadAllOptions) => {
        this.reads++;
        this.hints.push(payloadCategories);
        await new Promise((r) => setImmediate(r));
        const from = after ?? START;
        return this.events.filter((e) => comparePositions(e.position, from) > 0).slice(0, maxCount);
      },
      appendToStream: () => Promise.reject(new Error('not here')),
      readStream: () => Promise.resolve([]),
      readStreams: () => Promise.resolve(new Map()),
      headPosition: async () => this.events.at(-1)?.position ?? START,
      close: async () => undefined,
    };
  }
}

describe('SharedLogReader', () => {
  it('reads with the payload categories it was given (those of every reader), whatever a reader asks', async () => {
    const log = new MemoryLog();
    log.append(30);
    const reader = new SharedLogReader(log.store(), { chunk: 10, payloadCategories: ['course', 'team'] });
    await reader.readAll({ maxCount: 5 });
    await reader.readAll({ maxCount: 20, payloadCategories: ['team'] });
    await reader.readAll({ after: log.events[1].position, maxCount: 5 });
    expect(log.hints.length).toBeGreaterThan(0);
    expect(log.hints.every((h) => h?.join() === 'course,team')).toBe(true);
    const plain = new MemoryLog();
    plain.append(5);
    await new SharedLogReader(plain.store()).readAll({ maxCount: 5, payloadCategories: ['team'] });
    expect(plain.hints).toEqual([undefined]);
  });

  it('returns exactly what the store would, for readers at any positions, batch sizes and interleavings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ reader: fc.nat({ max: 4 }), max: fc.integer({ min: 1, max: 40 }), append: fc.nat({ max: 30 }), reset: fc.boolean() }),
          { minLength: 1, maxLength: 80 },
        ),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 60 }),
        async (steps, chunk, capacity) => {
          const log = new MemoryLog();
          log.append(50);
          const direct = log.store();
          const shared = new SharedLogReader(direct, { chunk, capacity });
          const at: Position[] = [START, START, START, START, START];
          // pairs of steps run concurrently, as subscriptions do
          for (let i = 0; i < steps.length; i += 2) {
            await Promise.all(
              steps.slice(i, i + 2).map(async (step) => {
                if (step.reset && step.reader === 0) at[0] = START; // a checkpoint moved back (a rebuild)
                const after = at[step.reader];
                const got = await shared.readAll({ after, maxCount: step.max });
                const want = log.events.filter((e) => comparePositions(e.position, after) > 0).slice(0, step.max);
                // a shorter answer is allowed only when the log had nothing more at the time of the read
                expect(got.map((e) => e.id)).toEqual(want.slice(0, got.length).map((e) => e.id));
                const last = got.at(-1);
                if (last) at[step.reader] = last.position;
                log.append(step.append);
              }),
            );
          }
          // at rest, every reader drains to the end of the log through the shared reader
          for (let r = 0; r < at.length; r++) {
            for (;;) {
              const got = await shared.readAll({ after: at[r], maxCount: 17 });
              if (got.length === 0) break;
              at[r] = lastOf(got).position;
            }
            expect(at[r]).toEqual(lastOf(log.events).position);
          }
        },
      ),
      {
        numRuns: 200,
        examples: [
          // found at 1 in ~1,500 runs: a read at the window's end waited for an extension that the window, replaced
          // meanwhile by another reader's read from before it, dropped; the empty answer said "at the head"
          [
            [
              { reader: 0, max: 1, append: 0, reset: false },
              { reader: 0, max: 4, append: 0, reset: false },
              { reader: 1, max: 2, append: 0, reset: false },
              { reader: 0, max: 1, append: 0, reset: false },
            ],
            1,
            3,
          ],
        ],
      },
    );
  });

  it('five readers starting together read the log from the store about once, not five times', async () => {
    const log = new MemoryLog();
    log.append(10_000);
    const shared = new SharedLogReader(log.store(), { chunk: 1_000, capacity: 5_000 });
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        let after: Position = START;
        for (;;) {
          const got = await shared.readAll({ after, maxCount: 500 });
          if (got.length === 0) return;
          after = lastOf(got).position;
        }
      }),
    );
    expect(log.reads).toBeLessThan(30); // 10 chunks of 1 000 + the first concurrent reads + the empty reads at the end
  });

  it('reads ahead while behind, but not at the head: an idle reader costs one read per poll', async () => {
    const log = new MemoryLog();
    log.append(3_000);
    const shared = new SharedLogReader(log.store(), { chunk: 1_000, capacity: 5_000 });
    let after: Position = START;
    for (;;) {
      const got = await shared.readAll({ after, maxCount: 500 });
      if (got.length === 0) break;
      after = lastOf(got).position;
      await new Promise((r) => setImmediate(r)); // applying the batch: the read-ahead runs meanwhile
    }
    expect(after).toEqual(lastOf(log.events).position);
    const reads = log.reads;
    for (let i = 0; i < 5; i++) expect(await shared.readAll({ after, maxCount: 500 })).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));
    expect(log.reads).toBe(reads + 5);
  });
});

function lastOf<T>(items: readonly T[]): T {
  const last = items.at(-1);
  if (last === undefined) throw new Error('expected at least one item');
  return last;
}
