import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  DurableSubscription,
  PostgresEventStore,
  START,
  comparePositions,
  type EventToAppend,
  type Position,
  type RecordedEvent,
} from '#app/event-store';
import type { OpenDatabase } from '#app/database';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { gate, waitFor } from '../support/wait-for.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

const event = (type = 'Happened'): EventToAppend => ({ id: randomUUID(), type, data: {}, metadata: {} });
const newest = (positions: Position[]) => positions.reduce((a, b) => (comparePositions(a, b) >= 0 ? a : b));

/**
 * The gap problem: a bigserial is taken at INSERT but becomes visible at COMMIT. While one append is
 * held open, later appends commit with larger positions; a reader that checkpoints past them would
 * never see the held one. These tests hold an append open with the adapter's beforeCommit hook.
 */
describeForEachDatabase(
  targets,
  'Gap safety of the global log',
  (target) => {
    let db: OpenDatabase;
    let store: PostgresEventStore;
    const holds = new Map<string, () => Promise<void>>();
    const subs: DurableSubscription[] = [];

    beforeAll(async () => {
      db = await target.open();
      store = new PostgresEventStore(db.dataSource, { beforeCommit: async (streamId) => holds.get(streamId)?.() });
      await db.dataSource.query(`CREATE TABLE delivered (seq bigserial PRIMARY KEY, event_id uuid NOT NULL)`);
    }, 60_000);
    afterEach(async () => {
      for (const sub of subs.splice(0)) await sub.stop();
    });
    afterAll(() => closeIfStarted(db), 60_000);

    // no unique key on purpose: a repeated delivery shows up as a second row
    const record = async (events: readonly RecordedEvent[], manager: EntityManager) => {
      for (const e of events) await manager.query(`INSERT INTO delivered (event_id) VALUES ($1)`, [e.id]);
    };
    const subscribe = async (name: string) => {
      const sub = new DurableSubscription({
        name,
        source: store,
        dataSource: db.dataSource,
        handler: record,
        batchSize: 3,
        pollIntervalMs: 10,
        logger: { log: () => undefined, error: (m) => console.error(m) },
      });
      subs.push(sub);
      await sub.start();
      return sub;
    };
    const delivered = async () =>
      (await db.dataSource.query<Array<{ event_id: string }>>(`SELECT event_id FROM delivered ORDER BY seq`)).map((r) => r.event_id);
    const wholeLog = async () => (await store.readAll({ after: START, maxCount: 10_000 })).map((e) => e.id);
    const append = async (streamId = `s-${randomUUID()}`) => {
      const e = event();
      const { position } = await store.appendToStream(streamId, [e], 'any');
      return { id: e.id, position };
    };
    /** Starts an append that stays open (rows inserted, not committed) until `release` is called. */
    const holdAppend = async (rollBack: boolean) => {
      const streamId = `held-${randomUUID()}`;
      const entered = gate();
      const released = gate();
      holds.set(streamId, async () => {
        entered.open();
        await released.promise;
        if (rollBack) throw new Error('the writer gave up');
      });
      const e = event('Held');
      const done = store.appendToStream(streamId, [e], 'no_stream');
      done.catch(() => undefined);
      await entered.promise;
      return { id: e.id, done, release: () => released.open() };
    };
    /** Pokes until the subscription has completed two more reads, so it certainly read after now. */
    const letItRead = async (sub: DurableSubscription) => {
      const before = (await sub.status()).reads;
      await waitFor(async () => {
        sub.poke();
        return (await sub.status()).reads >= before + 2;
      }, 'the subscription to read the log again');
    };

    it('delivers every event exactly once, in log order, around an append held open while later ones commit', async () => {
      const name = `gap-${randomUUID()}`;
      const sub = await subscribe(name);
      const first = await append();
      await sub.waitUntilCaughtUp(first.position);

      const held = await holdAppend(false);
      const later = [await append(), await append(), await append(), await append()];

      await letItRead(sub);
      // nothing past the open transaction was handed out, so nothing can be skipped when it commits
      expect(await delivered()).not.toContain(later[0].id);
      expect(await store.readAll({ after: first.position, maxCount: 100 })).toEqual([]);
      expect(await store.headPosition()).toEqual(first.position);

      held.release();
      const heldResult = await held.done;
      // the held event took its global position before the later ones: a reader that checkpointed
      // "global_position > last seen" would have skipped it for good
      for (const l of later) expect(heldResult.position.prepare < l.position.prepare).toBe(true);

      await sub.waitUntilCaughtUp(newest([heldResult.position, ...later.map((l) => l.position)]));
      const log = await wholeLog();
      expect(log).toContain(held.id);
      expect(await delivered()).toEqual(log);

      // restart from the stored checkpoint: no loss, no repeats
      await sub.stop();
      const more = [await append(), await append(), await append()];
      const again = await subscribe(name);
      await again.waitUntilCaughtUp(newest(more.map((m) => m.position)));
      expect(await delivered()).toEqual(await wholeLog());
      expect(new Set(await delivered()).size).toBe((await delivered()).length);
    }, 30_000);

    it('never delivers an append that was held open and then rolled back', async () => {
      await db.dataSource.query(`TRUNCATE delivered`);
      const sub = await subscribe(`rollback-${randomUUID()}`);
      const held = await holdAppend(true);
      const later = [await append(), await append()];
      await letItRead(sub);
      expect(await delivered()).not.toContain(later[0].id);

      held.release();
      await expect(held.done).rejects.toThrow('the writer gave up');
      await sub.waitUntilCaughtUp(newest(later.map((l) => l.position)));
      const log = await wholeLog();
      expect(log).not.toContain(held.id);
      expect(log).toEqual(expect.arrayContaining(later.map((l) => l.id)));
      expect(await delivered()).toEqual(log);
    }, 30_000);
  },
  { embedded: 'PGlite runs one transaction at a time, so no append can commit while another is open: no gap can form' },
);
