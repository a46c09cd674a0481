import type { DataSource, EntityManager } from 'typeorm';
import { START, comparePositions, formatPosition, type EventStore, type Position, type RecordedEvent } from '../event-store.port.js';
import { OwnBatchTransactions, type BatchTransactions } from './batch-transactions.js';
import { CheckpointStore } from './checkpoint-store.js';

/** Applies one batch. Every effect must go through `manager`: it is the transaction the checkpoint commits in. */
export type SubscriptionHandler = (events: readonly RecordedEvent[], manager: EntityManager) => Promise<void>;

export interface SubscriptionLogger {
  log(message: string): void;
  error(message: string): void;
}

export interface DurableSubscriptionOptions {
  /** checkpoint name; a rebuild into a fresh table uses a fresh name */
  readonly name: string;
  /** where the events come from (PostgreSQL or EventStoreDB) */
  readonly source: EventStore;
  /** PostgreSQL holding the read model and the checkpoint */
  readonly dataSource: DataSource;
  readonly handler: SubscriptionHandler;
  /** the stream categories whose payload the handler reads (ReadAllOptions.payloadCategories); default: all */
  readonly payloadCategories?: readonly string[];
  /** where a subscription without a stored checkpoint starts (exclusive); default START */
  readonly from?: Position;
  /** events per transaction; default 200 */
  readonly batchSize?: number;
  /**
   * While behind (a read came back full), the batch doubles up to this many events per transaction, and
   * falls back to `batchSize` once a read comes back short (caught up). Default: `batchSize` (fixed).
   */
  readonly maxBatchSize?: number;
  /**
   * first look after going idle without a poke; default 250 ms. While nothing comes, each further look
   * waits twice as long, up to `maxPollIntervalMs`. poke() wakes it at once and restarts the back-off
   * from a few milliseconds (the appended events may need a moment to become readable).
   */
  readonly pollIntervalMs?: number;
  /**
   * longest wait between looks while idle and not poked; default 30 s (at least `pollIntervalMs`). Only a
   * lost wake-up (a broken LISTEN connection, an append by a process that does not notify) waits this long.
   */
  readonly maxPollIntervalMs?: number;
  /**
   * With two or more processes on one database: only the elected one consumes. The others follow the
   * stored checkpoint (so waitUntilCaughtUp still resolves there) and take over when elected.
   * Without it the subscription always consumes (the checkpoint row lock still keeps a second consumer
   * from applying a batch twice).
   */
  readonly leadership?: Leadership;
  /**
   * After a batch at the head of the log (fewer events than `batchSize`), the next look waits for the next multiple
   * of this interval on the process's clock (at most this long; pokes do not cut it short), so a steady stream of
   * appends is applied in fewer, larger transactions: each costs its BEGIN, checkpoint and COMMIT and a statement
   * per table it writes, whatever its size. A subscription that
   * found nothing at its last look applies a poke's events at once, and one that is behind reads on at
   * once. Adds at most this much to how long a read waits for its own write while writes stream in.
   * Default 0 (every look applies what it finds).
   */
  readonly minBatchIntervalMs?: number;
  /**
   * Where a batch commits; default: a transaction of its own (OwnBatchTransactions). ProjectionRunner hands its
   * subscriptions one SharedBatchTransactions, so the small batches they take at the same moment commit in one.
   */
  readonly transactions?: BatchTransactions;
  /** back-off after a failed batch, doubling from `initial` to `max`; default 100 ms .. 10 s */
  readonly retryDelayMs?: { readonly initial: number; readonly max: number };
  readonly logger?: SubscriptionLogger;
}

/** Whether this process is the elected consumer (see AdvisoryLockLeadership), and when that changes. */
export interface Leadership {
  readonly isLeader: boolean;
  /** returns the unsubscribe function */
  onChange(listener: (isLeader: boolean) => void): () => void;
}

