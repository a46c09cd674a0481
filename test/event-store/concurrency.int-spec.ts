import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  PostgresEventStore,
  START,
  WrongExpectedRevisionError,
  comparePositions,
  type EventToAppend,
  type RecordedEvent,
} from '#app/event-store';
import type { OpenDatabase } from '#app/database';
import { describeForEachDatabase, testDatabaseTargets, type DatabaseTarget } from '../support/database-targets.js';
import { waitFor } from '../support/wait-for.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();
const WRITERS = 16;

const event = (type = 'Raced', data: unknown = {}): EventToAppend => ({ id: randomUUID(), type, data, metadata: {} });

// each append alone (every writer its own session: the races are the server's), and the default, where the
// appends of concurrent callers share statements (group commit: append_to_streams)
const MODES = [
  { mode: 'each append alone', appendStatements: 0 },
  { mode: 'appends grouped', appendStatements: undefined },
];

describeForEachDatabase(targets, 'PostgresEventStore under concurrency', (target) => {
  describe.each(MODES)('$mode', ({ appendStatements }) => concurrencySuite(target, appendStatements));
});

describeForEachDatabase(targets, 'PostgresEventStore group commit', (target) => {
  let db: OpenDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await target.open();
    store = new PostgresEventStore(db.dataSource, { appendStatements: 1, preparedStatements: db.kind === 'postgres' });
  }, 60_000);
  afterAll(() => closeIfStarted(db), 60_000);

  it('answers each append of a shared statement on its own: appended, wrong revision, idempotent retry', async () => {
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((k) => `group-${k}-${randomUUID()}`);
    const retried = [event(), event()];
    const first = await store.appendToStream(d, retried, 'no_stream');
    await store.appendToStream(c, [event()], 'no_stream');
    // `a` takes the one statement; the rest wait for it and then share the next one
    const [ra, rb, rc, rd, re] = await Promise.allSettled([
      store.appendToStream(a, [event()], 'no_stream'),
      store.appendToStream(b, [event(), event()], 'no_stream'),
      store.appendToStream(c, [event()], 5),
      store.appendToStream(d, retried, 'no_stream'),
      store.appendToStream(e, [event()], 'no_stream'),
    ]);
    expect(ra.status).toBe('fulfilled');
    expect(rb).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1 } });
    expect(rc).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedRevisionError) });
    expect(rd).toEqual({ status: 'fulfilled', value: first });
    expect(re.status).toBe('fulfilled');
    const written = await db.dataSource.query<Array<{ stream_id: string; tx: string }>>(
      `SELECT DISTINCT stream_id, transaction_id::text AS tx FROM events WHERE stream_id = ANY($1)`,
      [[a, b, c, d, e]],
    );
    const txOf = (s: string) => written.filter((w) => w.stream_id === s).map((w) => w.tx);
    // b and e were written by the shared statement (one transaction); a went alone before it
    expect(txOf(b)).toHaveLength(1);
    expect(txOf(e)).toEqual(txOf(b));
    expect(txOf(a)).not.toEqual(txOf(b));
    expect(await store.readStream(c)).toHaveLength(1);
    expect(await store.readStream(d)).toHaveLength(2);
  });

  it('keeps two appends to one stream out of one statement, so a retry of either still matches', async () => {
    const s = `group-same-${randomUUID()}`;
    const other = `group-other-${randomUUID()}`;
    const [one, two] = [[event()], [event()]];
    const results = await Promise.all([
      store.appendToStream(other, [event()], 'no_stream'),
      store.appendToStream(s, one, 'any'),
      store.appendToStream(s, two, 'any'),
    ]);
    expect(await store.appendToStream(s, one, 'any')).toEqual(results[1]);
    expect(await store.appendToStream(s, two, 'any')).toEqual(results[2]);
    expect((await store.readStream(s)).map((e) => e.revision)).toEqual([0, 1]);
  });
});

