/** The bench's figures, each beside the baseline measured in the same run, as JSON and as Markdown with ASCII bars. */

export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: { readonly title: string; readonly value: number; readonly unit: string };
  /** value ÷ baseline */
  readonly ratio: number;
  /** what the ratio means, in one sentence */
  readonly meaning: string;
  /** for latencies lower is better */
  readonly higherIsBetter: boolean;
  readonly details?: Record<string, unknown>;
}

export function figure(f: Omit<Figure, 'ratio'>): Figure {
  return { ...f, ratio: f.baseline.value === 0 ? NaN : f.value / f.baseline.value };
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

const WIDTH = 40;

function bar(value: number, max: number): string {
  const cells = max > 0 ? Math.max(value > 0 ? 1 : 0, Math.round((value / max) * WIDTH)) : 0;
  return '█'.repeat(cells) + '·'.repeat(WIDTH - cells);
}

/** one line for the console */
export function line(f: Figure): string {
  return `${f.title}: ${fmt(f.value)} ${f.unit}  |  baseline ${f.baseline.title}: ${fmt(f.baseline.value)} ${f.baseline.unit}  |  ratio ${f.ratio.toFixed(3)}`;
}

export function markdown(
  figures: readonly Figure[],
  memory: ReadonlyArray<{ readonly when: string; readonly rssMiB: number; readonly peakRssMiB: number }>,
  meta: Record<string, unknown>,
): string {
  const out: string[] = [];
  out.push(
    `Run ${String(meta.startedAt)} · ${String(meta.command)} · ${String(meta.machine)} · PostgreSQL ${String(meta.postgres)} · ${String(meta.seconds)} s`,
    '',
  );
  out.push('| figure | value | baseline (same run) | ratio |', '|---|---:|---:|---:|');
  for (const f of figures) {
    out.push(
      `| ${f.title} | ${fmt(f.value)} ${f.unit} | ${fmt(f.baseline.value)} ${f.baseline.unit} (${f.baseline.title}) | **${f.ratio.toFixed(3)}** |`,
    );
  }
  out.push('', '```');
  for (const f of figures) {
    const max = Math.max(f.value, f.baseline.value);
    out.push(f.title);
    out.push(`  ${bar(f.value, max)} ${fmt(f.value)} ${f.unit}`);
    out.push(`  ${bar(f.baseline.value, max)} ${fmt(f.baseline.value)} ${f.baseline.unit}  ← ${f.baseline.title}`);
  }
  if (memory.length > 0) {
    const max = Math.max(...memory.map((m) => m.rssMiB));
    out.push('', 'API resident memory (RSS)');
    for (const m of memory) out.push(`  ${bar(m.rssMiB, max)} ${fmt(m.rssMiB)} MiB  ${m.when} (peak ${fmt(m.peakRssMiB)} MiB)`);
  }
  out.push('```', '');
  for (const f of figures) out.push(`- **${f.title}** — ${f.meaning}`);
  return `${out.join('\n')}\n`;
}
