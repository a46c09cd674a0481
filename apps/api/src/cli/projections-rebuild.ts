import type { DataSource } from 'typeorm';
import type { EventStore } from '#app/event-store';
import { rebuildProjection, type Projection, type RebuildProgress, type RebuildResult } from '#app/projections';

export interface RebuildRun {
  readonly source: EventStore;
  readonly dataSource: DataSource;
  readonly projections: readonly Projection[];
  /** a projection name (with or without its `.vN` suffix), or `all` / undefined for every rebuildable one */
  readonly target?: string;
  /** where the progress bar and the summary go (stderr in the CLI) */
  readonly out: { write(text: string): unknown; readonly isTTY?: boolean };
}

/** The projections `target` names; throws a sentence listing the names when it names none. */
export function selectProjections(projections: readonly Projection[], target: string | undefined): Projection[] {
  const rebuildable = projections.filter((p) => (p.tables ?? []).length > 0);
  if (!target || target === 'all') return rebuildable;
  const match = projections.filter((p) => p.name === target || p.name.replace(/\.v\d+$/, '') === target);
  if (match.length === 0) throw new Error(`No projection is called "${target}". Known: ${projections.map((p) => p.name).join(', ')}.`);
  const [projection] = match;
  if ((projection.tables ?? []).length === 0)
    throw new Error(`Projection ${projection.name} declares no tables, so it cannot be rebuilt while the API runs.`);
  return [projection];
}

/** Rebuilds each selected projection in turn (rebuild.ts: shadow tables, then one swap), with a progress bar. */
export async function runRebuild(run: RebuildRun): Promise<RebuildResult[]> {
  const selected = selectProjections(run.projections, run.target);
  const skipped = run.projections.filter((p) => !selected.includes(p) && (p.tables ?? []).length === 0);
  if (!run.target || run.target === 'all') {
    for (const p of skipped)
      run.out.write(`skipped ${p.name}: it declares no tables (add \`tables\` to its Projection to make it rebuildable)\n`);
  }
  const results: RebuildResult[] = [];
  for (const projection of selected) {
    const bar = progressBar(run.out);
    const result = await rebuildProjection({ projection, source: run.source, dataSource: run.dataSource, onProgress: bar.update });
    bar.done();
    const rows = Object.entries(result.rows)
      .map(([table, n]) => `${table} ${n}`)
      .join(', ');
    run.out.write(
      `${result.name}: ${result.events} events replayed in ${(result.durationMs / 1000).toFixed(1)} s and swapped in; rows: ${rows}\n`,
    );
    results.push(result);
  }
  const total = results.reduce((n, r) => n + r.events, 0);
  run.out.write(`Rebuilt ${results.length} projection(s) from ${total} events.\n`);
  return results;
}

const WIDTH = 30;

/** `calendars.v1 [██████░░░░] 61% 1234/2020 events`, redrawn in place on a terminal, one line otherwise */
function progressBar(out: RebuildRun['out']): { update: (p: RebuildProgress) => void; done: () => void } {
  let last: RebuildProgress | undefined;
  const render = (p: RebuildProgress) => {
    const total = p.total ?? p.applied;
    const share = total === 0 ? 1 : Math.min(1, p.applied / total);
    const filled = Math.round(share * WIDTH);
    return `${p.name} [${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${Math.round(share * 100)}% ${p.applied}/${p.total ?? '?'} events`;
  };
  return {
    update: (p) => {
      last = p;
      if (out.isTTY) out.write(`\r${render(p)}`);
    },
    done: () => {
      if (last) out.write(out.isTTY ? '\n' : `${render(last)}\n`);
    },
  };
}
