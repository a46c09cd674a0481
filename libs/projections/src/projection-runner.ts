import type { DataSource } from 'typeorm';
import { DurableSubscription, type EventStore, type Position, type SubscriptionLogger, type SubscriptionStatus } from '#app/event-store';
import type { Projection } from './projection.js';

export interface ProjectionRunnerOptions {
  readonly source: EventStore;
  readonly dataSource: DataSource;
  readonly projections: readonly Projection[];
  readonly logger?: SubscriptionLogger;
  readonly pollIntervalMs?: number;
  /** events per transaction (DurableSubscription's default when unset) */
  readonly batchSize?: number;
}

/** Keeps every projection live (one durable subscription each) and lets reads wait for a position. */
export class ProjectionRunner {
  private readonly subscriptions: DurableSubscription[];

  constructor(options: ProjectionRunnerOptions) {
    this.subscriptions = options.projections.map(
      (projection) =>
        new DurableSubscription({
          name: projection.name,
          source: options.source,
          dataSource: options.dataSource,
          handler: (events, manager) => projection.apply(events, manager),
          logger: options.logger,
          pollIntervalMs: options.pollIntervalMs,
          batchSize: options.batchSize,
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
