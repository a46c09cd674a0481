import type { EntityManager } from 'typeorm';
import { evolveTeam, initialTeamState, lateJoinCutoff, seatsTaken, toMillis, type TeamEvent, type TeamState } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { streamCategory, streamEntityId, type Projection } from '#app/projections';
import { sessionSpan, TEAM_EVENT_TYPES, teamStatus } from './team-view.js';

interface Pending {
  state: TeamState;
  revision: number;
  updatedAt: Date;
}

/**
 * Read model `team_summaries` (migration 1763800003000), one row per team, keyed by the uuid of stream
 * `team-<uuid>`. Also read by the rebooking code, so the documented columns are a contract. The row
 * keeps the team's replayed state in `state` (jsonb) so each event is applied with the pure evolve.
 */
export function teamSummariesProjection(): Projection {
  return {
    name: 'team-summaries.v1',
    tables: ['team_summaries'],
    async apply(events: readonly RecordedEvent[], manager: EntityManager) {
      const pending = new Map<string, Pending>();
      for (const event of events) {
        if (streamCategory(event.streamId) !== 'team' || !TEAM_EVENT_TYPES.has(event.type)) continue;
        const teamId = streamEntityId(event.streamId);
        let entry = pending.get(teamId);
        if (!entry) {
          const rows: { state: TeamState | string }[] = await manager.query(`SELECT state FROM team_summaries WHERE team_id = $1`, [teamId]);
          const stored = rows[0]?.state;
          entry = { state: stored === undefined ? initialTeamState : typeof stored === 'string' ? (JSON.parse(stored) as TeamState) : stored, revision: -1, updatedAt: event.createdAt };
          pending.set(teamId, entry);
        }
        entry.state = evolveTeam(entry.state, { type: event.type, data: event.data } as TeamEvent);
        entry.revision = event.revision;
        entry.updatedAt = event.createdAt;
      }
      for (const [teamId, { state, revision, updatedAt }] of pending) {
        if (state.status !== 'planned') continue;
        const span = sessionSpan(state);
        await manager.query(
          `INSERT INTO team_summaries (team_id, clinic_id, programme_code, catalogue_version, room_id, first_session_at, last_session_at,
             late_join_cutoff, capacity, seats_taken, waitlist_count, offers_outstanding, status, stream_revision, updated_at, time_zone, state)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::jsonb)
           ON CONFLICT (team_id) DO UPDATE SET clinic_id = EXCLUDED.clinic_id, programme_code = EXCLUDED.programme_code,
             catalogue_version = EXCLUDED.catalogue_version, room_id = EXCLUDED.room_id, first_session_at = EXCLUDED.first_session_at,
             last_session_at = EXCLUDED.last_session_at, late_join_cutoff = EXCLUDED.late_join_cutoff, capacity = EXCLUDED.capacity,
             seats_taken = EXCLUDED.seats_taken, waitlist_count = EXCLUDED.waitlist_count, offers_outstanding = EXCLUDED.offers_outstanding,
             status = EXCLUDED.status, stream_revision = EXCLUDED.stream_revision, updated_at = EXCLUDED.updated_at,
             time_zone = EXCLUDED.time_zone, state = EXCLUDED.state`,
          [
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
            JSON.stringify(state),
          ],
        );
      }
    },
  };
}
