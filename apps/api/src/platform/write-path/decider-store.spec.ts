import { refuse, type Decider } from '#app/domain';
import { WrongExpectedRevisionError, type EventStore, type EventToAppend, type RecordedEvent } from '#app/event-store';
import { DeciderStore, type DecisionPolicy } from './decider-store.js';
import type { EventMetadata } from './event-metadata.js';

type Added = { type: 'Added'; data: { n: number } };
/** a counter that refuses to pass 3; a command is the list of numbers to add */
const counter: Decider<number[], Added, number> = {
  initialState: () => 0,
  evolve: (s, e) => s + e.data.n,
  decide: (ns, s) =>
    s + ns.reduce((a, b) => a + b, 0) > 3 ? refuse('TOO_MUCH', 'too much') : ns.map((n): Added => ({ type: 'Added', data: { n } })),
};

function memoryStore(): EventStore & { streams: Map<string, RecordedEvent[]>; raceOnce?: boolean } {
  const streams = new Map<string, RecordedEvent[]>();
  const store = {
    kind: 'postgres' as const,
    streams,
    raceOnce: false,
    async readStream(id: string) {
      return [...(streams.get(id) ?? [])];
    },
    async appendToStream(id: string, events: readonly EventToAppend[], expected: number | 'no_stream' | 'any') {
      const current = streams.get(id) ?? [];
      if (store.raceOnce) {
        store.raceOnce = false;
        current.push({
          id: 'other',
          streamId: id,
          revision: current.length,
          position: { commit: 1n, prepare: 1n },
          type: 'Added',
          data: { n: 1 },
          metadata: {},
          createdAt: new Date(0),
        });
        streams.set(id, current);
      }
      const actual = current.length - 1;
      if ((expected === 'no_stream' && actual >= 0) || (typeof expected === 'number' && expected !== actual))
        throw new WrongExpectedRevisionError(id, expected, actual < 0 ? 'no_stream' : actual);
      for (const e of events)
        current.push({
          ...e,
          streamId: id,
          revision: current.length,
          position: { commit: 1n, prepare: BigInt(current.length) },
          createdAt: new Date(0),
        });
      streams.set(id, current);
      return { nextExpectedRevision: current.length - 1, position: current[current.length - 1].position };
    },
    readStreams: async (ids: readonly string[]) => new Map(ids.map((id): [string, RecordedEvent[]] => [id, [...(streams.get(id) ?? [])]])),
    readAll: async () => [],
    headPosition: async () => ({ commit: 0n, prepare: 0n }),
    close: async () => undefined,
  };
  return store;
}

const metadata = {
  schemaVersion: 1,
  actor: { staffId: 's1', roles: [] },
  clinicId: 'c1',
  correlationId: 'x',
  occurredAt: '2026-01-01T00:00:00Z',
} as EventMetadata;

describe('DeciderStore policies (run on the decided events before the append)', () => {
  it('appends the revision a policy asks for, with its metadata', async () => {
    const events = memoryStore();
    const store = new DeciderStore(events);
    const doubleOnes: DecisionPolicy<number[], Added, number> = async ({ events: decided, command }) =>
      decided.some((e) => e.data.n === 1) ? { command: [...command, 1], metadata: { reviewed: true } } : undefined;
    const result = await store.execute(counter, 'c-1', [1], { metadata, policies: [doubleOnes] });
    expect(result.newEvents.map((e) => e.data.n)).toEqual([1, 1]);
    expect(events.streams.get('c-1')?.map((e) => e.metadata.reviewed)).toEqual([true, true]);
  });

  it('answers a revision the decider refuses with the refusal, and appends nothing', async () => {
    const events = memoryStore();
    const store = new DeciderStore(events);
    const tooMuch: DecisionPolicy<number[], Added, number> = async () => ({ command: [9] });
    await expect(store.execute(counter, 'c-2', [1], { metadata, policies: [tooMuch] })).rejects.toMatchObject({ code: 'TOO_MUCH' });
    expect(events.streams.get('c-2')).toBeUndefined();
  });

  it('reviews again on the fresh state after a lost race', async () => {
    const events = memoryStore();
    const store = new DeciderStore(events);
    const seen: number[] = [];
    const watch: DecisionPolicy<number[], Added, number> = async ({ state }) => {
      seen.push(state);
      return undefined;
    };
    events.raceOnce = true;
    await store.execute(counter, 'c-3', [1], { metadata, policies: [watch] });
    expect(seen).toEqual([0, 1]);
  });
});
