import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openDatabase, type OpenDatabase } from '#app/database';
import { migrations } from '../../migrations/index.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { waitFor } from '../support/wait-for.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();
const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, 'crash-append.child.ts');
const BATCH = 5_000;

interface ChildRun {
  /** resolves with the first line matching one of `lines` */
  waitFor(lines: readonly string[]): Promise<string>;
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

const children = new Set<ChildRun>();
afterEach(async () => {
  for (const child of children) await child.kill();
  children.clear();
});

/** Runs the child on the real adapter code through tsx (`node --import tsx`). */
function runChild(env: Record<string, string>): ChildRun {
  const run = startChild(env);
  children.add(run);
  return run;
}

function startChild(env: Record<string, string>): ChildRun {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seen: string[] = [];
  const listeners = new Set<() => void>();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    seen.push(line);
    for (const l of listeners) l();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    exited,
    waitFor: (lines) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = seen.find((s) => lines.some((l) => s.startsWith(l)));
          if (hit) {
            listeners.delete(check);
            resolve(hit);
          }
        };
        listeners.add(check);
        check();
        void exited.then(() => {
          check();
          if (listeners.has(check)) reject(new Error(`child exited before printing ${lines.join('|')}: ${stderr}`));
        });
      }),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * SIGKILL a writer in the middle of appending one large batch: afterwards the stream holds the whole
 * batch or none of it, and the stream row agrees.
 */
describeForEachDatabase(targets, 'Crash safety of an append', (target) => {
  if (target.kind === 'postgres') {
    let db: OpenDatabase;
    beforeAll(async () => {
      db = await target.open();
    }, 60_000);
    afterAll(() => closeIfStarted(db), 60_000);

    const streamState = async (stream: string) => {
      const [{ n }] = await db.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1`, [
        stream,
      ]);
      const rows = await db.dataSource.query<Array<{ revision: number }>>(
        `SELECT revision::int AS revision FROM streams WHERE stream_id = $1`,
        [stream],
      );
      return { events: n, revision: rows[0]?.revision };
    };
    const childEnv = (stream: string, app: string, hold = false) => ({
      CRASH_DATABASE_URL: db.connectionString,
      CRASH_SCHEMA: db.schema,
      CRASH_STREAM: stream,
      CRASH_COUNT: String(BATCH),
      CRASH_APP: app,
      CRASH_HOLD: hold ? '1' : '0',
    });
    /** The server may still be finishing the dead client's transaction: wait until its session is gone. */
    const sessionGone = (app: string) =>
      waitFor(
        async () =>
          (
            await db.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [
              app,
            ])
          )[0].n === 0,
        'the killed session to end',
      );
    let appendMs = 300;

    it(`stores all ${BATCH} events when the writer is not killed`, async () => {
      const stream = `bulk-${randomUUID()}`;
      const child = runChild(childEnv(stream, `crash-${randomBytes(4).toString('hex')}`));
      const line = await child.waitFor(['committed']);
      appendMs = Math.max(50, Number(line.split(' ')[1]));
      expect(await child.exited).toBe(0);
      expect(await streamState(stream)).toEqual({ events: BATCH, revision: BATCH - 1 });
    }, 30_000);

    it('stores none of the batch when the writer dies after inserting every row, before COMMIT', async () => {
      const stream = `bulk-${randomUUID()}`;
      const app = `crash-${randomBytes(4).toString('hex')}`;
      const child = runChild(childEnv(stream, app, true));
      await child.waitFor(['inserted']);
      await child.kill();
      await sessionGone(app);
      expect(await streamState(stream)).toEqual({ events: 0, revision: undefined });
    }, 30_000);

    it('stores all or nothing when the writer dies at a random moment of the append', async () => {
      const outcomes: number[] = [];
      for (let round = 0; round < 3; round++) {
        const stream = `bulk-${randomUUID()}`;
        const app = `crash-${randomBytes(4).toString('hex')}`;
        const child = runChild(childEnv(stream, app));
        await child.waitFor(['started']);
        // a deliberate random kill point within the append's duration (not a wait for a result)
        await new Promise((resolve) => setTimeout(resolve, Math.random() * appendMs * 1.2));
        await child.kill();
        await sessionGone(app);
        const state = await streamState(stream);
        expect([0, BATCH]).toContain(state.events);
        expect(state.revision).toBe(state.events === 0 ? undefined : BATCH - 1);
        outcomes.push(state.events);
      }
      console.info(`crash rounds stored: ${outcomes.join(', ')}`);
    }, 60_000);
  } else {
    let dataDir: string;
    beforeAll(() => {
      dataDir = join(mkdtempSync(join(tmpdir(), 'crash-embedded-')), 'data');
    });
    afterAll(() => {
      rmSync(dirname(dataDir), { recursive: true, force: true });
    });

    const countAfterRestart = async (stream: string) => {
      const db = await openDatabase({ migrations, dataDir, schema: 'app' });
      try {
        const [{ n }] = await db.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1`, [
          stream,
        ]);
        const rows = await db.dataSource.query<Array<{ revision: number }>>(
          `SELECT revision::int AS revision FROM streams WHERE stream_id = $1`,
          [stream],
        );
        return { events: n, revision: rows[0]?.revision };
      } finally {
        await db.close();
      }
    };

    it('reopens the data folder with none of the batch after the writer died before COMMIT', async () => {
      const stream = `bulk-${randomUUID()}`;
      // the first child also creates and migrates the data folder
      const child = runChild({
        CRASH_DATA_DIR: dataDir,
        CRASH_SCHEMA: 'app',
        CRASH_STREAM: stream,
        CRASH_COUNT: String(BATCH),
        CRASH_HOLD: '1',
        CRASH_MIGRATE: '1',
      });
      await child.waitFor(['inserted']);
      await child.kill();
      expect(await countAfterRestart(stream)).toEqual({ events: 0, revision: undefined });
    }, 60_000);
  }
});
