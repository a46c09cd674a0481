import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { openDatabase, type OpenDatabase } from '#app/database';
import { migrations } from '../../migrations/index.js';
import type { AdvisoryLockLeadership } from '#app/event-store';
import { ProjectionRunner } from '#app/projections';
import { mintDevelopmentToken } from '../../apps/api/src/platform/auth/mint-token.js';
import { loadConfig } from '../../apps/api/src/platform/config/app-config.js';
import { createApp } from '../../apps/api/src/create-app.js';
import { WebhookDeliveryWorker } from '../../apps/api/src/features/webhooks/webhook-delivery.worker.js';
import { Persistence } from '../../apps/api/src/platform/persistence/persistence.js';
import { EnrolmentProcessManager } from '../../apps/api/src/features/enrolment/process-managers/enrolment.process-manager.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { waitFor } from '../support/wait-for.js';
import { present } from '../support/present.js';

const targets = await testDatabaseTargets();

/**
 * Two API instances on one PostgreSQL schema (as two processes would run): exactly one runs the
 * background consumers, both answer reads of their own and each other's writes (X-Min-Position), and
 * when the consumer's connection dies (the process died) the other takes over at once.
 */
describeForEachDatabase(
  targets,
  'two API instances on one database',
  (target) => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    let first: OpenDatabase;
    let second: OpenDatabase;
    let apps: INestApplication[] = [];

    beforeAll(async () => {
      first = await target.open();
      second = await openDatabase({ migrations, databaseUrl: first.connectionString, dataDir: 'unused', schema: first.schema });
      for (const database of [first, second]) {
        const app = await createApp(config, { database });
        await app.init();
        apps.push(app);
      }
    }, 120_000);
    afterAll(async () => {
      // the second first: closing the first drops the test schema
      for (const app of [...apps].reverse()) await app.close().catch(() => undefined);
      apps = [];
    }, 60_000);

    const leadership = (app: INestApplication) => app.get(Persistence).leadership as AdvisoryLockLeadership;
    const server = (app: INestApplication) => app.getHttpServer() as App;
    const secretary = () =>
      mintDevelopmentToken(present(config.jwtSecret), { sub: 'S1', roles: ['secretary'], clinicId: 'smertecenter-syd' });

    /** a write through `via`, then a read of it through `readVia` that waits for the read models to have it */
    async function writeAndRead(via: INestApplication, readVia: INestApplication, name: string) {
      const token = await secretary();
      const created = await request(server(via))
        .post('/rooms')
        .set('Authorization', `Bearer ${token}`)
        .send({ name, seats: 4 })
        .expect(201);
      const list = await request(server(readVia))
        .get('/rooms')
        .set('Authorization', `Bearer ${token}`)
        .set('X-Min-Position', created.headers['x-event-position'])
        .expect(200);
      expect(list.body.map((r: { name: string }) => r.name)).toContain(name);
    }

    const consumers = async (app: INestApplication) => {
      const statuses = await app.get(ProjectionRunner).status();
      return {
        elected: leadership(app).isLeader,
        processManager: app.get(EnrolmentProcessManager).consuming,
        batches: statuses.reduce((n, s) => n + s.batchesApplied, 0),
        health: (await request(server(app)).get('/health').expect(200)).body.backgroundConsumer as boolean,
      };
    };

    it('elects exactly one instance; the other serves its own and the consumer’s writes through the elected one’s read models', async () => {
      const [a, b] = apps as [INestApplication, INestApplication];
      await leadership(a).whenLeader(10_000);
      expect([leadership(a).isLeader, leadership(b).isLeader]).toEqual([true, false]);
      await writeAndRead(b, b, 'Lokale skrevet i B');
      await writeAndRead(a, b, 'Lokale skrevet i A');
      await writeAndRead(b, a, 'Lokale B, læst i A');
      expect(await consumers(a)).toMatchObject({ elected: true, processManager: true, health: true });
      const after = await consumers(b);
      expect(after).toMatchObject({ elected: false, processManager: false, health: false, batches: 0 }); // its projections follow A's checkpoints
      expect((await consumers(a)).batches).toBeGreaterThan(0);
      expect(a.get(WebhookDeliveryWorker)).toBeDefined();
    }, 60_000);

    it('hands over when the elected instance’s connection dies, and back when the other one shuts down', async () => {
      const [a, b] = apps as [INestApplication, INestApplication];
      await leadership(a).whenLeader(10_000);
      const admin = new pg.Client({ connectionString: first.connectionString });
      await admin.connect();
      try {
        const { rows } = await admin.query(
          `SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted
             AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)`,
          [`${first.schema}:background-consumers`],
        );
        expect(rows).toHaveLength(1);
        await admin.query(`SELECT pg_terminate_backend($1)`, [(rows[0] as { pid: number }).pid]); // as if A's process died
      } finally {
        await admin.end();
      }
      await leadership(b).whenLeader(5_000);
      await waitFor(() => !leadership(a).isLeader, 'A to notice it lost the election');
      const appliedByA = (await consumers(a)).batches;
      await writeAndRead(a, a, 'Efter overdragelsen, skrevet i A');
      expect(await consumers(b)).toMatchObject({ elected: true, processManager: true, health: true });
      expect((await consumers(b)).batches).toBeGreaterThan(0);
      expect((await consumers(a)).batches).toBe(appliedByA); // the read A served came from B's projections

      await b.close(); // B goes: A (contending again) takes over
      apps = [a];
      await leadership(a).whenLeader(5_000);
      await writeAndRead(a, a, 'Efter B lukkede');
      expect(await consumers(a)).toMatchObject({ elected: true, processManager: true });
    }, 60_000);
  },
  { embedded: 'one process owns the embedded database (PGlite in this process): there is no second instance to elect' },
);
