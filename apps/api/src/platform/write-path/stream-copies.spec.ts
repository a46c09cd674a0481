import type { Decider } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { StreamCopies } from './stream-copies.js';

type Added = { type: 'Added'; data: { n: number } };
const sum: Decider<never, Added, number> = { initialState: () => 0, evolve: (s, e) => s + e.data.n, decide: () => [] };

/** events of a stream whose revision r adds r + 1 (so a stream up to revision r sums to (r + 1)(r + 2) / 2) */
const revisions = (from: number, to: number): RecordedEvent[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    id: `e${from + i}`,
    streamId: 's',
    revision: from + i,
    position: { commit: BigInt(from + i), prepare: BigInt(from + i) },
    type: 'Added',
    data: { n: from + i + 1 },
    metadata: {},
    createdAt: new Date(0),
  }));
const total = (revision: number) => ((revision + 1) * (revision + 2)) / 2;

describe('StreamCopies', () => {
  it('reads past its copy and folds only the tail onto it', () => {
    const copies = new StreamCopies(sum, () => true);
    expect(copies.fromRevision('s')).toBe(0);
    expect(copies.extend('s', 0, revisions(0, 2))).toMatchObject({ state: total(2), revision: 2 });
    expect(copies.fromRevision('s')).toBe(3);
    const loaded = copies.extend('s', 3, revisions(3, 4));
    expect(loaded).toMatchObject({ state: total(4), revision: 4 });
    expect(loaded?.events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
    // nothing new: the copy's events as they are, not copied again
    expect(copies.extend('s', 5, [])?.events).toBe(loaded?.events);
  });

  it('lays a tail read before another request moved the copy on onto the newer copy, and gives up when the copy went back', () => {
    const copies = new StreamCopies(sum, () => true);
    copies.extend('s', 0, revisions(0, 2));
    // two reads from revision 3; the second (up to 5) comes back first, the first (up to 4) after it
    expect(copies.extend('s', 3, revisions(3, 5))).toMatchObject({ state: total(5), revision: 5 });
    expect(copies.extend('s', 3, revisions(3, 4))).toMatchObject({ state: total(5), revision: 5 });
    // a read from 6 whose copy was replaced meanwhile by an older whole read (up to 3): it cannot be laid on
    copies.whole('s', revisions(0, 3));
    expect(copies.extend('s', 6, revisions(6, 6))).toBeUndefined();
  });

  it('keeps only the states worth keeping, and the most recently used streams', () => {
    const copies = new StreamCopies(sum, (state) => state > 0, 2);
    copies.whole('empty', []);
    expect(copies.fromRevision('empty')).toBe(0);
    copies.whole('a', revisions(0, 0));
    copies.whole('b', revisions(0, 0));
    copies.extend('a', 1, []); // a is used again: b is now the oldest
    copies.whole('c', revisions(0, 0));
    expect(['a', 'b', 'c'].map((id) => copies.fromRevision(id))).toEqual([1, 0, 1]);
  });
});
