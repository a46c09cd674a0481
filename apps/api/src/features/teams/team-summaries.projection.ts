import type { EntityManager } from 'typeorm';
import { lateJoinCutoff, seatsTaken, toMillis } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { insertRows, streamCategory, streamEntityId, upsertClause, type Projection } from '#app/projections';
import { keepPlan, loadTeams, statesOf, teamColumns, unappliedEvents } from './stored-team-state.js';
import { evolveTeams, sessionSpan, TEAM_EVENT_TYPES, teamStatus } from './team-view.js';

const COLUMNS = {
  team_id: 'text',
  clinic_id: 'text',
  programme_code: 'text',
  catalogue_version: 'int',
  room_id: 'text',
  first_session_at: 'timestamptz',
  last_session_at: 'timestamptz',
  late_join_cutoff: 'timestamptz',
  capacity: 'int',
  seats_taken: 'int',
  waitlist_count: 'int',
  offers_outstanding: 'int',
  status: 'text',
  stream_revision: 'bigint',
  updated_at: 'timestamptz',
  time_zone: 'text',
  // `json` (text kept as written), not `jsonb`: only ever read whole (migration 1763800130000)
  state: 'json',
  plan: 'json',
} as const;
const UPDATED = Object.keys(COLUMNS).filter((c) => c !== 'team_id' && c !== 'plan');

/**
 * Read model `team_summaries` (migration 1763800003000), one row per team, keyed by the uuid of stream
 * `team-<uuid>`. Also read by the rebooking code, so the documented columns are a contract. The row
 * keeps the team's replayed state in `state` and `plan` (json, stored-team-state.ts) so each event is
 * applied with the pure evolve.
 */
export function teamSummariesProjection(): Projection {
  return {
    name: 'team-summaries.v1',
    tables: ['team_summaries'],
    categories: ['team'],
    async apply(events: readonly RecordedEvent[], manager: EntityManager) {
      const teamEvents = events.filter((e) => streamCategory(e.streamId) === 'team' && TEAM_EVENT_TYPES.has(e.type));
      if (teamEvents.length === 0) return;
      const ids = [...new Set(teamEvents.map((e) => streamEntityId(e.streamId)))];
      // the stored states of every team in the batch, in one query
      const stored = await loadTeams(manager, 'team_summaries', ids);
      const pending = evolveTeams(unappliedEvents(teamEvents, stored), statesOf(stored));
      const upserts: unknown[][] = [];
      for (const [teamId, { state, revision, updatedAt }] of pending) {
        if (state.status !== 'planned') continue;
        const span = sessionSpan(state);
        upserts.push([
          teamId,
          state.clinicId,
          state.programme.code,
          state.catalogueVersion,
          state.room.roomId,
          new Date(span.first).toISOString(),
          new Date(span.last).toISOString(),
          new Date(toMillis(lateJoinCutoff(state))).toISOString(),
          state.capacity,
          seatsTaken(state),
          state.waitlist.length,
          state.offers.length,
          teamStatus(state),
          revision,
          updatedAt,
          state.rules.timeZone,
          ...teamColumns(state, stored.get(teamId)),
        ]);
      }
      const set = upsertClause(['team_id'], COLUMNS, UPDATED);
      await insertRows(manager, 'team_summaries', COLUMNS, upserts, `${set}, ${keepPlan('team_summaries')}`);
    },
  };
}
