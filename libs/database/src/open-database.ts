import type { DatabaseConfig, OpenDatabase } from './database.port.js';
import { ensureSchema, openPostgresDataSource } from './postgres-data-source.js';
import { checkSchemaName } from './schema-name.js';

const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * Opens the service's database: a PostgreSQL server when `databaseUrl` is set, else the embedded PGlite
 * kept in `dataDir`. Both are reached through the same TypeORM/`pg` code path and the same migrations.
 */
export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
  const schema = checkSchemaName(config.schema ?? 'public');
  return config.databaseUrl ? openServerDatabase(config.databaseUrl, schema, config) : openEmbeddedDatabase(schema, config);
}

async function openServerDatabase(connectionString: string, schema: string, config: DatabaseConfig): Promise<OpenDatabase> {
  if (schema !== 'public') await ensureSchema(connectionString, schema);
  const idleTimeout = config.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS;
  const dataSource = await openPostgresDataSource(
    {
      connectionString,
      schema,
      sessionSettings: {
        search_path: schema,
        // a transaction left open stalls every gap-safe reader of the event log
        idle_in_transaction_session_timeout: String(idleTimeout),
      },
    },
    config,
  );
  return {
    kind: 'postgres',
    dataSource,
    connectionString,
    schema,
    close: () => dataSource.destroy(),
  };
}

async function openEmbeddedDatabase(schema: string, config: DatabaseConfig): Promise<OpenDatabase> {
  // loaded on demand: a service with a PostgreSQL server never pays for PGlite
  const { startEmbeddedPostgres } = await import('./embedded-postgres.js');
  const embedded = await startEmbeddedPostgres(config.dataDir, schema);
  try {
    const dataSource = await openPostgresDataSource({ connectionString: embedded.connectionString, schema, sessionSettings: {} }, config);
    return {
      kind: 'embedded',
      dataSource,
      connectionString: embedded.connectionString,
      schema,
      async close() {
        try {
          await dataSource.destroy();
        } finally {
          await embedded.stop();
        }
      },
    };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}