export interface SubscriptionStatus {
  readonly name: string;
  readonly running: boolean;
  /** caught up and waiting for the next poll or poke() */
  readonly idle: boolean;
  readonly checkpoint: Position;
  readonly head: Position;
  /** events after the checkpoint, when the source can count them cheaply */
  readonly lag?: number;
  readonly batchesApplied: number;
  /** batches dropped unapplied because another consumer had moved the checkpoint */
  readonly conflicts: number;
  /** completed reads of the log */
  readonly reads: number;
  readonly consecutiveFailures: number;
  readonly lastError?: string;
}

interface Waiter {
  readonly position: Position;
  resolve(): void;
  reject(error: Error): void;
}

type StepOutcome = 'applied' | 'idle' | 'moved';

/**
 * After poke(), the next looks come after 5, 10, 20, … ms: the appended events only become readable once
 * every older transaction has ended (possibly a few milliseconds after the poke), and an append that
 * skipped its NOTIFY (see the append function) commits moments after the one that sent it.
 */
const EAGER_INTERVAL_MS = 5;
/** a follower with waiters re-reads the stored checkpoint at least this often */
const FOLLOWER_MAX_INTERVAL_MS = 100;

/**
 * A durable, checkpointed subscription to the global log. Each batch is applied in one PostgreSQL
 * transaction whose first statement moves the subscription's checkpoint from the position the batch was
 * read after to the batch's last event (only if it still holds the former, locking the row), then runs
 * the handler; BEGIN and COMMIT around them: three round trips plus the handler's statements (shared with
 * other subscriptions' batches: `transactions`). Effects and checkpoint commit together, and two consumers with
 * the same name never both apply a batch: the second waits on the row lock, then sees the checkpoint moved, rolls
 * back and reads again.
 * A failing batch is rolled back, logged and retried with back-off; it is never skipped.
 */
export class DurableSubscription {
  private readonly checkpoints: CheckpointStore;
  private readonly transactions: BatchTransactions;
  private readonly from: Position;
  private readonly batchSize: number;
  private readonly maxBatchSize: number;
  /** the current batch: grows while behind, back to batchSize when caught up */
  private batch: number;
  private readonly pollIntervalMs: number;
  private readonly maxPollIntervalMs: number;
  /** the next idle wait: restarts at EAGER_INTERVAL_MS on poke(), doubles while nothing comes */
  private idleDelay: number;
  private unwatchLeadership: (() => void) | undefined;
  private readonly retryDelayMs: { readonly initial: number; readonly max: number };
  private readonly minBatchIntervalMs: number;
  /** when the last batch that caught up was committed (performance.now()) */
  private lastBatchAt = -Infinity;
  /**
   * the last read came back with fewer events than the smallest batch: at the head of the log (a shorter
   * read of a large batch is no sign of that: it may have shared a smaller read of the log, SharedLogReader)
   */
  private atHead = false;
  private readonly logger: SubscriptionLogger;

  /** last checkpoint known to be committed */
  private position: Position | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private poked = false;
  private wake: { readonly onPoke: boolean; readonly fire: () => void } | undefined;
  private readonly waiters = new Set<Waiter>();
  private counters = { batchesApplied: 0, conflicts: 0, reads: 0, consecutiveFailures: 0 };
  private lastError: string | undefined;

  constructor(private readonly options: DurableSubscriptionOptions) {
    this.checkpoints = new CheckpointStore(options.dataSource);
    this.transactions = options.transactions ?? new OwnBatchTransactions(options.dataSource);
    this.from = options.from ?? START;
    this.batchSize = options.batchSize ?? 200;
    this.maxBatchSize = Math.max(options.maxBatchSize ?? this.batchSize, this.batchSize);
    this.batch = this.batchSize;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.maxPollIntervalMs = Math.max(options.maxPollIntervalMs ?? 30_000, this.pollIntervalMs);
    this.idleDelay = this.pollIntervalMs;
    this.retryDelayMs = options.retryDelayMs ?? { initial: 100, max: 10_000 };
    this.minBatchIntervalMs = options.minBatchIntervalMs ?? 0;
    this.logger = options.logger ?? { log: (m) => console.log(m), error: (m) => console.error(m) };
  }

