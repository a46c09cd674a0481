import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#app/event-store';
import { unseenEvents, type Projection } from '#app/projections';
import { evolveCourses, isCourseEvent } from './course-stream.js';

export const ROSTER_PROJECTION = 'roster.v1';

/**
 * Read model of the microteam rosters (migration 1763800006000): `roster_courses` keeps each course's
 * replayed state and the deadlines readers filter on; `roster_members` who is in its microteam, in which
 * role. Nothing time-dependent is stored: open items (overdue visitation, closing windows, waiting for a
 * seat) are worked out from the state when the roster is read (roster.service.ts).
 */
export function rosterProjection(): Projection {
  return {
    name: ROSTER_PROJECTION,
    tables: ['roster_courses', 'roster_members', 'roster_sources'],
    async apply(events: readonly RecordedEvent[], manager: EntityManager) {
      const fresh = await unseenEvents(manager, 'roster_sources', events.filter(isCourseEvent));
      for (const course of await evolveCourses(manager, 'roster_courses', fresh)) {
        const { state } = course;
        if (!state.referral || !state.pathway || !state.patientId) continue;
        await manager.query(
          `INSERT INTO roster_courses (course_id, clinic_id, patient_id, pathway_code, pathway_version, status, referral_received_at,
             visitation_due_by, visitation_decided_at, ended_at, state, stream_revision, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13)
           ON CONFLICT (course_id) DO UPDATE SET status = EXCLUDED.status, visitation_decided_at = EXCLUDED.visitation_decided_at,
             ended_at = EXCLUDED.ended_at, state = EXCLUDED.state, stream_revision = EXCLUDED.stream_revision, updated_at = EXCLUDED.updated_at`,
          [
            course.courseId,
            course.clinicId,
            state.patientId,
            state.pathway.code,
            state.pathway.version,
            state.status,
            state.referral.receivedAt,
            state.referral.visitationDueBy,
            state.visitation?.decidedAt ?? null,
            state.ended?.endedAt ?? null,
            JSON.stringify(state),
            course.revision,
            course.updatedAt,
          ],
        );
        await manager.query(`DELETE FROM roster_members WHERE course_id = $1`, [course.courseId]);
        if (state.microteam.length > 0) {
          await manager.query(
            `INSERT INTO roster_members (course_id, clinician_id, role, since)
             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::timestamptz[]) ON CONFLICT DO NOTHING`,
            [course.courseId, state.microteam.map((m) => m.clinicianId), state.microteam.map((m) => m.role), state.microteam.map((m) => m.since)],
          );
        }
      }
    },
  };
}
