import type { DataSource, DataSourceOptions, MigrationInterface } from 'typeorm';

export type DatabaseKind = 'postgres' | 'embedded';

export interface DatabaseConfig {
  /** postgres://… ; unset → embedded PGlite kept in dataDir */
  readonly databaseUrl?: string;
  /** folder for the embedded database (default ./data); `memory://` keeps it in memory (tests) */
  readonly dataDir: string;
  /** PostgreSQL schema to use (tests isolate themselves in a fresh schema); default public */
  readonly schema?: string;
  /** run `migrations` on open (default true) */
  readonly migrate?: boolean;
  /** connections in the pool (default 10) */
  readonly poolSize?: number;
  /** server setting idle_in_transaction_session_timeout in ms (default 60000; 0 disables). PostgreSQL server only. */
  readonly idleInTransactionTimeoutMs?: number;
  /** application_name reported to the server (shows in pg_stat_activity) */
  readonly applicationName?: string;
  /** TypeORM entities of the read models */
  readonly entities?: DataSourceOptions['entities'];
  /**
   * The migrations to run, required unless `migrate` is false. The composition hands them in (the API's
   * Persistence, test support, the CLIs: the project's list in migrations/index.ts); a library never imports them.
   */
  readonly migrations?: ReadonlyArray<new () => MigrationInterface>;
}

export interface OpenDatabase {
  readonly kind: DatabaseKind;
  /** TypeORM DataSource over the `pg` driver, initialised, migrations applied */
  readonly dataSource: DataSource;
  /** connection string the `pg` driver uses (for the embedded mode, the loopback socket) */
  readonly connectionString: string;
  /** the schema every pooled connection uses (search_path) */
  readonly schema: string;
  close(): Promise<void>;
}
