import type { EntityManager } from 'typeorm';
import { evolveTeam, freeSeats, initialTeamState, seatsTaken, type TeamEvent, type TeamState } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { streamCategory, streamEntityId, unseenEvents, type Projection } from '#app/projections';
import { fromJson } from '../roster/course-stream.js';
import { sessionSpan, TEAM_EVENT_TYPES, teamStatus } from '../teams/team-view.js';

export const TEAM_BOARD_PROJECTION = 'team-board.v1';

interface Pending {
  state: TeamState;
  revision: number;
  updatedAt: Date;
}

/**
 * Read model of the team boards (migration 1763800006000): one `team_boards` row per team with its
 * replayed state (seats, waitlist in fair order, offers, therapists, sessions and attendance) and the
 * counts a list filters on. Separate from `team_summaries` (GET /teams): the board is the planning view
 * of one team; whatever depends on the clock (offers past their hold, the staff rule at the sessions
 * still to come, the late-join cut-off) is judged when it is read (team-board.service.ts). Also the
 * supply side of the capacity outlook.
 */
export function teamBoardProjection(): Projection {
  return {
    name: TEAM_BOARD_PROJECTION,
    tables: ['team_boards', 'team_board_sources'],
    async apply(events: readonly RecordedEvent[], manager: EntityManager) {
      const teamEvents = events.filter((e) => streamCategory(e.streamId) === 'team' && TEAM_EVENT_TYPES.has(e.type));
      const pending = new Map<string, Pending>();
      for (const e of await unseenEvents(manager, 'team_board_sources', teamEvents)) {
        const teamId = streamEntityId(e.streamId);
        let entry = pending.get(teamId);
        if (!entry) {
          const rows = (await manager.query(`SELECT state FROM team_boards WHERE team_id = $1`, [teamId])) as Array<{ state: unknown }>;
          entry = { state: rows[0] ? fromJson<TeamState>(rows[0].state) : initialTeamState, revision: e.revision, updatedAt: e.createdAt };
          pending.set(teamId, entry);
        }
        entry.state = evolveTeam(entry.state, { type: e.type, data: e.data } as TeamEvent);
        entry.revision = e.revision;
        entry.updatedAt = e.createdAt;
      }
      for (const [teamId, { state, revision, updatedAt }] of pending) {
        if (state.status !== 'planned') continue;
        const span = sessionSpan(state);
        await manager.query(
          `INSERT INTO team_boards (team_id, clinic_id, programme_code, status, capacity, seats_taken, seats_free, waitlist_count,
             offers_outstanding, first_session_at, last_session_at, time_zone, state, stream_revision, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15)
           ON CONFLICT (team_id) DO UPDATE SET status = EXCLUDED.status, capacity = EXCLUDED.capacity, seats_taken = EXCLUDED.seats_taken,
             seats_free = EXCLUDED.seats_free, waitlist_count = EXCLUDED.waitlist_count, offers_outstanding = EXCLUDED.offers_outstanding,
             first_session_at = EXCLUDED.first_session_at, last_session_at = EXCLUDED.last_session_at, state = EXCLUDED.state,
             stream_revision = EXCLUDED.stream_revision, updated_at = EXCLUDED.updated_at`,
          [
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
            JSON.stringify(state),
            revision,
            updatedAt,
          ],
        );
      }
    },
  };
}
