import type { EntityManager } from 'typeorm';
import type { CourseEvent } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { insertRows, streamEntityId, unseenEvents, upsertClause, type Projection } from '#app/projections';
import { clinicOf, isCourseEvent } from '../../platform/projections/course-stream.js';

export const WAITING_TIMES_PROJECTION = 'waiting-times.v1';

/**
 * Read model of the waiting times (migration 1763800006000): per course the receipt of the referral and
 * the visitation (`waiting_time_courses`), and every step booked or held with its times
 * (`waiting_time_steps`), following the course state exactly as the domain's `waitingTimes` reads it: a
 * booking sets `at`, a completion `completed_at` (keeping `at`), unbooking or skipping removes the step.
 * The report aggregates per month when it is read (waiting-times.service.ts); a course still waiting is
 * measured up to that moment.
 */
export function waitingTimesProjection(): Projection {
  return {
    name: WAITING_TIMES_PROJECTION,
    tables: ['waiting_time_courses', 'waiting_time_steps', 'waiting_time_sources'],
    categories: ['course'],
    async apply(events: readonly RecordedEvent[], manager: EntityManager) {
      const fresh = await unseenEvents(manager, 'waiting_time_sources', events.filter(isCourseEvent));
      if (fresh.length === 0) return;
      const batch = await WaitingTimesBatch.load(manager, [...new Set(fresh.map((e) => streamEntityId(e.streamId)))]);
      for (const e of fresh) batch.apply(streamEntityId(e.streamId), e);
      await batch.write(manager);
    },
  };
}

const COURSE_COLUMNS = {
  course_id: 'text',
  clinic_id: 'text',
  received_at: 'timestamptz',
  visitation_decided_at: 'timestamptz',
  visitation_decision: 'text',
  visitation_within_deadline: 'boolean',
  ended_at: 'timestamptz',
  end_reason: 'text',
} as const;
const STEP_COLUMNS = {
  course_id: 'text',
  step_code: 'text',
  booked_at: 'timestamptz',
  at: 'timestamptz',
  completed_at: 'timestamptz',
} as const;

type Time = Date | string | null;

interface CourseRow {
  clinic_id: string;
  received_at: Time;
  visitation_decided_at: Time;
  visitation_decision: string | null;
  visitation_within_deadline: boolean | null;
  ended_at: Time;
  end_reason: string | null;
}

interface StepRow {
  booked_at: Time;
  at: Time;
  completed_at: Time;
}

/**
 * The batch's courses and their steps, loaded once, changed in memory event by event exactly as the
 * statements of one event each would have changed them, and written back with one statement per table.
 */
class WaitingTimesBatch {
  private readonly dirty = new Set<string>();

  private constructor(
    private readonly courseIds: readonly string[],
    private readonly courses: Map<string, CourseRow>,
    private readonly steps: Map<string, Map<string, StepRow>>,
  ) {}

  static async load(manager: EntityManager, courseIds: readonly string[]): Promise<WaitingTimesBatch> {
    const courseRows = await manager.query<Array<CourseRow & { course_id: string }>>(
      `SELECT * FROM waiting_time_courses WHERE course_id = ANY($1)`,
      [courseIds],
    );
    const stepRows = await manager.query<Array<StepRow & { course_id: string; step_code: string }>>(
      `SELECT * FROM waiting_time_steps WHERE course_id = ANY($1)`,
      [courseIds],
    );
    const steps = new Map<string, Map<string, StepRow>>(courseIds.map((id) => [id, new Map()]));
    for (const r of stepRows) steps.get(r.course_id)?.set(r.step_code, { booked_at: r.booked_at, at: r.at, completed_at: r.completed_at });
    return new WaitingTimesBatch(courseIds, new Map(courseRows.map((r) => [r.course_id, r])), steps);
  }

  /** the step rows of a course of this batch (every course the batch was opened for has a map, empty at first) */
  private stepsOf(courseId: string): Map<string, StepRow> {
    const steps = this.steps.get(courseId);
    if (!steps) throw new Error(`course ${courseId} is not in this waiting-times batch`);
    return steps;
  }

  apply(courseId: string, e: RecordedEvent): void {
    const event = { type: e.type, data: e.data } as CourseEvent;
    const course = this.courses.get(courseId);
    const steps = this.stepsOf(courseId);
    switch (event.type) {
      case 'ReferralReceived':
        if (course) return; // the first receipt stays
        this.courses.set(courseId, {
          clinic_id: clinicOf(e),
          received_at: event.data.receivedAt,
          visitation_decided_at: null,
          visitation_decision: null,
          visitation_within_deadline: null,
          ended_at: null,
          end_reason: null,
        });
        break;
      case 'VisitationDecided':
        if (!course) return;
        course.visitation_decided_at = event.data.decidedAt;
        course.visitation_decision = event.data.decision;
        course.visitation_within_deadline = event.data.withinDeadline;
        break;
      case 'StepScheduled':
        steps.set(event.data.stepCode, { booked_at: event.data.bookedAt, at: event.data.at, completed_at: null });
        break;
      case 'StepCompleted': {
        const step = steps.get(event.data.stepCode);
        if (step) step.completed_at = event.data.completedAt;
        else steps.set(event.data.stepCode, { booked_at: null, at: null, completed_at: event.data.completedAt });
        break;
      }
      case 'StepUnscheduled':
      case 'StepSkipped':
        steps.delete(event.data.stepCode);
        break;
      case 'CourseEnded':
        if (!course) return;
        course.ended_at = event.data.endedAt;
        course.end_reason = event.data.reason;
        break;
      default:
        return;
    }
    this.dirty.add(courseId);
  }

  async write(manager: EntityManager): Promise<void> {
    const ids = this.courseIds.filter((id) => this.dirty.has(id));
    if (ids.length === 0) return;
    const courses = ids.flatMap((id) => {
      const c = this.courses.get(id);
      return c
        ? [
            [
              id,
              c.clinic_id,
              c.received_at,
              c.visitation_decided_at,
              c.visitation_decision,
              c.visitation_within_deadline,
              c.ended_at,
              c.end_reason,
            ],
          ]
        : [];
    });
    await insertRows(manager, 'waiting_time_courses', COURSE_COLUMNS, courses, upsertClause(['course_id'], COURSE_COLUMNS));
    await manager.query(`DELETE FROM waiting_time_steps WHERE course_id = ANY($1)`, [ids]);
    const steps = ids.flatMap((id) => [...this.stepsOf(id)].map(([code, s]) => [id, code, s.booked_at, s.at, s.completed_at]));
    await insertRows(manager, 'waiting_time_steps', STEP_COLUMNS, steps);
  }
}
