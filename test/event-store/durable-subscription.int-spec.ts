import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  CheckpointStore,
  DurableSubscription,
  PostgresEventStore,
  START,
  comparePositions,
  listenForAppends,
  type DurableSubscriptionOptions,
  type EventToAppend,
  type Position,
  type RecordedEvent,
} from '#app/event-store';
import type { OpenDatabase } from '#app/database';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { gate, waitFor } from '../support/wait-for.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

const event = (type = 'Happened'): EventToAppend => ({ id: randomUUID(), type, data: { at: type }, metadata: {} });

describeForEachDatabase(targets, 'DurableSubscription', (target) => {
  let db: OpenDatabase;
  let store: PostgresEventStore;
  const running: DurableSubscription[] = [];

  beforeAll(async () => {
    db = await target.open();
    store = new PostgresEventStore(db.dataSource, { preparedStatements: db.kind === 'postgres' });
  }, 60_000);
  afterEach(async () => {
    for (const sub of running.splice(0)) await sub.stop();
  });
  afterAll(() => closeIfStarted(db), 60_000);

  /** A read model for one test: a row per event (unique) and a plain counter that would double-count. */
  async function projection() {
    const tag = randomBytes(4).toString('hex');
    const prefix = `sub-${tag}-`;
    const rows = `applied_${tag}`;
    const counter = `counter_${tag}`;
    await db.dataSource.query(`CREATE TABLE ${rows} (event_id uuid PRIMARY KEY, consumer text NOT NULL, seq bigserial)`);
    await db.dataSource.query(`CREATE TABLE ${counter} (n int NOT NULL); INSERT INTO ${counter} VALUES (0)`);
    const failing = { on: undefined as string | undefined };
    const handler =
      (consumer = 'a') =>
      async (events: readonly RecordedEvent[], manager: EntityManager) => {
        const mine = events.filter((e) => e.streamId.startsWith(prefix));
        for (const e of mine) await manager.query(`INSERT INTO ${rows} (event_id, consumer) VALUES ($1, $2)`, [e.id, consumer]);
        await manager.query(`UPDATE ${counter} SET n = n + $1`, [mine.length]);
        if (failing.on && mine.some((e) => e.type === failing.on)) throw new Error(`projection cannot handle ${failing.on}`);
      };
    const count = async () => Number((await db.dataSource.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM ${rows}`))[0].n);
    const counted = async () => (await db.dataSource.query<Array<{ n: number }>>(`SELECT n FROM ${counter}`))[0].n;
    const appliedIds = async () =>
      (await db.dataSource.query<Array<{ event_id: string }>>(`SELECT event_id FROM ${rows} ORDER BY seq`)).map((r) => r.event_id);
    const append = async (n: number, type = 'Happened') => {
      const batch = Array.from({ length: n }, () => event(type));
      const result = await store.appendToStream(`${prefix}${randomUUID()}`, batch, 'no_stream');
      return { batch, position: result.position };
    };
    return { tag, handler, failing, count, counted, appliedIds, append };
  }

  function subscription(options: Partial<DurableSubscriptionOptions> & Pick<DurableSubscriptionOptions, 'handler'>, errors: string[] = []) {
    const sub = new DurableSubscription({
      name: `sub-${randomUUID()}`,
      source: store,
      dataSource: db.dataSource,
      batchSize: 4,
      pollIntervalMs: 20,
      retryDelayMs: { initial: 5, max: 20 },
      logger: { log: () => undefined, error: (m) => errors.push(m) },
      ...options,
    });
    running.push(sub);
    return sub;
  }

  it('applies every event once, commits the checkpoint with the effects, and reports its status', async () => {
    const p = await projection();
    const sub = subscription({ handler: p.handler() });
    await sub.start();
    const { position } = await p.append(10);
    await sub.waitUntilCaughtUp(position);
    expect(await p.count()).toBe(10);
    expect(await p.counted()).toBe(10);
    expect(comparePositions(await sub.checkpoint(), position)).toBeGreaterThanOrEqual(0);
    const status = await sub.status();
    expect(status).toMatchObject({ name: sub.name, running: true, lag: 0, consecutiveFailures: 0, conflicts: 0 });
    expect(status.head).toEqual(status.checkpoint);
    expect(status.batchesApplied).toBeGreaterThanOrEqual(3);
  }, 30_000);

  it('rolls back a failing batch (no effects, no checkpoint), retries it, and applies it exactly once when fixed', async () => {
    const p = await projection();
    const errors: string[] = [];
    const sub = subscription({ handler: p.handler(), batchSize: 50 }, errors);
    await sub.start();
    const good = await p.append(3);
    await sub.waitUntilCaughtUp(good.position);

    p.failing.on = 'Poison';
    const poisoned = await p.append(3, 'Poison');
    await waitFor(() => errors.length >= 2, 'the failing batch to be retried');
    expect(errors[0]).toContain('projection cannot handle Poison');
    expect(errors[0]).toContain(sub.name);
    expect(await p.count()).toBe(3); // the rows the handler wrote before throwing were rolled back
    expect(await p.counted()).toBe(3);
    expect(await sub.checkpoint()).toEqual(good.position);
    expect((await sub.status()).consecutiveFailures).toBeGreaterThanOrEqual(2);

    p.failing.on = undefined;
    await sub.waitUntilCaughtUp(poisoned.position);
    expect(await p.count()).toBe(6);
    expect(await p.counted()).toBe(6);
    expect((await sub.status()).consecutiveFailures).toBe(0);
  }, 30_000);

  it('never applies an event twice when two consumers with the same name run at once', async () => {
    const p = await projection();
    const name = `shared-${randomUUID()}`;
    const errors: string[] = [];
    const a = subscription({ name, handler: p.handler('a'), batchSize: 3 }, errors);
    const b = subscription({ name, handler: p.handler('b'), batchSize: 3 }, errors);
    const first = await p.append(30);
    await Promise.all([a.start(), b.start()]);
    const writes = Array.from({ length: 10 }, () => p.append(3));
    const last = (await Promise.all(writes)).reduce((x, y) => (comparePositions(x.position, y.position) >= 0 ? x : y));
    await Promise.all([a.waitUntilCaughtUp(last.position, 20_000), b.waitUntilCaughtUp(last.position, 20_000)]);
    expect(comparePositions(last.position, first.position)).toBe(1);
    expect(await p.count()).toBe(60);
    expect(await p.counted()).toBe(60);
    expect(errors).toEqual([]);
  }, 30_000);

  if (target.kind === 'postgres') {
    it('makes the slower of two same-named consumers drop its batch when the other committed it first', async () => {
      const p = await projection();
      const name = `gated-${randomUUID()}`;
      const held = gate();
      const entered = gate();
      const slow = p.handler('a');
      const marker = await p.append(1);
      const a = subscription({
        name,
        from: marker.position, // so that a's first batch is exactly the 4 events below
        handler: async (events, manager) => {
          entered.open();
          await held.promise;
          await slow(events, manager);
        },
      });
      const { position } = await p.append(4);
      await a.start();
      await entered.promise; // a holds the checkpoint row, its batch not yet committed
      const b = subscription({ name, from: marker.position, handler: p.handler('b') });
      await b.start();
      await waitFor(async () => (await b.status()).reads >= 1, 'b to read the same batch');
      held.open();
      await Promise.all([a.waitUntilCaughtUp(position), b.waitUntilCaughtUp(position)]);
      expect((await b.status()).conflicts).toBeGreaterThanOrEqual(1);
      expect(await p.count()).toBe(4);
      expect(await p.counted()).toBe(4);
      expect(await db.dataSource.query<unknown[]>(`SELECT DISTINCT consumer FROM applied_${p.tag}`)).toEqual([{ consumer: 'a' }]);
    }, 30_000);

    it('wakes up on the NOTIFY of an append, without polling', async () => {
      const p = await projection();
      const sub = subscription({ handler: p.handler(), pollIntervalMs: 600_000 });
      const listener = await listenForAppends(db.connectionString, () => sub.poke());
      try {
        await sub.start();
        await waitFor(async () => (await sub.status()).idle, 'the subscription to go idle');
        await p.append(2);
        await waitFor(async () => (await p.count()) === 2, 'the NOTIFY to wake the subscription', 5_000);
      } finally {
        await listener.close();
      }
    }, 30_000);
  }

  it('wakes up at once on poke() even with a long poll interval', async () => {
    const p = await projection();
    const sub = subscription({ handler: p.handler(), pollIntervalMs: 600_000 });
    await sub.start();
    await waitFor(async () => (await sub.status()).idle, 'the subscription to go idle');
    await p.append(2);
    sub.poke();
    await waitFor(async () => (await p.count()) === 2, 'poke() to wake the subscription', 5_000);
  }, 30_000);

  it('finishes the batch in flight before stop() resolves, and resumes from the checkpoint', async () => {
    const p = await projection();
    const name = `stop-${randomUUID()}`;
    const held = gate();
    const entered = gate();
    const apply = p.handler();
    // from the head, so the batch held is the one with these 5 events (from START, a batch of earlier tests' events
    // could be the one held, when a transaction elsewhere in the cluster keeps the gap-safe horizon behind ours)
    const head = await store.headPosition();
    const first = subscription({
      name,
      from: head,
      batchSize: 100,
      handler: async (events, manager) => {
        entered.open();
        await held.promise;
        await apply(events, manager);
      },
    });
    const one = await p.append(5);
    await first.start();
    await entered.promise;
    let stopped = false;
    const stopping = first.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    held.open();
    await stopping;
    expect(await p.count()).toBe(5);
    expect(comparePositions(await first.checkpoint(), one.position)).toBeGreaterThanOrEqual(0);

    const two = await p.append(5);
    const second = subscription({ name, handler: apply });
    await second.start();
    await second.waitUntilCaughtUp(two.position);
    expect(await p.count()).toBe(10);
    expect(await p.counted()).toBe(10);
  }, 30_000);

  it('rebuilds from START under a new name (or after a reset) to the same result as the live projection', async () => {
    const live = await projection();
    const liveSub = subscription({ handler: live.handler() });
    await liveSub.start();
    await live.append(3);
    const { position } = await live.append(4);
    await liveSub.waitUntilCaughtUp(position);

    const rebuilt = await projection();
    const rebuildHandler = rebuilt.handler();
    const rebuild = subscription({
      from: START,
      // the rebuilt table counts the live projection's events
      handler: (events, manager) =>
        rebuildHandler(
          events.map((e) => ({ ...e, streamId: e.streamId.replace(`sub-${live.tag}-`, `sub-${rebuilt.tag}-`) })),
          manager,
        ),
    });
    await rebuild.start();
    await rebuild.waitUntilCaughtUp(position);
    expect(await rebuilt.appliedIds()).toEqual(await live.appliedIds());

    await new CheckpointStore(db.dataSource).reset(liveSub.name, START);
    await liveSub.stop();
    await db.dataSource.query(`TRUNCATE applied_${live.tag}; UPDATE counter_${live.tag} SET n = 0`);
    const replay = subscription({ name: liveSub.name, handler: live.handler() });
    await replay.start();
    await replay.waitUntilCaughtUp(position);
    expect(await live.appliedIds()).toEqual(await rebuilt.appliedIds());
    expect(await live.counted()).toBe(7);
  }, 30_000);

  it('starts a new subscription after a given position', async () => {
    const p = await projection();
    const earlier = await p.append(3);
    const sub = subscription({ from: earlier.position, handler: p.handler() });
    await sub.start();
    const later = await p.append(2);
    await sub.waitUntilCaughtUp(later.position);
    expect(await p.appliedIds()).toEqual(later.batch.map((e) => e.id));
  }, 30_000);

  it('rejects waitUntilCaughtUp after the timeout, naming where it is', async () => {
    const p = await projection();
    const sub = subscription({ handler: p.handler() });
    await sub.start();
    const far: Position = { commit: 2n ** 62n, prepare: 0n };
    await expect(sub.waitUntilCaughtUp(far, 50)).rejects.toThrow(/did not reach/);
  }, 30_000);
});
