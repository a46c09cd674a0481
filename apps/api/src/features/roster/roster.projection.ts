import type { EntityManager } from 'typeorm';
import type { CourseState } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { insertRows, upsertClause, type Projection } from '#app/projections';
import { evolveCourses, isCourseEvent } from '../../platform/projections/course-stream.js';

export const ROSTER_PROJECTION = 'roster.v1';

const COURSE_COLUMNS = {
  course_id: 'text',
  clinic_id: 'text',
  patient_id: 'text',
  pathway_code: 'text',
  pathway_version: 'int',
  status: 'text',
  referral_received_at: 'timestamptz',
  visitation_due_by: 'timestamptz',
  visitation_decided_at: 'timestamptz',
  ended_at: 'timestamptz',
  // `json` (text kept as written), not `jsonb`: only ever read whole (migration 1763800090000)
  state: 'json',
  stream_revision: 'bigint',
  updated_at: 'timestamptz',
} as const;
const COURSE_UPDATED = ['status', 'visitation_decided_at', 'ended_at', 'state', 'stream_revision', 'updated_at'];
const MEMBER_COLUMNS = { course_id: 'text', clinician_id: 'text', role: 'text', since: 'timestamptz' } as const;

/**
 * Read model of the microteam rosters (migration 1763800006000): `roster_courses` keeps each course's
 * replayed state and the deadlines readers filter on; `roster_members` who is in its microteam, in which
 * role. Nothing time-dependent is stored: open items (overdue visitation, closing windows, waiting for a
 * seat) are worked out from the state when the roster is read (roster.service.ts).
 */
export function rosterProjection(): Projection {
  return {
    name: ROSTER_PROJECTION,
    tables: ['roster_courses', 'roster_members'],
    categories: ['course'],
    async apply(events: readonly RecordedEvent[], manager: EntityManager) {
      const courses: unknown[][] = [];
      const members: unknown[][] = [];
      const teamChanged: string[] = [];
      for (const course of await evolveCourses(manager, 'roster_courses', events.filter(isCourseEvent), {
        appliedRevision: 'stream_revision',
      })) {
        const { state } = course;
        if (state.status === 'none') continue;
        courses.push([
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
        ]);
        // most batches leave a course's microteam as it was: its rows are only replaced when it changed
        if (course.stored && sameMicroteam(course.stored.microteam, state.microteam)) continue;
        if (course.stored) teamChanged.push(course.courseId);
        for (const m of state.microteam) members.push([course.courseId, m.clinicianId, m.role, m.since]);
      }
      // one statement per table for the whole batch: the courses, then the changed microteams replaced
      await insertRows(manager, 'roster_courses', COURSE_COLUMNS, courses, upsertClause(['course_id'], COURSE_COLUMNS, COURSE_UPDATED));
      if (teamChanged.length > 0) await manager.query(`DELETE FROM roster_members WHERE course_id = ANY($1)`, [teamChanged]);
      await insertRows(manager, 'roster_members', MEMBER_COLUMNS, members, 'ON CONFLICT DO NOTHING');
    },
  };
}

const sameMicroteam = (a: CourseState['microteam'], b: CourseState['microteam']): boolean =>
  a.length === b.length && a.every((m, i) => m.clinicianId === b[i].clinicianId && m.role === b[i].role && m.since === b[i].since);
