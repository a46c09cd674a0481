import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { EntityManager } from 'typeorm';
import { AdvisoryLockLeadership, DurableSubscription, PostgresEventStore, type Leadership, type RecordedEvent } from '#app/event-store';
import type { OpenDatabase } from '#app/database';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { waitFor } from '../support/wait-for.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

/** A leadership the test hands over by hand. */
function switchable(initial: boolean): Leadership & { set(leader: boolean): void } {
  const listeners = new Set<(leader: boolean) => void>();
  let leader = initial;
  return {
    get isLeader() {
      return leader;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      leader = next;
      for (const l of listeners) l(next);
    },
  };
}

describeForEachDatabase(targets, 'Elected consumers', (target) => {
  let db: OpenDatabase;
  let store: PostgresEventStore;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    db = await target.open();
    store = new PostgresEventStore(db.dataSource);
  }, 60_000);
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  afterAll(() => closeIfStarted(db), 60_000);

  async function counter() {
    const tag = randomBytes(4).toString('hex');
    await db.dataSource.query(`CREATE TABLE applied_${tag} (event_id uuid PRIMARY KEY, consumer text NOT NULL)`);
    const handler = (consumer: string) => async (events: readonly RecordedEvent[], manager: EntityManager) => {
      for (const e of events.filter((x) => x.streamId.startsWith(`el-${tag}-`))) {
        await manager.query(`INSERT INTO applied_${tag} (event_id, consumer) VALUES ($1, $2)`, [e.id, consumer]);
      }
    };
    const byConsumer = async () =>
      Object.fromEntries(
        (
          await db.dataSource.query<Array<{ consumer: string; n: number }>>(
            `SELECT consumer, count(*)::int AS n FROM applied_${tag} GROUP BY consumer`,
          )
        ).map((r) => [r.consumer, r.n]),
      );
    const append = async (n: number) =>
      store.appendToStream(
        `el-${tag}-${randomUUID()}`,
        Array.from({ length: n }, () => ({ id: randomUUID(), type: 'Happened', data: {}, metadata: {} })),
        'no_stream',
      );
    return { handler, byConsumer, append };
  }

  function subscription(name: string, leadership: Leadership, handler: (e: readonly RecordedEvent[], m: EntityManager) => Promise<void>) {
    const sub = new DurableSubscription({
      name,
      source: store,
      dataSource: db.dataSource,
      handler,
      batchSize: 4,
      pollIntervalMs: 20,
      leadership,
      logger: { log: () => undefined, error: () => undefined },
    });
    cleanup.push(() => sub.stop());
    return sub;
  }

  it('only the leader applies batches; the follower follows the checkpoint, and takes over when elected', async () => {
    const c = await counter();
    const name = `elected-${randomUUID()}`;
    const la = switchable(true);
    const lb = switchable(false);
    const a = subscription(name, la, c.handler('a'));
    const b = subscription(name, lb, c.handler('b'));
    await Promise.all([a.start(), b.start()]);
    expect([a.consuming, b.consuming]).toEqual([true, false]);

    const first = await c.append(10);
    await Promise.all([a.waitUntilCaughtUp(first.position), b.waitUntilCaughtUp(first.position)]);
    expect(await c.byConsumer()).toEqual({ a: 10 });
    expect((await b.status()).batchesApplied).toBe(0);
    expect((await b.status()).reads).toBe(0); // a follower never reads the log
    expect((await b.status()).checkpoint).toEqual((await a.status()).checkpoint);

    la.set(false);
    lb.set(true);
    const second = await c.append(6);
    await Promise.all([a.waitUntilCaughtUp(second.position), b.waitUntilCaughtUp(second.position)]);
    expect(await c.byConsumer()).toEqual({ a: 10, b: 6 });
    expect((await b.status()).batchesApplied).toBeGreaterThanOrEqual(2);
  }, 30_000);

  if (target.kind === 'postgres') {
    const url = () => db.connectionString;
    const heldBy = async (key: string) => {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT l.pid, l.granted FROM pg_locks l
           WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0) ORDER BY l.granted DESC`,
          [key],
        );
        return rows as Array<{ pid: number; granted: boolean }>;
      } finally {
        await client.end();
      }
    };
    const elect = (key: string) => {
      const l = AdvisoryLockLeadership.start({ connectionString: url(), key, retryDelayMs: { initial: 10, max: 50 } });
      cleanup.push(() => l.stop());
      return l;
    };

    it('elects exactly one of two processes with an advisory lock, and hands over when the leader goes', async () => {
      const key = `${db.schema}:${randomUUID()}`;
      const a = elect(key);
      await a.whenLeader();
      const b = elect(key);
      await waitFor(async () => (await heldBy(key)).length === 2, 'b to wait for the lock');
      const locks = await heldBy(key);
      expect(locks.map((l) => l.granted)).toEqual([true, false]);
      expect([a.isLeader, b.isLeader]).toEqual([true, false]);

      const changes: boolean[] = [];
      b.onChange((leader) => changes.push(leader));
      await a.stop(); // its connection ends: PostgreSQL releases the lock
      await b.whenLeader(5_000);
      expect(changes).toEqual([true]);
      expect(a.isLeader).toBe(false);
      expect((await heldBy(key)).filter((l) => l.granted)).toHaveLength(1);
    }, 30_000);

    it('a leader whose connection dies stops leading at once, the waiting one takes over, and the first contends again', async () => {
      const key = `${db.schema}:${randomUUID()}`;
      const a = elect(key);
      await a.whenLeader();
      const b = elect(key);
      await waitFor(async () => (await heldBy(key)).length === 2, 'b to wait for the lock');
      const leaderPid = present((await heldBy(key)).find((l) => l.granted)).pid;
      const lost = new Promise<boolean>((resolve) => a.onChange(resolve));

      const admin = new pg.Client({ connectionString: url() });
      await admin.connect();
      await admin.query(`SELECT pg_terminate_backend($1)`, [leaderPid]); // as if the process (or its connection) died
      await admin.end();

      expect(await lost).toBe(false);
      await b.whenLeader(5_000);
      await waitFor(async () => (await heldBy(key)).some((l) => !l.granted), 'a to contend again');
      expect(a.isLeader).toBe(false);
    }, 30_000);

    it('drives DurableSubscriptions: one consumer across two elections of the same key, hand-over included', async () => {
      const c = await counter();
      const name = `elected-${randomUUID()}`;
      const key = `${db.schema}:${name}`;
      const la = elect(key);
      await la.whenLeader();
      const lb = elect(key);
      const a = subscription(name, la, c.handler('a'));
      const b = subscription(name, lb, c.handler('b'));
      await Promise.all([a.start(), b.start()]);
      const first = await c.append(8);
      await Promise.all([a.waitUntilCaughtUp(first.position), b.waitUntilCaughtUp(first.position)]);
      expect(await c.byConsumer()).toEqual({ a: 8 });

      await la.stop();
      await lb.whenLeader(5_000);
      const second = await c.append(5);
      await b.waitUntilCaughtUp(second.position);
      expect(await c.byConsumer()).toEqual({ a: 8, b: 5 });
    }, 30_000);
  }
});
