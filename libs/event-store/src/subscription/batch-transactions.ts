import type { DataSource, EntityManager } from 'typeorm';
import { GroupedWrites } from '../grouped-writes.js';
import { CheckpointStore, type CheckpointMove } from './checkpoint-store.js';
import { readCommittedTransaction } from './read-committed-transaction.js';

/** One subscription's batch: its checkpoint moved from `from` to `to` and its effects, committed together. */
export interface SubscriptionBatch extends CheckpointMove {
  /** how many events the batch holds */
  readonly events: number;
  /** the handler's effects; every write through `manager` */
  readonly apply: (manager: EntityManager) => Promise<void>;
}

/** Commits batches; answers false (nothing applied) when the checkpoint no longer held the batch's `from`. */
export interface BatchTransactions {
  commit(batch: SubscriptionBatch): Promise<boolean>;
}

/**
 * Each batch in a transaction of its own: BEGIN, the checkpoint moved (compare-and-set, locking its row), the
 * effects, COMMIT.
 */
export class OwnBatchTransactions implements BatchTransactions {
  private readonly checkpoints: CheckpointStore;

  constructor(private readonly dataSource: DataSource) {
    this.checkpoints = new CheckpointStore(dataSource);
  }

  commit(batch: SubscriptionBatch): Promise<boolean> {
    return readCommittedTransaction(this.dataSource, async (manager) => {
      if (!(await this.checkpoints.advance(manager, batch.name, batch.from, batch.to))) return false;
      await batch.apply(manager);
      return true;
    });
  }
}

export interface SharedBatchTransactionsOptions {
  /** a batch of more events commits alone (a catch-up keeps the subscriptions side by side); default 1 000 */
  readonly maxEventsShared?: number;
  /** subscriptions' batches in one transaction at most; default 32 */
  readonly maxPerTransaction?: number;
}

/**
 * The small batches several subscriptions take at the same moment commit in one transaction: BEGIN, every
 * checkpoint moved in one statement, each moved subscription's effects in turn, COMMIT. Under a stream of appends
 * the projections look together (one shared read, the same gathering moments), so this is one transaction where
 * there were a dozen, each with its BEGIN, checkpoint move, COMMIT and flush of the WAL.
 * A batch is answered only once its transaction has committed. If a shared transaction fails (one projection's
 * statement, a deadlock, a lost connection), each of its batches is tried again in a transaction of its own, so a
 * failing projection fails alone and the others' batches are not held back by it (GroupedWrites).
 * Batches that arrive in the same turn of the event loop go together; while one transaction is in flight the
 * batches that come meanwhile wait for it and then go together in the next. A large batch (a catch-up) commits
 * alone, beside the others.
 */
export class SharedBatchTransactions implements BatchTransactions {
  private readonly checkpoints: CheckpointStore;
  private readonly alone: OwnBatchTransactions;
  private readonly batches: GroupedWrites<SubscriptionBatch, boolean>;
  private readonly maxEventsShared: number;

  constructor(
    private readonly dataSource: DataSource,
    options: SharedBatchTransactionsOptions = {},
  ) {
    this.checkpoints = new CheckpointStore(dataSource);
    this.alone = new OwnBatchTransactions(dataSource);
    this.maxEventsShared = options.maxEventsShared ?? 1_000;
    this.batches = new GroupedWrites((batches) => this.transaction(batches), {
      concurrency: 1,
      maxPerStatement: options.maxPerTransaction ?? 32,
      key: (batch) => batch.name,
      gatherMs: 0,
    });
  }

  commit(batch: SubscriptionBatch): Promise<boolean> {
    return batch.events > this.maxEventsShared ? this.alone.commit(batch) : this.batches.submit(batch);
  }

  private transaction(batches: readonly SubscriptionBatch[]): Promise<boolean[]> {
    return readCommittedTransaction(this.dataSource, async (manager) => {
      const moved = await this.checkpoints.advanceAll(manager, batches);
      for (const batch of batches) if (moved.has(batch.name)) await batch.apply(manager);
      return batches.map((batch) => moved.has(batch.name));
    });
  }
}
