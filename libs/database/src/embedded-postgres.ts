import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { EmbeddedSocketServer } from './embedded-socket-server.js';
import { checkSchemaName } from './schema-name.js';

export interface EmbeddedPostgres {
  /** loopback URL for the `pg` driver */
  readonly connectionString: string;
  stop(): Promise<void>;
}

/** More than any pool we open; connections past this are closed at once. */
const MAX_SOCKET_CONNECTIONS = 64;

/**
 * PGlite (WASM PostgreSQL, one backend) served on a free loopback port; client connections take turns
 * on that backend (EmbeddedSocketServer). Consequences the callers must know:
 *  - all connections share ONE session: settings made with SET are global, and startup `options`
 *    are ignored, so the schema is chosen here with SET search_path for everyone;
 *  - while a transaction is open, only the connection that opened it is served: transactions are
 *    serialised, so the event-store gap problem cannot occur, and code must never wait inside a
 *    transaction for work done on another connection;
 *  - named prepared statements, LISTEN and COPY are not supported.
 */
export async function startEmbeddedPostgres(dataDir: string, schema: string): Promise<EmbeddedPostgres> {
  const inMemory = dataDir.startsWith('memory://');
  const location = inMemory ? dataDir : resolve(dataDir);
  if (!inMemory) mkdirSync(location, { recursive: true });
  const db = await PGlite.create(location);
  const server = new EmbeddedSocketServer(db, MAX_SOCKET_CONNECTIONS);
  try {
    if (schema !== 'public') {
      await db.exec(`CREATE SCHEMA IF NOT EXISTS ${checkSchemaName(schema)}; SET search_path TO ${schema}`);
    }
    const { host, port } = await server.start();
    return {
      connectionString: `postgres://postgres@${host}:${port}/postgres`,
      async stop() {
        await server.stop();
        await db.close(); // flushes the data folder
      },
    };
  } catch (error) {
    await server.stop();
    await db.close();
    throw error;
  }
}
