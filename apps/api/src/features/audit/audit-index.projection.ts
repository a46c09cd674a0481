import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#app/event-store';
import type { Projection } from '#app/projections';

export const AUDIT_INDEX_PROJECTION = 'audit-index.v1';

/**
 * Two small lookup tables for the audit routes, kept by one durable subscription (effects and checkpoint
 * in one transaction; rebuildable: no sequences, no foreign keys, idempotent inserts):
 *
 * - `audit_course_team_events (course_id, stream_id, revision, …)`: every team-stream event that names a
 *   course (`data.courseId`, or an attendance entry's `courseId`). The course history reads exactly these
 *   events instead of scanning team streams.
 *   Why an index rather than the course's own seat records (CourseSeatBooked… name the teams): the team
 *   stream is the source of truth for seats, and some team events about a course never reach the course
 *   stream — a reservation the course refused and the team compensated, an offer that expired while the
 *   course-side follow-up was pending, attendance. An audit timeline must show those too.
 * - `audit_course_index (course_id, patient_id, clinic_id)`: course → pseudonymous patient, from
 *   ReferralReceived, so the access log can name the patient of every course it records and export all
 *   entries about one patient.
 */
export function auditIndexProjection(): Projection {
  return {
    name: AUDIT_INDEX_PROJECTION,
    tables: ['audit_course_team_events', 'audit_course_index'],
    categories: ['team', 'course'],
    async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
      const rows: Array<[string, string, number, string, string, string]> = [];
      const courses: Array<[string, string, string]> = [];
      for (const event of events) {
        if (event.streamId.startsWith('team-')) {
          for (const courseId of coursesNamedBy(event.data)) {
            rows.push([
              courseId,
              event.streamId,
              event.revision,
              event.position.commit.toString(),
              event.position.prepare.toString(),
              event.type,
            ]);
          }
        } else if (event.streamId.startsWith('course-') && event.type === 'ReferralReceived') {
          const d = event.data as { courseId?: unknown; patientId?: unknown };
          const clinicId = (event.metadata as { clinicId?: unknown }).clinicId;
          if (typeof d.patientId === 'string') {
            courses.push([event.streamId.slice('course-'.length), d.patientId, typeof clinicId === 'string' ? clinicId : '']);
          }
        }
      }
      if (rows.length > 0) {
        await manager.query(
          `INSERT INTO audit_course_team_events (course_id, stream_id, revision, commit_position, prepare_position, event_type)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::numeric[], $5::bigint[], $6::text[])
           ON CONFLICT (course_id, stream_id, revision) DO NOTHING`,
          [
            rows.map((r) => r[0]),
            rows.map((r) => r[1]),
            rows.map((r) => r[2]),
            rows.map((r) => r[3]),
            rows.map((r) => r[4]),
            rows.map((r) => r[5]),
          ],
        );
      }
      if (courses.length > 0) {
        await manager.query(
          `INSERT INTO audit_course_index (course_id, patient_id, clinic_id)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
           ON CONFLICT (course_id) DO NOTHING`,
          [courses.map((c) => c[0]), courses.map((c) => c[1]), courses.map((c) => c[2])],
        );
      }
    },
  };
}

/** the course ids a team event is about (`courseId`, attendance `entries[].courseId`), without duplicates */
export function coursesNamedBy(data: unknown): string[] {
  if (!data || typeof data !== 'object') return [];
  const d = data as { courseId?: unknown; entries?: unknown };
  const ids = new Set<string>();
  if (typeof d.courseId === 'string' && d.courseId) ids.add(d.courseId);
  if (Array.isArray(d.entries)) {
    for (const e of d.entries) {
      const id = (e as { courseId?: unknown } | null)?.courseId;
      if (typeof id === 'string' && id) ids.add(id);
    }
  }
  return [...ids];
}
