/**
 * tsx test/bench/profile-summary.ts DIR [enrolments]: where the API's CPU went during the bench's enrolment run
 * (DIR/enrolment.cpuprofile from `npm run bench -- --profile DIR`), by self time per package or area and per
 * function, plus the SQL statements sent (DIR/enrolment-sql.json), per enrolment when their number is given.
 */
import { readFileSync } from 'node:fs';
import { present } from '../support/present.js';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const dir = process.argv[2];
const enrolments = Number(process.argv.at(3) ?? 0);
const name = process.env.PROFILE ?? 'enrolment';
const profile = JSON.parse(readFileSync(`${dir}/${name}.cpuprofile`, 'utf8')) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(url: string, fn: string): string {
  if (fn === '(idle)') return '(idle: waiting for I/O)';
  if (fn === '(garbage collector)') return '(garbage collector)';
  if (fn === '(program)') return '(program: V8/native)';
  const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node core';
  const d = /dist\/(apps\/api\/src\/[^/]+|libs\/[^/]+)/.exec(url);
  return d ? d[1] : url || '(native)';
}
const areas = new Map<string, number>();
const fns = new Map<string, number>();
for (const [id, t] of self) {
  const n = present(byId.get(id));
  const a = area(n.callFrame.url, n.callFrame.functionName);
  areas.set(a, (areas.get(a) ?? 0) + t);
  const f = `${n.callFrame.functionName || '(anonymous)'} ${a}:${n.callFrame.lineNumber + 1}`;
  fns.set(f, (fns.get(f) ?? 0) + t);
}
const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)} %`;
const ms = (t: number) => `${(t / 1000).toFixed(0).padStart(6)} ms`;
console.log(`CPU profile: ${(total / 1e6).toFixed(1)} s sampled${enrolments ? `, ${enrolments} enrolments` : ''}`);
console.log('\nself time by area:');
for (const [a, t] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, 18)) console.log(`  ${pct(t)} ${ms(t)}  ${a}`);
console.log('\nself time by function (top 25):');
for (const [f, t] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log(`  ${pct(t)} ${ms(t)}  ${f}`);
try {
  // [text, count, ms from sending to the answer] (older files: [text, count])
  const sql = JSON.parse(readFileSync(`${dir}/${name}-sql.json`, 'utf8')) as Array<[string, number, number?]>;
  const all = sql.reduce((a, [, n]) => a + n, 0);
  console.log(
    `\nSQL statements sent while profiling: ${all}${enrolments ? ` (${(all / enrolments).toFixed(1)} per enrolment, background polling included)` : ''}`,
  );
  console.log('  (count, per enrolment, mean ms from sending to the answer)');
  for (const [text, n, ms] of sql.slice(0, 25)) {
    const mean = ms === undefined ? '' : `${(ms / n).toFixed(1).padStart(7)} ms`;
    console.log(`  ${String(n).padStart(6)}${enrolments ? ` ${(n / enrolments).toFixed(2).padStart(6)}/enr` : ''}${mean}  ${text}`);
  }
} catch {
  // no SQL counts
}
