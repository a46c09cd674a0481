import type { DataSource } from 'typeorm';
import {
  DurableSubscription,
  SharedBatchTransactions,
  type EventStore,
  type Leadership,
  type Position,
  type SubscriptionLogger,
  type SubscriptionStatus,
} from '#app/event-store';
import type { Projection } from './projection.js';
import { SharedLogReader } from './shared-log-reader.js';

/** events per transaction a projection far behind grows to (its rows go in multi-row statements) */
const DEFAULT_MAX_BATCH = 5_000;
/**
 * Under a steady stream of appends every projection would otherwise commit a transaction for every few
 * events (ten projections: ~1.7 transactions and ~14 statements per enrolment in the bench); gathering
 * this long after each batch makes it a handful per second each, whatever the write rate.
 */
const DEFAULT_MIN_BATCH_INTERVAL_MS = 100;

export interface ProjectionRunnerOptions {
  readonly source: EventStore;
  readonly dataSource: DataSource;
  readonly projections: readonly Projection[];
  readonly logger?: SubscriptionLogger;
  readonly pollIntervalMs?: number;
  /** events per transaction (DurableSubscription's default when unset) */
  readonly batchSize?: number;
  /** events per transaction while a projection is behind; default 5 000 (or `batchSize` when that is set) */
  readonly maxBatchSize?: number;
  /** share one read of the log between the projections (SharedLogReader); default true */
  readonly sharedReads?: boolean;
  /** commit the projections' small batches taken together in one transaction (SharedBatchTransactions); default true */
  readonly sharedTransactions?: boolean;
  /**
   * while appends stream in, a projection's next look comes at the next multiple of this interval (see
   * DurableSubscription.minBatchIntervalMs); default 100 ms
   */
  readonly minBatchIntervalMs?: number;
  /** with several API processes: only the elected one applies batches; the others follow its checkpoints */
  readonly leadership?: Leadership;
}

/** Keeps every projection live (one durable subscription each) and lets reads wait for a position. */
export class ProjectionRunner {
  private readonly subscriptions: DurableSubscription[];

  constructor(options: ProjectionRunnerOptions) {
    // every projection reads the same log: one read of it serves them all (catch-up after a restart or an import)
    const payloadCategories = categoriesOfAll(options.projections);
    const source =
      options.sharedReads === false ? options.source : new SharedLogReader(options.source, payloadCategories ? { payloadCategories } : {});
    const maxBatchSize = options.maxBatchSize ?? options.batchSize ?? DEFAULT_MAX_BATCH;
    // under a stream of appends the projections look together: their small batches commit in one transaction
    const transactions = options.sharedTransactions === false ? undefined : new SharedBatchTransactions(options.dataSource);
    this.subscriptions = options.projections.map(
      (projection) =>
        new DurableSubscription({
          name: projection.name,
          source,
          dataSource: options.dataSource,
          handler: (events, manager) => projection.apply(events, manager),
          ...(projection.categories ? { payloadCategories: projection.categories } : {}),
          logger: options.logger,
          pollIntervalMs: options.pollIntervalMs,
          batchSize: options.batchSize,
          maxBatchSize,
          leadership: options.leadership,
          ...(transactions ? { transactions } : {}),
          minBatchIntervalMs: options.minBatchIntervalMs ?? DEFAULT_MIN_BATCH_INTERVAL_MS,
        }),
    );
  }

  async start(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.stop()));
  }

  /** Call after an append: the projections look at once instead of at their next poll. */
  poke(): void {
    for (const s of this.subscriptions) s.poke();
  }

  /** Resolves when every projection (or the named ones) has committed everything up to `position`. */
  async waitFor(position: Position, timeoutMs = 5_000, names?: readonly string[]): Promise<void> {
    const targets = names ? this.subscriptions.filter((s) => names.includes(s.name)) : this.subscriptions;
    await Promise.all(targets.map((s) => s.waitUntilCaughtUp(position, timeoutMs)));
  }

  status(): Promise<SubscriptionStatus[]> {
    return Promise.all(this.subscriptions.map((s) => s.status()));
  }
}

/** every category some projection reads payloads of; undefined when one of them reads every event's */
function categoriesOfAll(projections: readonly Projection[]): string[] | undefined {
  const all = new Set<string>();
  for (const p of projections) {
    if (!p.categories) return undefined;
    for (const c of p.categories) all.add(c);
  }
  return [...all].sort();
}
