import type { EntityManager } from 'typeorm';
import { courseDecider, type CourseEvent, type CourseState } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { streamCategory, streamEntityId } from '#app/projections';

/** Helpers the read-side projections share for `course-<id>` streams. */

/** every event type a course stream holds; anything else (a newer event type) is left alone */
export const COURSE_EVENT_TYPES: ReadonlySet<string> = new Set<CourseEvent['type']>([
  'ReferralReceived',
  'ReferralPutOnHold',
  'ReferralSupplemented',
  'ReferralHoldReleased',
  'VisitationDecided',
  'PatientFactRecorded',
  'AddOnAdded',
  'StepScheduled',
  'StepUnscheduled',
  'StepCompleted',
  'StepSkipped',
  'OptionChosen',
  'MicroteamMemberAssigned',
  'MicroteamMemberRemoved',
  'CoordinationHandedOver',
  'CourseSeatBooked',
  'CourseSeatReleased',
  'CourseWaitlistJoined',
  'CourseWaitlistLeft',
  'CourseEnded',
]);

export const isCourseEvent = (e: RecordedEvent): boolean => streamCategory(e.streamId) === 'course' && COURSE_EVENT_TYPES.has(e.type);

/** the clinic an event was written in (every event's metadata carries it) */
export const clinicOf = (e: RecordedEvent): string => {
  const clinicId = (e.metadata as { clinicId?: unknown }).clinicId;
  return typeof clinicId === 'string' ? clinicId : '';
};

/** jsonb comes back parsed from a PostgreSQL server, as text through some drivers */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the column stores (a read model's own jsonb); the alternative is the same cast at each of the 11 call sites
export const fromJson = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

export interface EvolvedCourse {
  readonly courseId: string;
  clinicId: string;
  state: CourseState;
  /** the state as the table had it before this batch (undefined: the course was not stored) */
  readonly stored: CourseState | undefined;
  revision: number;
  updatedAt: Date;
}

/**
 * Replays `events` (course events, in log order) onto the states stored in `table` (columns course_id,
 * clinic_id, state), loaded once per batch; returns every course touched, in first-touched order.
 * With `appliedRevision` (a column of `table` holding the stream revision its state is at), the load is also
 * the projection's guard: events at or below the stored revision were applied already and are skipped, so a
 * redelivered batch changes nothing without a `*_sources` table (stream-guard.ts) read and written per batch.
 */
export async function evolveCourses(
  manager: EntityManager,
  table: string,
  events: readonly RecordedEvent[],
  options: { appliedRevision?: string } = {},
): Promise<EvolvedCourse[]> {
  const ids = [...new Set(events.map((e) => streamEntityId(e.streamId)))];
  if (ids.length === 0) return [];
  const revision = options.appliedRevision ? `, ${options.appliedRevision}::int AS applied` : '';
  const rows = await manager.query<
    Array<{
      course_id: string;
      clinic_id: string;
      state: unknown;
      applied?: number;
    }>
  >(`SELECT course_id, clinic_id, state${revision} FROM ${table} WHERE course_id = ANY($1)`, [ids]);
  const stored = new Map(rows.map((r) => [r.course_id, r]));
  const touched = new Map<string, EvolvedCourse>();
  for (const e of events) {
    const courseId = streamEntityId(e.streamId);
    const row = stored.get(courseId);
    if (row?.applied != null && e.revision <= row.applied) continue;
    let entry = touched.get(courseId);
    if (!entry) {
      const before = row ? fromJson<CourseState>(row.state) : undefined;
      entry = {
        courseId,
        clinicId: row?.clinic_id ?? clinicOf(e),
        state: before ?? courseDecider.initialState(),
        stored: before,
        revision: e.revision,
        updatedAt: e.createdAt,
      };
      touched.set(courseId, entry);
    }
    entry.state = courseDecider.evolve(entry.state, { type: e.type, data: e.data } as CourseEvent);
    entry.revision = e.revision;
    entry.updatedAt = e.createdAt;
  }
  return [...touched.values()];
}
