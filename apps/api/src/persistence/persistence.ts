import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { openDatabase, type OpenDatabase } from '#app/database';
import { connectEventStoreDb, PostgresEventStore, type EventStore } from '#app/event-store';
import type { AppConfig } from '../config/app-config.js';

/**
 * The database (PostgreSQL or embedded PGlite; always holds the read models and checkpoints) and the
 * event store (PostgreSQL by default, EventStoreDB when EVENTSTORE_URL is set), opened once per process.
 */
export class Persistence implements OnApplicationShutdown {
  private readonly logger = new Logger(Persistence.name);

  private constructor(
    readonly database: OpenDatabase,
    readonly eventStore: EventStore,
  ) {}

  /** `database`: an already opened one (tests pass a fresh schema or an in-memory PGlite). */
  static async open(config: AppConfig, database?: OpenDatabase): Promise<Persistence> {
    database ??= await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
    const eventStore = config.EVENTSTORE_URL
      ? await connectEventStoreDb(config.EVENTSTORE_URL)
      : new PostgresEventStore(database.dataSource);
    return new Persistence(database, eventStore);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.eventStore.close().catch((error: unknown) => this.logger.warn(`closing the event store failed: ${String(error)}`));
    await this.database.close();
  }
}