function concurrencySuite(target: DatabaseTarget, appendStatements: number | undefined) {
  let db: OpenDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    // one pooled connection per writer, so the writers really are separate sessions (PostgreSQL server)
    db = await target.open({ poolSize: target.kind === 'postgres' ? WRITERS + 4 : 10 });
    store = new PostgresEventStore(db.dataSource, { appendStatements, preparedStatements: db.kind === 'postgres' });
  }, 60_000);
  afterAll(() => closeIfStarted(db), 60_000);

  const countRows = async (sql: string, params: unknown[] = []) =>
    Number((await db.dataSource.query<Array<{ n: string }>>(sql, params))[0].n);

  it(`lets exactly one of ${WRITERS} writers win a race on the same expected revision`, async () => {
    const s = `race-${randomUUID()}`;
    await store.appendToStream(s, [event()], 'no_stream');
    const outcomes = await Promise.allSettled(
      Array.from({ length: WRITERS }, (_, i) => store.appendToStream(s, [event('Raced', { i }), event()], 0)),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(WRITERS - 1);
    for (const o of lost) expect(o.reason).toBeInstanceOf(WrongExpectedRevisionError);
    for (const o of lost) expect((o.reason as WrongExpectedRevisionError).actual).toBe(2);
    expect((await store.readStream(s)).map((e) => e.revision)).toEqual([0, 1, 2]);
  });

  it(`lets exactly one of ${WRITERS} writers create a stream with no_stream`, async () => {
    const s = `create-race-${randomUUID()}`;
    const outcomes = await Promise.allSettled(Array.from({ length: WRITERS }, () => store.appendToStream(s, [event()], 'no_stream')));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof WrongExpectedRevisionError)).toHaveLength(WRITERS - 1);
    expect(await store.readStream(s)).toHaveLength(1);
  });

  it(`keeps a stream gapless and duplicate-free while ${WRITERS} writers retry on conflicts`, async () => {
    const s = `contended-${randomUUID()}`;
    const perWriter = target.kind === 'embedded' ? 1 : 2; // PGlite serialises every attempt
    const writer = async (w: number) => {
      for (let n = 0; n < perWriter; n++) {
        const batch = [event('Contended', { w, n })];
        for (;;) {
          const current = await store.readStream(s);
          try {
            await store.appendToStream(s, batch, current.length === 0 ? 'no_stream' : current.length - 1);
            break;
          } catch (error) {
            if (!(error instanceof WrongExpectedRevisionError)) throw error;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    const read = await store.readStream(s);
    expect(read.map((e) => e.revision)).toEqual(Array.from({ length: WRITERS * perWriter }, (_, i) => i));
    expect(new Set(read.map((e) => e.id)).size).toBe(read.length);
    expect(new Set(read.map((e) => JSON.stringify(e.data))).size).toBe(WRITERS * perWriter);
  }, 30_000);

  it('returns every event exactly once from readAll while many writers append to many streams, each stream in revision order', async () => {
    const before = await store.headPosition();
    const streams = Array.from({ length: 12 }, (_, i) => `many-${i}-${randomUUID()}`);
    const written: string[] = [];
    const writer = async (w: number) => {
      for (let round = 0; round < 4; round++) {
        const s = streams[(w * 5 + round * 7) % streams.length];
        const batch = Array.from({ length: 1 + ((w + round) % 3) }, () => event('Many', { w, round }));
        await store.appendToStream(s, batch, 'any');
        written.push(...batch.map((e) => e.id));
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));

    // readAll shows a commit once every older transaction (in any schema of the server) has ended
    const read = await waitFor(async () => {
      const all: RecordedEvent[] = [];
      for (let after = before; ;) {
        const page = await store.readAll({ after, maxCount: 7 });
        all.push(...page);
        if (page.length < 7) break;
        after = page[page.length - 1].position;
      }
      return all.length >= written.length && all;
    }, 'every written event to be readable');
    const own = read.filter((e) => streams.includes(e.streamId));
    expect(own.map((e) => e.id).sort()).toEqual([...written].sort());
    expect(new Set(own.map((e) => e.id)).size).toBe(own.length);
    for (let i = 1; i < read.length; i++) expect(comparePositions(read[i - 1].position, read[i].position)).toBe(-1);
    for (const s of streams) {
      const revisions = own.filter((e) => e.streamId === s).map((e) => e.revision);
      expect(revisions).toEqual(revisions.map((_, i) => i));
    }
    expect(await store.headPosition()).toEqual(read[read.length - 1].position);
    expect(await store.countEventsAfter(before)).toBe(read.length);
  }, 30_000);

  describe('idempotency', () => {
    it('stores a retried append once (row count) and answers with the first position', async () => {
      const s = `retry-${randomUUID()}`;
      const batch = [event(), event(), event()];
      const first = await store.appendToStream(s, batch, 'no_stream');
      const again = await store.appendToStream(s, batch, 'no_stream');
      expect(again).toEqual(first);
      expect(await countRows(`SELECT count(*) AS n FROM events WHERE stream_id = $1`, [s])).toBe(3);
      expect(await countRows(`SELECT revision AS n FROM streams WHERE stream_id = $1`, [s])).toBe(2);
    });

    it('stores a batch once when identical retries race, and every one of them succeeds with the same answer', async () => {
      const s = `retry-race-${randomUUID()}`;
      await store.appendToStream(s, [event()], 'no_stream');
      const batch = [event(), event()];
      const results = await Promise.all(Array.from({ length: 8 }, () => store.appendToStream(s, batch, 0)));
      for (const r of results) expect(r).toEqual(results[0]);
      expect(results[0].nextExpectedRevision).toBe(2);
      expect(await countRows(`SELECT count(*) AS n FROM events WHERE stream_id = $1`, [s])).toBe(3);
    });

    it('lets only one of racing appends of the same ids to different streams succeed', async () => {
      const batch = [event()];
      const streams = Array.from({ length: 6 }, () => `dup-race-${randomUUID()}`);
      const outcomes = await Promise.allSettled(streams.map((s) => store.appendToStream(s, batch, 'no_stream')));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(DuplicateEventIdError);
      expect(await countRows(`SELECT count(*) AS n FROM events WHERE event_id = $1`, [batch[0].id])).toBe(1);
      expect(await countRows(`SELECT count(*) AS n FROM streams WHERE stream_id = ANY($1)`, [streams])).toBe(1);
    });

    it('refuses a partly stored batch and a stored id in another stream, writing nothing', async () => {
      const s = `partial-${randomUUID()}`;
      const [a, b] = [event(), event()];
      await store.appendToStream(s, [a, b], 'no_stream');
      await expect(store.appendToStream(s, [b, event()], 0)).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(store.appendToStream(s, [a], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(store.appendToStream(`other-${randomUUID()}`, [a, b], 'no_stream')).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect((await store.readStream(s)).map((e) => e.id)).toEqual([a.id, b.id]);
    });
  });

  it('reads START as before the first event', async () => {
    const [first] = await store.readAll({ after: START, maxCount: 1 });
    expect(first.revision).toBe(0);
  });
}
