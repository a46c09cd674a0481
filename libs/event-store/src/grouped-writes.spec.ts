import { GroupedWrites } from './grouped-writes.js';

/** a statement that is answered when the test says so; records the writes of each call */
function controlledStatement() {
  const calls: Array<{ writes: string[]; answer: (fail?: (write: string) => boolean) => void }> = [];
  const statement = (writes: readonly string[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({
        writes: [...writes],
        answer: (fail) => {
          if (fail && writes.some(fail)) reject(new Error(`refused ${writes.filter(fail).join(',')}`));
          else resolve(writes.map((w) => `done ${w}`));
        },
      });
    });
  return { calls, statement };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupedWrites', () => {
  it('sends a write at once when a statement is free, and the writes that waited together in one statement', async () => {
    const { calls, statement } = controlledStatement();
    const grouped = new GroupedWrites(statement, { concurrency: 1, maxPerStatement: 10 });
    const first = grouped.submit('a');
    const rest = ['b', 'c', 'd'].map((w) => grouped.submit(w));
    await settle();
    expect(calls.map((c) => c.writes)).toEqual([['a']]);
    calls[0].answer();
    expect(await first).toBe('done a');
    await settle();
    expect(calls.map((c) => c.writes)).toEqual([['a'], ['b', 'c', 'd']]);
    calls[1].answer();
    expect(await Promise.all(rest)).toEqual(['done b', 'done c', 'done d']);
  });

  it('with gatherMs 0, the writes submitted in the same turn of the event loop go in the first statement', async () => {
    const { calls, statement } = controlledStatement();
    const grouped = new GroupedWrites(statement, { concurrency: 1, maxPerStatement: 10, gatherMs: 0 });
    const all = ['a', 'b', 'c'].map((w) => grouped.submit(w));
    await settle();
    await settle();
    expect(calls.map((c) => c.writes)).toEqual([['a', 'b', 'c']]);
    calls[0].answer();
    expect(await Promise.all(all)).toEqual(['done a', 'done b', 'done c']);
  });

  it('keeps up to `concurrency` statements in flight and caps a statement at maxPerStatement', async () => {
    const { calls, statement } = controlledStatement();
    const grouped = new GroupedWrites(statement, { concurrency: 2, maxPerStatement: 2 });
    const all = ['a', 'b', 'c', 'd', 'e'].map((w) => grouped.submit(w));
    await settle();
    expect(calls.map((c) => c.writes)).toEqual([['a'], ['b']]);
    calls[0].answer();
    await settle();
    expect(calls.map((c) => c.writes)).toEqual([['a'], ['b'], ['c', 'd']]);
    calls[1].answer();
    await settle();
    expect(calls.map((c) => c.writes)).toEqual([['a'], ['b'], ['c', 'd'], ['e']]);
    calls[2].answer();
    calls[3].answer();
    expect(await Promise.all(all)).toEqual(['done a', 'done b', 'done c', 'done d', 'done e']);
  });

  it('never puts two writes with the same key in one statement, and keeps their order', async () => {
    const { calls, statement } = controlledStatement();
    const grouped = new GroupedWrites(statement, { concurrency: 1, maxPerStatement: 10, key: (w: string) => w.split(':')[0] });
    const all = ['s1:a', 's1:b', 's2:a', 's1:c', 's3:a'].map((w) => grouped.submit(w));
    await settle();
    calls[0].answer();
    await settle();
    calls[1].answer();
    await settle();
    calls[2].answer();
    await settle();
    expect(calls.map((c) => c.writes)).toEqual([['s1:a'], ['s1:b', 's2:a', 's3:a'], ['s1:c']]);
    await Promise.all(all);
  });

  it('tries each write of a failed statement again alone: only the refused one is refused', async () => {
    const { calls, statement } = controlledStatement();
    const grouped = new GroupedWrites(statement, { concurrency: 1, maxPerStatement: 10 });
    const first = grouped.submit('a');
    const waiting = ['b', 'bad', 'c'].map((w) => grouped.submit(w).then(String, (e: unknown) => (e as Error).message));
    await settle();
    calls[0].answer();
    await first;
    await settle();
    calls[1].answer((w) => w === 'bad');
    await settle();
    expect(calls.slice(2).map((c) => c.writes)).toEqual([['b'], ['bad'], ['c']]);
    for (const call of calls.slice(2)) call.answer((w) => w === 'bad');
    expect(await Promise.all(waiting)).toEqual(['done b', 'refused bad', 'done c']);
  });
});
