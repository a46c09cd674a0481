import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { waitFor } from '../support/wait-for.js';
import { migrations } from '../../migrations/index.js';
import { openDatabase, type OpenDatabase } from '#app/database';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();
const migrationNames = migrations.map((M) => new M().name ?? M.name);

const tablesOf = async (db: OpenDatabase) =>
  (
    await db.dataSource.query<
      Array<{
        table_name: string;
      }>
    >(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [db.schema])
  ).map((r) => r.table_name);

describeForEachDatabase(targets, 'openDatabase', (target) => {
  let db: OpenDatabase;
  beforeAll(async () => {
    db = await target.open({ poolSize: 6 });
  }, 60_000);
  afterAll(() => closeIfStarted(db), 60_000);

  it('applies the migrations into the schema, with TypeORM’s migrations table beside them', async () => {
    expect(await tablesOf(db)).toEqual(expect.arrayContaining(['events', 'migrations', 'streams', 'subscription_checkpoints']));
    const applied = await db.dataSource.query<Array<{ name: string }>>(`SELECT name FROM migrations ORDER BY id`);
    // TypeORM runs them by the timestamp in their names, whatever the list order
    expect(applied.map((m) => m.name).sort()).toEqual([...migrationNames].sort());
    expect(db.dataSource.options.synchronize).toBe(false);
  });

  it('serves many concurrent queries and transactions on the pool without mixing them up', async () => {
    // Embedded: every connection shares one backend, whose unnamed statement a concurrent Parse would replace.
    await db.dataSource.query(`CREATE TABLE mixing (k int PRIMARY KEY, v text NOT NULL)`);
    const work = Array.from({ length: 150 }, async (_, i) => {
      if (i % 3 === 0) {
        await db.dataSource.transaction(async (m) => {
          await m.query(`INSERT INTO mixing (k, v) VALUES ($1, $2)`, [i, `v${i}`]);
          const [row] = await m.query<Array<{ v: string; echo: number }>>(`SELECT v, $2::int AS echo FROM mixing WHERE k = $1`, [i, i]);
          expect(row).toEqual({ v: `v${i}`, echo: i });
          await m.query(`UPDATE mixing SET v = $2 WHERE k = $1`, [i, `w${i}`]);
        });
      } else {
        const [row] = await db.dataSource.query<
          Array<{
            n: number;
          }>
        >(i % 2 ? `SELECT $1::int AS n` : `SELECT $1::int + 0 AS n, $2::text AS t, $3::bool AS b`, i % 2 ? [i] : [i, 'x', true]);
        expect(row.n).toBe(i);
      }
    });
    await Promise.all(work);
    expect(Number((await db.dataSource.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM mixing WHERE v LIKE 'w%'`))[0].n)).toBe(50);
  });

  if (target.kind === 'embedded') {
    it('keeps each client’s Parse…Sync together when clients queued behind a transaction resume', async () => {
      const clients = await Promise.all(
        [0, 1, 2].map(async () => {
          const c = new pg.Client({ connectionString: db.connectionString });
          await c.connect();
          return c;
        }),
      );
      const [holder, one, two] = clients;
      try {
        await holder.query('BEGIN');
        // both queue behind the open transaction; when it ends, their Parse messages are ready together
        const a = one.query(`SELECT $1::int AS n`, [1]);
        const b = two.query(`SELECT $1::int AS n, $2::text AS t`, [2, 'two']);
        await holder.query('COMMIT');
        expect((await a).rows).toEqual([{ n: 1 }]);
        expect((await b).rows).toEqual([{ n: 2, t: 'two' }]);
      } finally {
        for (const c of clients) await c.end();
      }
    });

    it('rolls back what a client left open when its connection drops', async () => {
      const client = new pg.Client({ connectionString: db.connectionString });
      await client.connect();
      await client.query(`BEGIN`);
      await client.query(`INSERT INTO streams (stream_id, revision) VALUES ('abandoned', 0)`);
      client.on('error', () => undefined);
      (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      // the next query can only run once the abandoned transaction is gone
      expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM streams WHERE stream_id = 'abandoned'`)).toEqual([{ n: 0 }]);
    });
  }

  if (target.kind === 'postgres') {
    it('pins every pooled connection to the schema and sets idle_in_transaction_session_timeout', async () => {
      const runners = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const qr = db.dataSource.createQueryRunner();
          await qr.connect();
          await qr.startTransaction(); // keeps the connection out of the pool until released
          return qr;
        }),
      );
      try {
        for (const qr of runners) {
          const [row] = (await qr.query(
            `SELECT pg_backend_pid() AS pid, current_schema() AS schema, current_setting('idle_in_transaction_session_timeout') AS idle`,
          )) as Array<{ pid: number; schema: string; idle: string }>;
          expect(row).toMatchObject({ schema: db.schema, idle: '1min' });
        }
      } finally {
        for (const qr of runners) {
          await qr.rollbackTransaction();
          await qr.release();
        }
      }
    });

    it('ends a transaction left idle past the timeout', async () => {
      const app = `idle-test-${randomBytes(4).toString('hex')}`;
      const short = await openDatabase({
        migrations,
        databaseUrl: db.connectionString,
        dataDir: 'unused',
        schema: db.schema,
        idleInTransactionTimeoutMs: 200,
        applicationName: app,
      });
      try {
        const qr = short.dataSource.createQueryRunner();
        await qr.connect();
        await qr.startTransaction();
        await qr.query('SELECT 1');
        await waitFor(
          async () =>
            Number(
              (
                await db.dataSource.query<Array<{ n: string }>>(
                  `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle in transaction'`,
                  [app],
                )
              )[0].n,
            ) === 0,
          'the server to end the idle transaction',
        );
        await expect(qr.query('SELECT 1')).rejects.toThrow();
        await qr.release().catch(() => undefined);
      } finally {
        await short.close();
      }
    });

    it('opens the same fresh schema from two processes at once (migrations run once, under a lock)', async () => {
      const schema = `t_race_${randomBytes(5).toString('hex')}`;
      const config = { migrations, databaseUrl: db.connectionString, dataDir: 'unused', schema };
      const both = await Promise.all([openDatabase(config), openDatabase(config)]);
      try {
        const applied = await both[0].dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM migrations`);
        expect(applied[0].n).toBe(migrations.length);
      } finally {
        for (const d of both) await d.close();
        const client = new pg.Client({ connectionString: db.connectionString });
        await client.connect();
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
        await client.end();
      }
    });

    it('migrates through a pool of one connection', async () => {
      const schema = `t_pool1_${randomBytes(5).toString('hex')}`;
      const small = await openDatabase({ migrations, databaseUrl: db.connectionString, dataDir: 'unused', schema, poolSize: 1 });
      try {
        expect(await tablesOf(small)).toEqual(expect.arrayContaining(['events', 'streams']));
      } finally {
        await small.dataSource.query(`DROP SCHEMA ${schema} CASCADE`);
        await small.close();
      }
    });

    it('creates no tables when migrate is false', async () => {
      const schema = `t_nomig_${randomBytes(5).toString('hex')}`;
      const bare = await openDatabase({ databaseUrl: db.connectionString, dataDir: 'unused', schema, migrate: false });
      try {
        expect(await tablesOf(bare)).toEqual([]);
      } finally {
        await bare.dataSource.query(`DROP SCHEMA ${schema} CASCADE`);
        await bare.close();
      }
    });
  }
});

describe('openDatabase embedded in a data folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'embedded-db-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps its data across a restart and does not migrate twice', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await openDatabase({ migrations, dataDir, schema: 'app', poolSize: 1 }); // migrations need no second connection
    expect(first.kind).toBe('embedded');
    await first.dataSource.query(`INSERT INTO streams (stream_id, revision) VALUES ('kept', 4)`);
    await first.close();

    const second = await openDatabase({ migrations, dataDir, schema: 'app' });
    try {
      expect(await tablesOf(second)).toEqual(expect.arrayContaining(['events', 'migrations', 'streams']));
      expect(await second.dataSource.query(`SELECT stream_id, revision::int AS revision FROM streams`)).toEqual([
        { stream_id: 'kept', revision: 4 },
      ]);
      expect(await second.dataSource.query(`SELECT count(*)::int AS n FROM migrations`)).toEqual([{ n: migrations.length }]);
    } finally {
      await second.close();
    }
  }, 60_000);
});
