import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';
import { comparePositions, PostgresEventStore } from '#app/event-store';
import { mintDevelopmentToken } from '../../apps/api/src/platform/auth/mint-token.js';
import type { Role } from '../../apps/api/src/platform/auth/actor.js';
import { present } from '../support/present.js';
import { CLINIC } from './workload.js';

const BENCH_JWT_SECRET = 'bench-only-secret-bench-only-secret-0000';
const BENCH_ISSUER = 'bench-issuer';
const BENCH_AUDIENCE = 'group-course-api';

/** the API's settings under load (production, real auth settings, a rate limit it never reaches) */
export function benchApiEnv(databaseUrl: string, schema: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    AUTH_JWT_SECRET: BENCH_JWT_SECRET,
    AUTH_ISSUER: BENCH_ISSUER,
    AUTH_AUDIENCE: BENCH_AUDIENCE,
    PSEUDONYM_KEY: 'bench-only-pseudonym-key-bench-only-000000',
    RATE_LIMIT_MAX: '1000000000',
    BENCH_DATABASE_URL: databaseUrl,
    BENCH_SCHEMA: schema,
  };
}

/** the Authorization header of a bench user of the bench's clinic (the API started with benchApiEnv) */
export async function benchAuth(sub: string, roles: readonly Role[]): Promise<Record<string, string>> {
  const token = await mintDevelopmentToken(BENCH_JWT_SECRET, {
    sub,
    roles: [...roles],
    clinicId: CLINIC,
    issuer: BENCH_ISSUER,
    audience: BENCH_AUDIENCE,
  });
  return { authorization: `Bearer ${token}` };
}

/** The API in a child process (compiled, production settings), loaded over loopback with autocannon. */

export interface ApiProcess {
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startApi(env: Record<string, string>): Promise<ApiProcess> {
  const entry = fileURLToPath(new URL('./api-server.mjs', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  present(child.stderr).on('data', (c: Buffer) => {
    stderr += c.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the API did not start within 120 s: ${stderr.slice(-2000)}`));
    }, 120_000);
    createInterface({ input: present(child.stdout) }).on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited (${String(code)}) before listening: ${stderr.slice(-2000)}`));
    });
  });
  return {
    pid: present(child.pid),
    port,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** resident set size (and its peak) of a process, from /proc (Linux), in MiB */
export function memoryOf(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: Math.round(kib('VmRSS') / 102.4) / 10, peakRssMiB: Math.round(kib('VmHWM') / 102.4) / 10 };
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
}

export interface LoadOptions {
  readonly port: number;
  readonly method?: 'GET' | 'POST';
  readonly connections: number;
  readonly amount: number;
  readonly headers?: Record<string, string>;
  /** the path (and body) of the i-th request */
  readonly request: (i: number) => { path: string; body?: string };
}

/**
 * `amount` requests over `connections` keep-alive connections to 127.0.0.1, each built by `request(i)`. The rate
 * is the requests over the time from the start to the last answer: autocannon itself ends a run only at its next
 * one-second sample after the last answer, so timing the whole call rounded every run up to whole seconds
 * (800 enrolments answered in 2.6 s counted as 3 s).
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const start = performance.now();
  let lastAnswer = start;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
        url: `http://127.0.0.1:${options.port}`,
        connections: options.connections,
        amount: options.amount,
        timeout: 30,
        headers: { ...(options.method === 'POST' ? { 'content-type': 'application/json' } : {}), ...options.headers },
        requests: [
          {
            method: options.method ?? 'GET',
            setupRequest: (req) => {
              const built = options.request(next++);
              return { ...req, path: built.path, ...(built.body === undefined ? {} : { body: built.body }) };
            },
          },
        ],
      },
      (error, finished) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(finished)),
    );
    run.on('response', () => {
      lastAnswer = performance.now();
    });
  });
  const seconds = (lastAnswer - start) / 1000;
  const statuses: Record<string, number> = {};
  const byCode = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  for (const [code, stat] of Object.entries(byCode)) statuses[code] = stat.count;
  return {
    requests: result.requests.total,
    seconds,
    perSecond: result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statuses,
    errors: result.errors + result.timeouts,
  };
}

/** waits until every durable subscription of the API's schema has applied the log's head (and the head is still) */
export async function waitForSubscriptions(
  dataSource: DataSource,
  deadlineMs: number,
  onProgress?: (behind: number) => void,
): Promise<void> {
  const store = new PostgresEventStore(dataSource, { preparedStatements: true });
  const deadline = Date.now() + deadlineMs;
  let lastReport = Date.now();
  for (;;) {
    const head = await store.headPosition();
    const rows = await dataSource.query<Array<{ name: string; c: string; p: string }>>(
      `SELECT name, commit_position::text AS c, prepare_position::text AS p FROM subscription_checkpoints`,
    );
    const behind = rows.filter((r) => comparePositions({ commit: BigInt(r.c), prepare: BigInt(r.p) }, head) < 0);
    if (rows.length > 0 && behind.length === 0) {
      const again = await store.headPosition();
      if (comparePositions(again, head) === 0) return;
    }
    if (Date.now() > deadline)
      throw new Error(`subscriptions still behind after ${deadlineMs / 1000} s: ${behind.map((b) => b.name).join(', ')}`);
    if (onProgress && Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      // global positions are a sequence: their distance approximates the events still to read (no count over the table)
      onProgress(Math.max(0, ...behind.map((b) => Number(head.prepare - BigInt(b.p)))));
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
