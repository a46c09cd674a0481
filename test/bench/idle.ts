/**
 * tsx test/bench/idle.ts [--seconds 60] [--mode embedded|postgres|both] [--settle 5]
 *
 * CPU an API uses with no traffic at all: starts the compiled API (npm run build first) as the bench
 * does, lets it settle (`--settle` seconds), then reads its utime+stime from /proc/<pid>/stat over the window. Prints
 * % of one core and the resident memory right after start. Embedded mode: a fresh data folder;
 * PostgreSQL: a fresh schema of DATABASE_URL (dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchApiEnv, memoryOf, startApi } from './http-bench.js';

export interface IdleResult {
  readonly mode: 'embedded' | 'postgres';
  readonly seconds: number;
  /** % of one core over the window */
  readonly cpuPercent: number;
  readonly rssAtStartMiB: number;
  readonly rssAtEndMiB: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
}

export async function measureIdle(
  mode: 'embedded' | 'postgres',
  seconds: number,
  databaseUrl: string,
  settleMs = 5_000,
): Promise<IdleResult> {
  const dataDir = mode === 'embedded' ? mkdtempSync(join(tmpdir(), 'idle-api-')) : undefined;
  const schema = mode === 'postgres' ? `idle_${randomBytes(4).toString('hex')}` : undefined;
  // the bench's production settings (issuer and audience included, which production requires)
  const { BENCH_SCHEMA, ...env } = benchApiEnv(databaseUrl, schema ?? '');
  const api = await startApi({ ...env, ...(dataDir ? { BENCH_DATA_DIR: dataDir, BENCH_DATABASE_URL: '' } : { BENCH_SCHEMA }) });
  try {
    const rssAtStartMiB = memoryOf(api.pid).rssMiB;
    await new Promise((r) => setTimeout(r, settleMs));
    const t0 = cpuTicks(api.pid);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const used = (cpuTicks(api.pid) - t0) / CLOCK_TICKS;
    return { mode, seconds, cpuPercent: (used / seconds) * 100, rssAtStartMiB, rssAtEndMiB: memoryOf(api.pid).rssMiB };
  } finally {
    await api.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (schema) {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      mode: { type: 'string', default: 'both' },
      settle: { type: 'string', default: '5' },
    },
  });
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const modes = values.mode === 'both' ? (['embedded', 'postgres'] as const) : [values.mode as 'embedded' | 'postgres'];
  for (const mode of modes) {
    const r = await measureIdle(mode, Number(values.seconds), url, Number(values.settle) * 1000);
    console.log(
      `idle ${mode}: ${r.cpuPercent.toFixed(2)} % of a core over ${r.seconds} s; RSS ${r.rssAtStartMiB} MiB at start, ${r.rssAtEndMiB} MiB at the end`,
    );
  }
}