  get name(): string {
    return this.options.name;
  }

  /** applying batches (true unless a `leadership` says another process is the consumer) */
  get consuming(): boolean {
    return this.options.leadership?.isLeader ?? true;
  }

  /** Loads (or creates) the checkpoint and starts consuming in the background. */
  async start(): Promise<void> {
    if (this.loop) return;
    this.stopping = false;
    this.position = await this.checkpoints.ensure(this.name, this.from);
    this.logger.log(`Subscription ${this.name} starts after ${formatPosition(this.position)}.`);
    this.settleWaiters();
    this.unwatchLeadership = this.options.leadership?.onChange((leader) => {
      this.logger.log(`Subscription ${this.name}: ${leader ? 'this process is now the consumer' : 'another process is the consumer now'}.`);
      this.idleDelay = EAGER_INTERVAL_MS;
      this.wake?.fire();
    });
    this.loop = this.run();
  }

  /** Stops after the batch in flight (if any) has committed or rolled back. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unwatchLeadership?.();
    this.unwatchLeadership = undefined;
    this.wake?.fire();
    await this.loop;
    if (this.loop && this.position) this.logger.log(`Subscription ${this.name} stopped after ${formatPosition(this.position)}.`);
    this.loop = undefined;
    for (const waiter of this.waiters) waiter.reject(new Error(`Subscription ${this.name} was stopped.`));
    this.waiters.clear();
  }

  /** New events were appended: look now (and again after a few ms, backing off) instead of at the next poll. */
  poke(): void {
    this.poked = true;
    this.idleDelay = EAGER_INTERVAL_MS;
    if (this.wake?.onPoke) this.wake.fire();
  }

