import pg from 'pg';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from './database.port.js';
import { runMigrationsLocked } from './migration-lock.js';
import { checkSchemaName } from './schema-name.js';

export interface PostgresDataSourceSettings {
  readonly connectionString: string;
  readonly schema: string;
  /** startup `options` (libpq `-c name=value` pairs) every pooled connection sends */
  readonly sessionSettings: Readonly<Record<string, string>>;
}

/** Creates the schema if missing (before TypeORM looks for its migrations table in it). */
export async function ensureSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${checkSchemaName(schema)}`);
  } catch (error) {
    // two processes creating the same schema at once: the loser sees a unique violation
    if ((error as { code?: string }).code !== '23505') throw error;
  } finally {
    await client.end();
  }
}

/** An initialised TypeORM DataSource over `pg`, its pool pinned to one schema, migrations applied. */
export async function openPostgresDataSource(settings: PostgresDataSourceSettings, config: DatabaseConfig): Promise<DataSource> {
  const options = Object.entries(settings.sessionSettings)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
  if (config.migrate !== false && config.migrations === undefined) {
    throw new Error("openDatabase: pass the migrations to run (the project's list in migrations/index.ts), or migrate: false");
  }
  const dataSource = new DataSource({
    type: 'postgres',
    url: settings.connectionString,
    schema: settings.schema,
    poolSize: config.poolSize ?? 10,
    applicationName: config.applicationName,
    extra: options ? { options } : {},
    entities: config.entities ?? [],
    migrations: [...(config.migrations ?? [])],
    migrationsTableName: 'migrations',
    migrationsRun: false, // run below, under an advisory lock
    synchronize: false,
    logging: false,
  });
  await dataSource.initialize();
  try {
    if (config.migrate !== false) await runMigrationsLocked(dataSource, settings.schema);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
