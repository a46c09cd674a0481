import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  InvalidAppendError,
  WrongExpectedRevisionError,
  comparePositions,
  type EventStore,
  type EventToAppend,
  type Position,
  type RecordedEvent,
} from '../event-store.port.js';

export interface EventStoreFixture {
  readonly store: EventStore;
  dispose(): Promise<void>;
}

/**
 * The behaviour every EventStore adapter must show. Written for a shared log (EventStoreDB has one
 * $all for all tests): every case uses fresh stream names and only looks at its own events.
 */
export function describeEventStoreContract(label: string, makeStore: () => Promise<EventStoreFixture>): void {
  describe(`EventStore contract: ${label}`, () => {
    let fixture: EventStoreFixture | undefined;
    let store: EventStore;

    beforeAll(async () => {
      fixture = await makeStore();
      store = fixture.store;
    }, 60_000);
    afterAll(async () => {
      await fixture?.dispose();
    }, 60_000);

    const stream = (prefix = 'contract') => `${prefix}-${randomUUID()}`;
    const event = (type = 'Thing', data: unknown = { n: 1 }, metadata: Record<string, unknown> = { by: 'test' }): EventToAppend => ({
      id: randomUUID(),
      type,
      data,
      metadata,
    });
    const events = (n: number) => Array.from({ length: n }, (_, i) => event(`Thing${i}`, { i }));
    /**
     * This suite's events in `streams` after `after`, in log order. readAll may lag behind commits
     * (PostgreSQL holds back everything newer than the oldest running transaction, in any schema), so
     * a sentinel is appended last and the log re-read until it shows: everything before it is then visible.
     */
    const ownEvents = async (
      streams: readonly string[],
      after: Position,
      pageSize = 1000,
      payloadCategories?: readonly string[],
    ): Promise<RecordedEvent[]> => {
      const sentinel = event('Sentinel');
      await store.appendToStream(stream('sentinel'), [sentinel], 'no_stream');
      const wanted = new Set(streams);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const out: RecordedEvent[] = [];
        let seen = false;
        for (let at = after; ;) {
          const page = await store.readAll({ after: at, maxCount: pageSize, ...(payloadCategories ? { payloadCategories } : {}) });
          out.push(...page.filter((e) => wanted.has(e.streamId)));
          seen ||= page.some((e) => e.id === sentinel.id);
          if (page.length < pageSize) break;
          at = page[page.length - 1].position;
        }
        if (seen) return out;
        if (Date.now() > deadline) throw new Error('readAll did not show a committed event within 10 s.');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };

    describe('appendToStream', () => {
      it('creates a stream with no_stream and numbers its events from 0', async () => {
        const s = stream();
        const batch = events(3);
        const result = await store.appendToStream(s, batch, 'no_stream');
        expect(result.nextExpectedRevision).toBe(2);
        const read = await store.readStream(s);
        expect(read.map((e) => [e.id, e.streamId, e.revision, e.type])).toEqual(batch.map((e, i) => [e.id, s, i, e.type]));
        expect(read.every((e) => e.createdAt instanceof Date && !Number.isNaN(e.createdAt.getTime()))).toBe(true);
      });

      it('refuses no_stream when the stream exists, naming the actual revision', async () => {
        const s = stream();
        await store.appendToStream(s, events(2), 'no_stream');
        const error = await store.appendToStream(s, events(1), 'no_stream').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId: s, expected: 'no_stream', actual: 1, code: 'CONCURRENCY_CONFLICT' });
      });

      it('appends at the exact revision and refuses a stale or future one', async () => {
        const s = stream();
        await store.appendToStream(s, events(2), 'no_stream');
        expect((await store.appendToStream(s, events(1), 1)).nextExpectedRevision).toBe(2);
        await expect(store.appendToStream(s, events(1), 1)).rejects.toMatchObject({ actual: 2 });
        await expect(store.appendToStream(s, events(1), 7)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(store.appendToStream(stream(), events(1), 0)).rejects.toMatchObject({ actual: 'no_stream' });
        expect(await store.readStream(s)).toHaveLength(3);
      });

      it('appends with any to a new and to an existing stream', async () => {
        const s = stream();
        expect((await store.appendToStream(s, events(2), 'any')).nextExpectedRevision).toBe(1);
        expect((await store.appendToStream(s, events(2), 'any')).nextExpectedRevision).toBe(3);
        expect((await store.readStream(s)).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      });

      it('writes nothing of a batch that fails the revision check', async () => {
        const s = stream();
        await store.appendToStream(s, events(1), 'no_stream');
        const before = await store.headPosition();
        const rejected = events(3);
        await expect(store.appendToStream(s, rejected, 5)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(s)).toHaveLength(1);
        const ids = new Set(rejected.map((e) => e.id));
        expect((await ownEvents([s], before)).filter((e) => ids.has(e.id))).toEqual([]);
      });

      it('rejects an empty batch', async () => {
        await expect(store.appendToStream(stream(), [], 'any')).rejects.toBeInstanceOf(InvalidAppendError);
      });

      it('reports a position at or after every event it wrote', async () => {
        const s = stream();
        const before = await store.headPosition();
        const result = await store.appendToStream(s, events(3), 'no_stream');
        const read = await ownEvents([s], before);
        expect(read).toHaveLength(3);
        expect(read.every((e) => comparePositions(e.position, result.position) <= 0)).toBe(true);
        expect(comparePositions(await store.headPosition(), result.position)).toBeGreaterThanOrEqual(0);
      });
    });

    describe('idempotency by event id', () => {
      it('stores a retried batch (same ids, same expected revision) once and answers as the first time', async () => {
        const s = stream();
        await store.appendToStream(s, events(1), 'no_stream');
        const batch = events(2);
        const first = await store.appendToStream(s, batch, 0);
        const retry = await store.appendToStream(s, batch, 0);
        expect(retry).toEqual(first);
        expect((await store.readStream(s)).map((e) => e.id)).toHaveLength(3);
      });

      it('is idempotent for a retried no_stream creation', async () => {
        const s = stream();
        const batch = events(2);
        const first = await store.appendToStream(s, batch, 'no_stream');
        expect(await store.appendToStream(s, batch, 'no_stream')).toEqual(first);
        expect(await store.readStream(s)).toHaveLength(2);
      });

      it('refuses a stored id inside a different batch', async () => {
        const s = stream();
        const [a, b] = events(2);
        await store.appendToStream(s, [a, b], 'no_stream');
        const error = await store.appendToStream(s, [a, event()], 'no_stream').catch((e: unknown) => e);
        expect(error instanceof DuplicateEventIdError || error instanceof WrongExpectedRevisionError).toBe(true);
        expect((await store.readStream(s)).map((e) => e.id)).toEqual([a.id, b.id]);
      });
    });

    describe('readStream', () => {
      it('reads from a revision and at most maxCount events', async () => {
        const s = stream();
        await store.appendToStream(s, events(6), 'no_stream');
        expect((await store.readStream(s, { fromRevision: 2 })).map((e) => e.revision)).toEqual([2, 3, 4, 5]);
        expect((await store.readStream(s, { fromRevision: 1, maxCount: 2 })).map((e) => e.revision)).toEqual([1, 2]);
        expect((await store.readStream(s, { maxCount: 1 })).map((e) => e.revision)).toEqual([0]);
        expect(await store.readStream(s, { fromRevision: 6 })).toEqual([]);
      });

      it('returns [] for an unknown stream', async () => {
        expect(await store.readStream(stream('unknown'))).toEqual([]);
      });

      it('readStreams: each stream as readStream returns it, [] for an unknown one, one entry per id', async () => {
        const a = stream();
        const b = stream();
        const unknown = stream('unknown');
        await store.appendToStream(a, events(3), 'no_stream');
        await store.appendToStream(b, events(2), 'no_stream');
        await store.appendToStream(a, events(1), 2);
        const read = await store.readStreams([b, unknown, a, b]);
        expect([...read.keys()].sort()).toEqual([a, b, unknown].sort());
        expect(read.get(a)).toEqual(await store.readStream(a));
        expect(read.get(b)).toEqual(await store.readStream(b));
        expect(read.get(unknown)).toEqual([]);
        expect(await store.readStreams([])).toEqual(new Map());
      });

      it('readStreams with fromRevisions: the named streams from that revision on, the others whole', async () => {
        const a = stream();
        const b = stream();
        const unknown = stream('unknown');
        await store.appendToStream(a, events(4), 'no_stream');
        await store.appendToStream(b, events(2), 'no_stream');
        const fromRevisions = new Map([
          [a, 2],
          [unknown, 5],
        ]);
        const read = await store.readStreams([a, b, unknown], { fromRevisions });
        expect(read.get(a)).toEqual(await store.readStream(a, { fromRevision: 2 }));
        expect(read.get(a)?.map((e) => e.revision)).toEqual([2, 3]);
        expect(read.get(b)).toEqual(await store.readStream(b));
        expect(read.get(unknown)).toEqual([]);
        // a copy that is current reads nothing of its stream
        expect((await store.readStreams([a], { fromRevisions: new Map([[a, 4]]) })).get(a)).toEqual([]);
      });
    });

    describe('readAll', () => {
      it('returns events in write order with strictly increasing positions; after is exclusive; paging loses nothing', async () => {
        const before = await store.headPosition();
        const a = stream('all-a');
        const b = stream('all-b');
        const written = [
          ...(await appendAndList(store, a, events(2), 'no_stream')),
          ...(await appendAndList(store, b, events(3), 'no_stream')),
          ...(await appendAndList(store, a, events(1), 1)),
        ];
        const read = await ownEvents([a, b], before);
        expect(read.map((e) => e.id)).toEqual(written);
        for (let i = 1; i < read.length; i++) expect(comparePositions(read[i - 1].position, read[i].position)).toBe(-1);

        const afterFirst = await ownEvents([a, b], read[0].position);
        expect(afterFirst.map((e) => e.id)).toEqual(written.slice(1));
        const afterLast = await ownEvents([a, b], read[read.length - 1].position);
        expect(afterLast).toEqual([]);

        const paged = await ownEvents([a, b], before, 2);
        expect(paged.map((e) => e.id)).toEqual(written);
        expect(paged).toEqual(read);
      });

      it('payloadCategories: listed categories in full; the others in order and exact, with their payload or without it', async () => {
        const before = await store.headPosition();
        const kept = stream('kept');
        const other = stream('other');
        const written = [
          ...(await appendAndList(store, kept, [event('Kept', { x: 1 }, { by: 'kept' })], 'no_stream')),
          ...(await appendAndList(store, other, [event('Other', { y: 2 }, { by: 'other' })], 'no_stream')),
        ];
        const full = await ownEvents([kept, other], before);
        const hinted = await ownEvents([kept, other], before, 1000, ['kept']);
        const exact = (e: RecordedEvent) => [e.id, e.streamId, e.revision, e.type, e.position, e.createdAt];
        expect(hinted.map((e) => e.id)).toEqual(written);
        expect(hinted.map(exact)).toEqual(full.map(exact));
        expect(hinted[0]).toEqual(full[0]);
        expect(hinted[1].data === null ? hinted[1].metadata : hinted[1]).toEqual(hinted[1].data === null ? {} : full[1]);
      });

      it('returns at most maxCount events', async () => {
        const before = await store.headPosition();
        const s = stream();
        await store.appendToStream(s, events(3), 'no_stream');
        expect(await ownEvents([s], before)).toHaveLength(3);
        expect(await store.readAll({ after: before, maxCount: 2 })).toHaveLength(2);
      });
    });

    describe('decisions serialised by expected revision', () => {
      /**
       * What the schedule streams rest on (libs/domain/src/schedule): 16 secretaries put teams into one room at
       * the same minute. Each reads the room's stream, decides "free?" from what it read, and appends its
       * reservation with the revision it read as the expected one, deciding again after a
       * WrongExpectedRevisionError. Exactly one reservation may land; every other racer must see it and refuse.
       */
      it('16 racers reserving overlapping times on one stream: exactly one succeeds, 15 see its reservation and refuse', async () => {
        const room = stream('schedule-room');
        const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
        const race = async (i: number): Promise<'reserved' | 'clash'> => {
          const wanted = { start: 13 * 60 + (i % 4) * 15, end: 13 * 60 + (i % 4) * 15 + 90, team: `team-${i}` };
          for (let attempt = 0; attempt < 50; attempt++) {
            const existing = await store.readStream(room);
            const taken = existing.filter((e) => e.type === 'SlotReserved').map((e) => e.data as typeof wanted);
            if (taken.some((t) => overlaps(t, wanted))) return 'clash';
            try {
              await store.appendToStream(room, [event('SlotReserved', wanted)], existing.length === 0 ? 'no_stream' : existing.length - 1);
              return 'reserved';
            } catch (error) {
              if (!(error instanceof WrongExpectedRevisionError)) throw error;
            }
          }
          throw new Error('no decision after 50 attempts');
        };
        const outcomes = await Promise.all(Array.from({ length: 16 }, (_, i) => race(i)));
        expect(outcomes.filter((o) => o === 'reserved')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'clash')).toHaveLength(15);
        const stored = await store.readStream(room);
        expect(stored).toHaveLength(1);
        expect((stored[0].data as { team: string }).team).toBe(`team-${outcomes.indexOf('reserved')}`);
      }, 60_000);
    });

    describe('JSON round trip', () => {
      it('reads back data and metadata exactly as written', async () => {
        const data = {
          text: 'Ærø Ødegård Åse: æøå ÆØÅ — “quotes” \\ / \n tab\t ✓ 🎉',
          numbers: { int: 42, negative: -7, zero: 0, float: 3.14159, small: 1e-7, big: 9007199254740991 },
          flags: [true, false, null],
          nested: { deeper: { deepest: [1, { x: 'y' }, [], {}] } },
          empty: '',
        };
        const metadata = { actor: { staffId: 's-1', role: 'secretary' }, reason: 'flyttet til hold B', schemaVersion: 1 };
        const s = stream();
        const before = await store.headPosition();
        const written = [event('Rich', data, metadata), event('ArrayData', [1, 'to', { tre: 3 }]), event('Scalar', 'just text')];
        await store.appendToStream(s, written, 'no_stream');
        const expected = written.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }));
        const fromStream = await store.readStream(s);
        expect(fromStream.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }))).toEqual(expected);
        const fromAll = await ownEvents([s], before);
        expect(fromAll.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }))).toEqual(expected);
      });
    });
  });
}

async function appendAndList(
  store: EventStore,
  streamId: string,
  batch: EventToAppend[],
  expected: 'no_stream' | number,
): Promise<string[]> {
  await store.appendToStream(streamId, batch, expected);
  return batch.map((e) => e.id);
}
