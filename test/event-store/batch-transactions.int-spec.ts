import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CheckpointStore, SharedBatchTransactions, START, type Position, type SubscriptionBatch } from '#app/event-store';
import type { OpenDatabase } from '#app/database';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

const at = (n: number): Position => ({ commit: BigInt(n), prepare: BigInt(n) });

describeForEachDatabase(targets, 'SharedBatchTransactions', (target) => {
  let db: OpenDatabase;
  let checkpoints: CheckpointStore;

  beforeAll(async () => {
    db = await target.open();
    checkpoints = new CheckpointStore(db.dataSource);
  }, 60_000);
  afterAll(() => closeIfStarted(db), 60_000);

  /** two subscriptions at START and a table their batches write into, with the transaction each write ran in */
  async function twoSubscriptions() {
    const tag = randomBytes(4).toString('hex');
    const effects = `effects_${tag}`;
    await db.dataSource.query(`CREATE TABLE ${effects} (subscription text PRIMARY KEY, tx text NOT NULL)`);
    const [a, b] = [`a-${tag}`, `b-${tag}`];
    for (const name of [a, b]) await checkpoints.ensure(name, START);
    const batch = (name: string, from: Position, to: Position, fail = false, events = 3): SubscriptionBatch => ({
      name,
      from,
      to,
      events,
      apply: async (manager: EntityManager) => {
        await manager.query(`INSERT INTO ${effects} VALUES ($1, txid_current()::text)`, [name]);
        if (fail) throw new Error(`${name} cannot apply this batch`);
      },
    });
    const stored = async () =>
      Object.fromEntries(
        (await db.dataSource.query<Array<{ subscription: string; tx: string }>>(`SELECT subscription, tx FROM ${effects}`)).map((r) => [
          r.subscription,
          r.tx,
        ]),
      ) as Record<string, string>;
    return { a, b, batch, stored };
  }

  it('batches handed in together commit in one transaction, each with its checkpoint moved', async () => {
    const { a, b, batch, stored } = await twoSubscriptions();
    const shared = new SharedBatchTransactions(db.dataSource);

    await expect(Promise.all([shared.commit(batch(a, START, at(10))), shared.commit(batch(b, START, at(12)))])).resolves.toEqual([
      true,
      true,
    ]);

    const effects = await stored();
    expect(Object.keys(effects).sort()).toEqual([a, b]);
    expect(effects[a]).toBe(effects[b]);
    expect(await checkpoints.read(a)).toEqual(at(10));
    expect(await checkpoints.read(b)).toEqual(at(12));
  });

  it('a batch of more events than maxEventsShared (a catch-up) commits alone, beside the others', async () => {
    const { a, b, batch, stored } = await twoSubscriptions();
    const shared = new SharedBatchTransactions(db.dataSource, { maxEventsShared: 100 });

    await expect(
      Promise.all([shared.commit(batch(a, START, at(10), false, 101)), shared.commit(batch(b, START, at(12), false, 100))]),
    ).resolves.toEqual([true, true]);

    const effects = await stored();
    expect(effects[a]).not.toBe(effects[b]);
    expect(await checkpoints.read(a)).toEqual(at(10));
    expect(await checkpoints.read(b)).toEqual(at(12));
  });

  it('a batch whose checkpoint someone else moved is refused and changes nothing; the other one commits', async () => {
    const { a, b, batch, stored } = await twoSubscriptions();
    await checkpoints.reset(a, at(5));
    const shared = new SharedBatchTransactions(db.dataSource);

    await expect(Promise.all([shared.commit(batch(a, START, at(10))), shared.commit(batch(b, START, at(12)))])).resolves.toEqual([
      false,
      true,
    ]);

    expect(Object.keys(await stored())).toEqual([b]);
    expect(await checkpoints.read(a)).toEqual(at(5));
    expect(await checkpoints.read(b)).toEqual(at(12));
  });

  it('a failing batch fails alone: rolled back with its checkpoint, while the other commits on its own', async () => {
    const { a, b, batch, stored } = await twoSubscriptions();
    const shared = new SharedBatchTransactions(db.dataSource);

    const [failed, committed] = await Promise.allSettled([
      shared.commit(batch(a, START, at(10), true)),
      shared.commit(batch(b, START, at(12))),
    ]);

    expect(failed).toMatchObject({ status: 'rejected', reason: { message: `${a} cannot apply this batch` } });
    expect(committed).toEqual({ status: 'fulfilled', value: true });
    expect(Object.keys(await stored())).toEqual([b]);
    expect(await checkpoints.read(a)).toEqual(START);
    expect(await checkpoints.read(b)).toEqual(at(12));
  });

  it('batches that come while a transaction is in flight wait for it and go together in the next', async () => {
    const { a, b, batch, stored } = await twoSubscriptions();
    const c = `c-${a}`;
    await checkpoints.ensure(c, START);
    const shared = new SharedBatchTransactions(db.dataSource);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first: SubscriptionBatch = {
      ...batch(a, START, at(1)),
      apply: async (manager) => {
        await batch(a, START, at(1)).apply(manager);
        await held;
      },
    };

    const firstDone = shared.commit(first);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const later = Promise.all([shared.commit(batch(b, START, at(2))), shared.commit(batch(c, START, at(3)))]);
    release();

    await expect(Promise.all([firstDone, later])).resolves.toEqual([true, [true, true]]);
    const effects = await stored();
    expect(effects[b]).toBe(effects[c]);
    expect(effects[a]).not.toBe(effects[b]);
  });
});
