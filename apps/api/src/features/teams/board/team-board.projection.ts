import type { EntityManager } from 'typeorm';
import { freeSeats, seatsTaken } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { insertRows, streamCategory, streamEntityId, upsertClause, type Projection } from '#app/projections';
import { keepPlan, loadTeams, statesOf, teamColumns, unappliedEvents } from '../stored-team-state.js';
import { evolveTeams, sessionSpan, TEAM_EVENT_TYPES, teamStatus } from '../team-view.js';

export const TEAM_BOARD_PROJECTION = 'team-board.v1';

const COLUMNS = {
  team_id: 'text',
  clinic_id: 'text',
  programme_code: 'text',
  status: 'text',
  capacity: 'int',
  seats_taken: 'int',
  seats_free: 'int',
  waitlist_count: 'int',
  offers_outstanding: 'int',
  first_session_at: 'timestamptz',
  last_session_at: 'timestamptz',
  time_zone: 'text',
  // `json` (text kept as written), not `jsonb`: only ever read whole (migration 1763800130000)
  state: 'json',
  plan: 'json',
  stream_revision: 'bigint',
  updated_at: 'timestamptz',
} as const;
const UPDATED = [
  'status',
  'capacity',
  'seats_taken',
  'seats_free',
  'waitlist_count',
  'offers_outstanding',
  'first_session_at',
  'last_session_at',
  'state',
  'stream_revision',
  'updated_at',
];

/**
 * Read model of the team boards (migration 1763800006000): one `team_boards` row per team with its
 * replayed state (seats, waitlist in fair order, offers, therapists, sessions and attendance; in `state` and
 * `plan`, see stored-team-state.ts) and the counts a list filters on. Separate from `team_summaries` (GET /teams): the board is the planning view
 * of one team; whatever depends on the clock (offers past their hold, the staff rule at the sessions
 * still to come, the late-join cut-off) is judged when it is read (team-board.service.ts). Also the
 * supply side of the capacity outlook.
 */
export function teamBoardProjection(): Projection {
  return {
    name: TEAM_BOARD_PROJECTION,
    tables: ['team_boards'],
    categories: ['team'],
    async apply(events: readonly RecordedEvent[], manager: EntityManager) {
      const teamEvents = events.filter((e) => streamCategory(e.streamId) === 'team' && TEAM_EVENT_TYPES.has(e.type));
      if (teamEvents.length === 0) return;
      const ids = [...new Set(teamEvents.map((e) => streamEntityId(e.streamId)))];
      // the stored states of every team in the batch, in one query
      const stored = await loadTeams(manager, 'team_boards', ids);
      const pending = evolveTeams(unappliedEvents(teamEvents, stored), statesOf(stored));
      const upserts: unknown[][] = [];
      for (const [teamId, { state, revision, updatedAt }] of pending) {
        if (state.status !== 'planned') continue;
        const span = sessionSpan(state);
        upserts.push([
          teamId,
          state.clinicId,
          state.programme.code,
          teamStatus(state),
          state.capacity,
          seatsTaken(state),
          freeSeats(state),
          state.waitlist.length,
          state.offers.length,
          new Date(span.first),
          new Date(span.last),
          state.rules.timeZone,
          ...teamColumns(state, stored.get(teamId)),
          revision,
          updatedAt,
        ]);
      }
      // clinic_id, programme_code and time_zone stay as first written (as before)
      const set = upsertClause(['team_id'], COLUMNS, UPDATED);
      await insertRows(manager, 'team_boards', COLUMNS, upserts, `${set}, ${keepPlan('team_boards')}`);
    },
  };
}
