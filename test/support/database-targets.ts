import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseConfig, type DatabaseKind, type OpenDatabase } from '#app/database';
import { migrations } from '../../migrations/index.js';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export type TestDatabaseOptions = Omit<DatabaseConfig, 'databaseUrl' | 'dataDir' | 'schema'>;

/** A database an integration suite runs against; skipReason set when it cannot run here. */
export interface DatabaseTarget {
  readonly kind: DatabaseKind;
  readonly skipReason?: string;
  /** A fresh database: a new uniquely named schema (dropped on close), or a new in-memory PGlite. */
  open(options?: TestDatabaseOptions): Promise<OpenDatabase>;
}

let probed: Promise<string | undefined> | undefined;

/**
 * The targets every integration suite runs against: `postgres` (DATABASE_URL, else the local test
 * server) and `embedded` (PGlite in memory). An unreachable server fails loudly under CI and is a
 * visible skip elsewhere.
 */
export async function testDatabaseTargets(): Promise<DatabaseTarget[]> {
  const url = process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  probed ??= probe(url);
  const unreachable = await probed;
  if (unreachable && process.env.CI) {
    throw new Error(`PostgreSQL at ${redact(url)} is unreachable (${unreachable}); CI requires it.`);
  }
  return [
    {
      kind: 'postgres',
      ...(unreachable ? { skipReason: `PostgreSQL at ${redact(url)} is unreachable: ${unreachable}` } : {}),
      open: (options) => openFreshSchema(url, options),
    },
    {
      kind: 'embedded',
      open: (options) => openDatabase({ migrations, ...options, dataDir: 'memory://' }),
    },
  ];
}

/**
 * describe() once per target: `body` runs inside a describe named after the target. A skipped target
 * (unreachable server, or `skip[kind]` given by the suite) becomes a describe.skip whose title states
 * the reason, which is also printed.
 */
export function describeForEachDatabase(
  targets: readonly DatabaseTarget[],
  title: string,
  body: (target: DatabaseTarget) => void,
  skip: Partial<Record<DatabaseKind, string>> = {},
): void {
  for (const target of targets) {
    const reason = target.skipReason ?? skip[target.kind];
    if (reason) {
      console.warn(`${title} [${target.kind}] skipped: ${reason}`);
      describe.skip(`${title} [${target.kind}] (skipped: ${reason})`, () => {
        it('is skipped', () => undefined);
      });
    } else {
      describe(`${title} [${target.kind}]`, () => body(target));
    }
  }
}

async function openFreshSchema(url: string, options: TestDatabaseOptions = {}): Promise<OpenDatabase> {
  const schema = `t_${process.pid}_${randomBytes(5).toString('hex')}`;
  const opened = await openDatabase({ migrations, ...options, databaseUrl: url, dataDir: 'unused', schema });
  return {
    ...opened,
    async close() {
      await opened.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
