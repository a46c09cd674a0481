import type { EntityManager } from 'typeorm';
import type { PlannedTeam, TeamState } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { streamEntityId } from '#app/projections';
import { fromJson } from '../../platform/projections/course-stream.js';

/**
 * How `team_boards` and `team_summaries` keep a team's replayed state: the catalogue parts copied at
 * planning (`programme` and `rules`, ~6 KB of a 25-seat team's ~11 KB, and fixed for the team's life) in
 * `plan`, the rest in `state` (migration 1763800080000). Each batch rewrites `state` of every team it touches;
 * `plan` is written with the team's first row only, so PostgreSQL keeps its stored (TOASTed) value instead of
 * compressing and logging it again each time. A row from before the split (whole state, no plan) reads the
 * same and is split at its next write.
 */
type Plan = Pick<PlannedTeam, 'programme' | 'rules'>;

/** the whole state of a stored team, for a SELECT list (`SELECT ${TEAM_STATE_SQL} AS state FROM team_boards`) */
export const TEAM_STATE_SQL = `(state::jsonb || COALESCE(plan::jsonb, '{}'::jsonb))`;

export interface StoredTeam {
  readonly state: TeamState;
  /** the plan as stored (undefined: none stored yet) */
  readonly plan: Plan | undefined;
  /** the team stream's revision the state is at */
  readonly revision: number;
}

/** the stored teams of `ids` in one query, each as its whole state and the plan it was stored with */
export async function loadTeams(manager: EntityManager, table: 'team_boards' | 'team_summaries', ids: readonly string[]) {
  const rows = await manager.query<Array<{ team_id: string; state: unknown; plan: unknown; revision: number }>>(
    `SELECT team_id, state, plan, stream_revision::int AS revision FROM ${table} WHERE team_id = ANY($1)`,
    [ids],
  );
  return new Map<string, StoredTeam>(
    rows.map((r) => {
      const plan = r.plan === null ? undefined : fromJson<Plan>(r.plan);
      return [r.team_id, { state: { ...fromJson<TeamState>(r.state), ...plan }, plan, revision: r.revision }];
    }),
  );
}

/**
 * The events not yet in the stored states: the revision kept with each state is the projection's guard (a
 * redelivered batch changes nothing) without a `*_sources` table read and written per batch (stream-guard.ts).
 */
export function unappliedEvents(events: readonly RecordedEvent[], stored: ReadonlyMap<string, StoredTeam>): RecordedEvent[] {
  return events.filter((e) => e.revision > (stored.get(streamEntityId(e.streamId))?.revision ?? -1));
}

/** the whole states of loaded teams, by team id (what evolveTeams starts from) */
export function statesOf(stored: ReadonlyMap<string, StoredTeam>): Map<string, TeamState> {
  return new Map([...stored].map(([id, team]) => [id, team.state]));
}

/** the `state` and `plan` column values of a team to store: plan null when the stored one still holds */
export function teamColumns(state: TeamState, stored: StoredTeam | undefined): [state: string, plan: string | null] {
  if (state.status !== 'planned') return [JSON.stringify(state), null];
  const { programme, rules, ...rest } = state;
  const unchanged = stored?.plan?.programme === programme && stored.plan.rules === rules;
  return [JSON.stringify(rest), unchanged ? null : JSON.stringify({ programme, rules })];
}

/** the SET of `plan` in an upsert: a null (unchanged) keeps the stored one */
export const keepPlan = (table: 'team_boards' | 'team_summaries'): string => `plan = COALESCE(EXCLUDED.plan, ${table}.plan)`;