  /** Resolves once the checkpoint (and so every effect up to it) is committed at or past `position`. */
  waitUntilCaughtUp(position: Position, timeoutMs = 10_000): Promise<void> {
    if (this.position && comparePositions(this.position, position) >= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const at = this.position ? formatPosition(this.position) : 'not started';
        reject(new Error(`Subscription ${this.name} did not reach ${formatPosition(position)} within ${timeoutMs} ms (at ${at}).`));
      }, timeoutMs);
      const waiter: Waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
      this.poke();
    });
  }

  /** The stored checkpoint (the start position while none is stored). */
  async checkpoint(): Promise<Position> {
    return (await this.checkpoints.read(this.name)) ?? this.from;
  }

  async status(): Promise<SubscriptionStatus> {
    const checkpoint = this.consuming && this.position ? this.position : await this.checkpoint();
    const source = this.options.source;
    const [head, lag] = await Promise.all([source.headPosition(), source.countEventsAfter?.(checkpoint)]);
    return {
      name: this.name,
      running: this.loop !== undefined && !this.stopping,
      idle: this.wake?.onPoke === true,
      checkpoint,
      head,
      ...(lag === undefined ? {} : { lag }),
      ...this.counters,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  /**
   * After a batch at the head: the next multiple of `minBatchIntervalMs` on the process's clock, so the
   * subscriptions of a process that are busy look at the same moments, share one read and commit together
   * (SharedBatchTransactions) instead of drifting apart, each on its own 100 ms from its own last batch.
   */
  private nextGatheredLook(): number {
    const interval = this.minBatchIntervalMs;
    return interval > 0 ? (Math.floor(this.lastBatchAt / interval) + 1) * interval : this.lastBatchAt;
  }

  /** read through a method: the loop's own narrowing cannot see stop() or an election change made while it slept */
  private interrupted(): boolean {
    return this.stopping || !this.consuming;
  }

  private async run(): Promise<void> {
    let delay = this.retryDelayMs.initial;
    while (!this.stopping) {
      try {
        if (!this.consuming) {
          await this.follow();
          continue;
        }
        const gather = this.nextGatheredLook() - performance.now();
        if (gather > 0) {
          // busy: let the appends of the next few milliseconds join the next batch (only stop() cuts this short)
          await this.sleep(gather, false);
          if (this.interrupted()) continue; // stop() or a lost election during the pause
        }
        const outcome = await this.step();
        // at the head after applying a batch: gather before the next one (never while behind: it reads on at once)
        this.lastBatchAt = outcome === 'applied' && this.atHead ? performance.now() : -Infinity;
        this.counters.consecutiveFailures = 0;
        delay = this.retryDelayMs.initial;
        if (outcome === 'idle') {
          const wait = this.idleDelay;
          this.idleDelay = Math.min(wait * 2, this.maxPollIntervalMs);
          await this.sleep(wait, true);
        } else {
          // events came: the next idle look comes soon again
          this.idleDelay = Math.min(this.idleDelay, this.pollIntervalMs);
        }
      } catch (error) {
        this.counters.consecutiveFailures++;
        this.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        const at = this.position ? formatPosition(this.position) : 'unknown';
        this.logger.error(
          `Subscription ${this.name}: the batch after ${at} failed (attempt ${this.counters.consecutiveFailures}) and was rolled back; retrying in ${delay} ms. ${this.lastError}`,
        );
        await this.sleep(delay, false);
        delay = Math.min(delay * 2, this.retryDelayMs.max);
      }
    }
  }

  private async step(): Promise<StepOutcome> {
    const after = this.position ?? (await this.checkpoints.ensure(this.name, this.from));
    const payloadCategories = this.options.payloadCategories;
    const events = await this.options.source.readAll({ after, maxCount: this.batch, ...(payloadCategories ? { payloadCategories } : {}) });
    this.counters.reads++;
    this.atHead = events.length < this.batchSize;
    this.batch = events.length < this.batch ? this.batchSize : Math.min(this.batch * 2, this.maxBatchSize);
    if (events.length === 0) return 'idle';
    const last = events[events.length - 1].position;

    // the checkpoint moved from `after` to `last` (locking its row) and the effects commit together, and a second
    // consumer waits on the row, then finds it moved
    const applied = await this.transactions.commit({
      name: this.name,
      from: after,
      to: last,
      events: events.length,
      apply: (manager) => this.options.handler(events, manager),
    });

    if (!applied) {
      // another consumer (or a reset) moved the checkpoint: follow it, nothing was applied
      this.counters.conflicts++;
      this.position = await this.checkpoints.ensure(this.name, this.from);
      this.settleWaiters();
      return 'moved';
    }
    this.counters.batchesApplied++;
    this.position = last;
    this.settleWaiters();
    return 'applied';
  }

  /**
   * Another process consumes: read nothing of the log, only follow the stored checkpoint while someone
   * waits for a position here; otherwise sleep until a waiter, a poke or the election wakes us.
   */
  private async follow(): Promise<void> {
    if (this.waiters.size === 0) {
      await this.sleep(this.maxPollIntervalMs * 2, true);
      return;
    }
    const stored = await this.checkpoints.read(this.name);
    if (stored) {
      this.position = stored;
      this.settleWaiters();
    }
    if (this.waiters.size === 0) return;
    const wait = Math.min(this.idleDelay, FOLLOWER_MAX_INTERVAL_MS);
    this.idleDelay = Math.min(wait * 2, FOLLOWER_MAX_INTERVAL_MS);
    await this.sleep(wait, true);
  }

  private settleWaiters(): void {
    const at = this.position;
    if (!at) return;
    for (const waiter of this.waiters) {
      if (comparePositions(at, waiter.position) >= 0) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Waits `ms`; stop() always cuts it short, poke() only when `onPoke` (never during back-off). */
  private sleep(ms: number, onPoke: boolean): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (onPoke && this.poked) {
      this.poked = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const fire = () => {
        clearTimeout(timer);
        this.wake = undefined;
        if (onPoke) this.poked = false;
        resolve();
      };
      const timer = setTimeout(fire, ms);
      this.wake = { onPoke, fire };
    });
  }
}
