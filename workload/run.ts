import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase, type OpenDatabase } from '#app/database';
import { PostgresEventStore } from '#app/event-store';
import { ApiProcess } from './api-process.js';
import { generateWorkload, type WorkloadResult } from './generate.js';
import { assertLoopback } from './http.js';

const USAGE = `npm run workload -- [--scale 1|10|100] [--seed 42] [--concurrency 8]
    [--base-url http://127.0.0.1:3000 --database-url postgres://… [--schema public]] [--keep] [--json]

Without --base-url it starts the compiled API itself on a fresh schema of DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/test) and drops the schema afterwards unless --keep.
With --base-url it drives that API (loopback only); --database-url/--schema name its database, where
the clinicians' Forstå smerte history from before the API is written.`;

/** `npm run workload`: generates a centre-year through the API and prints what it created and how long it took. */
export async function runWorkloadCli(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<WorkloadResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string', default: '1' },
      seed: { type: 'string', default: '42' },
      concurrency: { type: 'string', default: '8' },
      'base-url': { type: 'string' },
      'database-url': { type: 'string' },
      schema: { type: 'string' },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    out.write(`${USAGE}\n`);
    process.exit(0);
  }
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  const concurrency = Number(values.concurrency);
  if (!(scale > 0) || !Number.isInteger(seed) || !(concurrency >= 1)) throw new Error(`Bad arguments.\n${USAGE}`);
  const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  assertLoopback(databaseUrl.replace(/^postgres(ql)?:/, 'http:'));

  let api: ApiProcess | undefined;
  let db: OpenDatabase | undefined;
  const ownSchema = values['base-url'] ? undefined : `wl_${seed}_${randomBytes(4).toString('hex')}`;
  const schema = ownSchema ?? values.schema ?? 'public';
  try {
    let baseUrl = values['base-url'];
    if (!baseUrl) {
      const logFile = join(mkdtempSync(join(tmpdir(), 'workload-')), 'api.log');
      out.write(`Starting the API (dist/) on schema ${schema}; its log: ${logFile}\n`);
      api = new ApiProcess({ env: { DATABASE_URL: databaseUrl, API_SCHEMA: schema }, logFile });
      await api.start();
      baseUrl = api.baseUrl;
    }
    db = await openDatabase({ databaseUrl, dataDir: 'unused', schema, migrate: false, poolSize: 2 });
    const eventStore = new PostgresEventStore(db.dataSource);
    out.write(`Workload: scale ${scale}, seed ${seed}, ${concurrency} requests in flight, against ${baseUrl}\n`);
    let lastLine = 0;
    const result = await generateWorkload({
      seed,
      scale,
      baseUrl,
      eventStore,
      concurrency,
      onProgress: (p) => {
        if (Date.now() - lastLine < 5000 && p.done !== p.total) return;
        lastLine = Date.now();
        out.write(`  ${(p.elapsedMs / 1000).toFixed(0).padStart(5)} s  ${p.phase} ${p.done}/${p.total}  (${p.requests} requests)\n`);
      },
    });
    out.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : report(result));
    return result;
  } finally {
    await db?.close();
    await api?.stop('SIGTERM');
    api?.close();
    if (ownSchema && !values.keep) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${ownSchema} CASCADE`).finally(() => client.end());
    } else if (ownSchema) out.write(`Kept schema ${ownSchema}.\n`);
  }
}

export function report(r: WorkloadResult): string {
  const lines: string[] = [];
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  lines.push(
    '',
    `Created (scale ${r.scale}, seed ${r.seed}) in ${secs(r.durationMs)}, ${r.requests} requests (${(r.requests / (r.durationMs / 1000)).toFixed(0)}/s):`,
  );
  for (const [k, v] of Object.entries(r.created)) lines.push(`  ${k.padEnd(34)} ${String(v).padStart(8)}`);
  lines.push('Teams by programme:');
  for (const [k, v] of Object.entries(r.teamsByProgramme)) lines.push(`  ${k.padEnd(34)} ${String(v).padStart(8)}`);
  if (Object.keys(r.refused).length > 0) {
    lines.push('Refusals the workload expects (full, closed, not eligible …):');
    for (const [k, v] of Object.entries(r.refused)) lines.push(`  ${k.padEnd(34)} ${String(v).padStart(8)}`);
  }
  lines.push(Object.keys(r.unexpected).length === 0 ? 'Unexpected answers: none' : 'Unexpected answers:');
  for (const [k, v] of Object.entries(r.unexpected)) lines.push(`  ${k.padEnd(70)} ${String(v).padStart(6)}`);
  lines.push('Phases:');
  for (const p of r.phases) lines.push(`  ${p.phase.padEnd(34)} ${secs(p.ms).padStart(9)} ${String(p.requests).padStart(8)} requests`);
  return `${lines.join('\n')}\n`;
}
