import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { OpenDatabase } from '#app/database';
import { DEFAULT_TEST_DATABASE_URL, describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';

const targets = await testDatabaseTargets();

/**
 * append_to_stream's plans stay index look-ups however small `events` was when a connection cached them
 * (migration 1763800070000). The plans are read with auto_explain, which PostgreSQL sends to the client
 * as LOG messages; a connection that appended while the table was empty appends again after the table grew.
 */
describeForEachDatabase(
  targets,
  'append_to_stream plans',
  (target) => {
    let db: OpenDatabase;
    let client: pg.Client;
    const plans: string[] = [];

    beforeAll(async () => {
      db = await target.open();
      client = new pg.Client({
        connectionString: process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL,
        options: `-c search_path=${db.schema}`,
      });
      await client.connect();
      client.on('notice', (notice) => plans.push(notice.message ?? ''));
    });
    afterAll(async () => {
      await client.end();
      await db.close();
    });

    const append = (streamId: string, count: number) =>
      client.query(`SELECT * FROM append_to_stream($1, -1, $2::uuid[], $3::jsonb)`, [
        streamId,
        Array.from({ length: count }, () => randomUUID()),
        JSON.stringify(Array.from({ length: count }, (_, i) => ({ type: 'Noted', data: { i }, metadata: { actor: 'plan-test' } }))),
      ]);

    it('looks up the batch ids through the index after the table grew under a cached plan', async () => {
      // plans cached while the table is tiny (PL/pgSQL switches to a generic plan after five calls)
      for (let i = 0; i < 8; i++) await append(`small-${i}`, 100);
      // the table grows from other connections
      for (let i = 0; i < 40; i++)
        await db.dataSource.query(`SELECT * FROM append_to_stream($1, -1, $2::uuid[], $3::jsonb)`, [
          `bulk-${i}`,
          Array.from({ length: 500 }, () => randomUUID()),
          JSON.stringify(Array.from({ length: 500 }, () => ({ type: 'Bulk', data: {}, metadata: {} }))),
        ]);
      await client.query(`LOAD 'auto_explain'`);
      await client.query(`SET auto_explain.log_min_duration = 0`);
      await client.query(`SET auto_explain.log_nested_statements = on`);
      await client.query(`SET client_min_messages = log`);
      await append('after-growth', 100);
      await client.query(`SET client_min_messages = notice`);

      const lookUp = plans.filter((p) => p.includes('event_id = ANY'));
      expect(lookUp.length).toBeGreaterThan(0);
      expect(plans.filter((p) => /Seq Scan on events/.test(p))).toEqual([]);
    });
  },
  { embedded: 'auto_explain, which shows the plans, is a PostgreSQL contrib module that PGlite does not ship' },
);
