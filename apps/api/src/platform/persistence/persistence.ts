import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { openDatabase, type OpenDatabase } from '#app/database';
import { migrations } from '../../../../../migrations/index.js';
import {
  AdvisoryLockLeadership,
  ALWAYS_LEADER,
  connectEventStoreDb,
  PostgresEventStore,
  type EventStore,
  type Leadership,
} from '#app/event-store';
import type { AppConfig } from '../config/app-config.js';
import { AppendWakeups } from './append-wakeups.js';

/**
 * The database (PostgreSQL or embedded PGlite; always holds the read models and checkpoints) and the
 * event store (PostgreSQL by default, EventStoreDB when EVENTSTORE_URL is set), opened once per process.
 * Also, per process: the election of the one process that runs the background consumers (subscriptions,
 * process manager, sweeper, webhook delivery) and the append wake-ups.
 */
export class Persistence implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Persistence.name);

  private constructor(
    readonly database: OpenDatabase,
    readonly eventStore: EventStore,
    /** this process runs the background consumers (always, in embedded mode: one process owns the data) */
    readonly leadership: Leadership,
    readonly wakeups: AppendWakeups,
    /** the election's messages go to the app's logger once it is set up (before that: dropped) */
    private readonly electionLog: { ready: boolean },
  ) {}

  /** `database`: an already opened one (tests pass a fresh schema or an in-memory PGlite). */
  static async open(config: AppConfig, database?: OpenDatabase): Promise<Persistence> {
    database ??= await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
      migrations,
    });
    const eventStore = config.EVENTSTORE_URL
      ? await connectEventStoreDb(config.EVENTSTORE_URL)
      : new PostgresEventStore(database.dataSource, {
          appendStatements: config.APPEND_STATEMENTS,
          preparedStatements: database.kind === 'postgres',
        });
    const logger = new Logger('Election');
    const electionLog = { ready: false };
    const leadership =
      database.kind === 'postgres'
        ? AdvisoryLockLeadership.start({
            connectionString: database.connectionString,
            key: `${database.schema}:background-consumers`,
            applicationName: 'api-election',
            logger: { log: (m) => electionLog.ready && logger.log(m), warn: (m) => electionLog.ready && logger.warn(m) },
          })
        : ALWAYS_LEADER;
    const wakeups = new AppendWakeups(eventStore, database);
    await wakeups.start();
    return new Persistence(database, eventStore, leadership, wakeups, electionLog);
  }

  onApplicationBootstrap(): void {
    this.electionLog.ready = true;
    if (this.database.kind !== 'postgres') return;
    this.logger.log(
      this.leadership.isLeader
        ? 'This process runs the background consumers (elected).'
        : 'Another process runs the background consumers (or the election is still running); this one takes over when it goes.',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.wakeups.close();
    if (this.leadership instanceof AdvisoryLockLeadership) await this.leadership.stop();
    await this.eventStore.close().catch((error: unknown) => this.logger.warn(`closing the event store failed: ${String(error)}`));
    await this.database.close();
  }
}
