import pg from 'pg';
import type { Leadership } from '../subscription/durable-subscription.js';

export interface AdvisoryLockLeadershipOptions {
  readonly connectionString: string;
  /** what is elected, unique in the database (include the schema): e.g. `t_123:background-consumers` */
  readonly key: string;
  /** shows in pg_stat_activity */
  readonly applicationName?: string;
  /** wait before reconnecting after the lock's connection failed, doubling; default 100 ms .. 5 s */
  readonly retryDelayMs?: { readonly initial: number; readonly max: number };
  readonly logger?: { log(message: string): void; warn(message: string): void };
}

/** One process (the embedded database's, or a test's) that is always the consumer. */
export const ALWAYS_LEADER: Leadership = Object.freeze({ isLeader: true, onChange: () => () => undefined });

/**
 * Elects one process among those sharing a database (and schema) with a PostgreSQL session-level
 * advisory lock on a dedicated connection (not the pool's): `pg_advisory_lock` waits, without polling,
 * until no other session holds the key, and the holder keeps it for as long as its connection lives.
 * When the leading process dies its connection closes, PostgreSQL releases the lock, and the next
 * waiting process gets it at once. A leader whose connection fails (a database restart) stops leading
 * at once and contends again after a back-off; for the moment both may believe they lead, every
 * consumer's own guard (the checkpoint row lock, the delivery pass lock) keeps work from being done twice.
 */
export class AdvisoryLockLeadership implements Leadership {
  private leader = false;
  private stopped = false;
  private client: pg.Client | undefined;
  private readonly listeners = new Set<(isLeader: boolean) => void>();
  private loop: Promise<void> = Promise.resolve();
  private wakeSleep: (() => void) | undefined;

  private constructor(private readonly options: AdvisoryLockLeadershipOptions) {}

  /** Starts contending in the background; `isLeader` turns true once the lock is held. */
  static start(options: AdvisoryLockLeadershipOptions): AdvisoryLockLeadership {
    const leadership = new AdvisoryLockLeadership(options);
    leadership.loop = leadership.run();
    return leadership;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  onChange(listener: (isLeader: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once this process leads; rejects after `timeoutMs`. */
  whenLeader(timeoutMs = 10_000): Promise<void> {
    if (this.leader) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`not elected for ${this.options.key} within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.onChange((leader) => {
        if (!leader) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  /** Gives the lock up (ends its connection) and stops contending. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeSleep?.();
    await this.client?.end().catch(() => undefined);
    await this.loop;
  }

  /** Read through a call: stop() sets the flag while run() awaits, which the compiler's narrowing cannot see. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private set(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.options.logger?.log(
      leader ? `Elected as the consumer for ${this.options.key}.` : `No longer the consumer for ${this.options.key}.`,
    );
    for (const listener of [...this.listeners]) {
      try {
        listener(leader);
      } catch {
        // a listener's failure must not stop the election
      }
    }
  }

  private async run(): Promise<void> {
    const retry = this.options.retryDelayMs ?? { initial: 100, max: 5_000 };
    let delay = retry.initial;
    while (!this.stopped) {
      const client = new pg.Client({
        connectionString: this.options.connectionString,
        application_name: this.options.applicationName ?? 'leader-election',
        keepAlive: true,
      });
      this.client = client;
      const closed = new Promise<string>((resolve) => {
        client.on('error', (error) => resolve(error.message));
        client.on('end', () => resolve('the connection ended'));
      });
      try {
        await client.connect();
        // waits here while another session holds the key
        await client.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [this.options.key]);
        if (!this.isStopped()) {
          this.set(true);
          delay = retry.initial;
          const why = await closed;
          if (!this.isStopped())
            this.options.logger?.warn(`The election connection for ${this.options.key} was lost (${why}); contending again.`);
        }
      } catch (error) {
        if (!this.isStopped())
          this.options.logger?.warn(
            `Election for ${this.options.key} failed: ${error instanceof Error ? error.message : String(error)}; retrying in ${delay} ms.`,
          );
      } finally {
        this.set(false);
        await client.end().catch(() => undefined);
      }
      if (this.isStopped()) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeSleep = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeSleep = undefined;
      delay = Math.min(delay * 2, retry.max);
    }
  }
}
