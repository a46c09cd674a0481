import type { EntityManager } from 'typeorm';
import type { CourseEvent } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { streamEntityId, unseenEvents, type Projection } from '#app/projections';
import { clinicOf, isCourseEvent } from '../roster/course-stream.js';

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
    async apply(events: readonly RecordedEvent[], manager: EntityManager) {
      for (const e of await unseenEvents(manager, 'waiting_time_sources', events.filter(isCourseEvent))) {
        await applyCourseEvent(manager, streamEntityId(e.streamId), e);
      }
    },
  };
}

async function applyCourseEvent(manager: EntityManager, courseId: string, e: RecordedEvent): Promise<void> {
  const event = { type: e.type, data: e.data } as CourseEvent;
  switch (event.type) {
    case 'ReferralReceived':
      await manager.query(
        `INSERT INTO waiting_time_courses (course_id, clinic_id, received_at) VALUES ($1, $2, $3) ON CONFLICT (course_id) DO NOTHING`,
        [courseId, clinicOf(e), event.data.receivedAt],
      );
      return;
    case 'VisitationDecided': {
      const d = event.data;
      await manager.query(
        `UPDATE waiting_time_courses SET visitation_decided_at = $2, visitation_decision = $3, visitation_within_deadline = $4 WHERE course_id = $1`,
        [courseId, d.decidedAt, d.decision, d.withinDeadline],
      );
      return;
    }
    case 'StepScheduled': {
      const d = event.data;
      await manager.query(
        `INSERT INTO waiting_time_steps (course_id, step_code, booked_at, at, completed_at) VALUES ($1, $2, $3, $4, NULL)
         ON CONFLICT (course_id, step_code) DO UPDATE SET booked_at = EXCLUDED.booked_at, at = EXCLUDED.at, completed_at = NULL`,
        [courseId, d.stepCode, d.bookedAt, d.at],
      );
      return;
    }
    case 'StepCompleted': {
      const d = event.data;
      await manager.query(
        `INSERT INTO waiting_time_steps (course_id, step_code, booked_at, at, completed_at) VALUES ($1, $2, NULL, NULL, $3)
         ON CONFLICT (course_id, step_code) DO UPDATE SET completed_at = EXCLUDED.completed_at`,
        [courseId, d.stepCode, d.completedAt],
      );
      return;
    }
    case 'StepUnscheduled':
    case 'StepSkipped':
      await manager.query(`DELETE FROM waiting_time_steps WHERE course_id = $1 AND step_code = $2`, [courseId, event.data.stepCode]);
      return;
    case 'CourseEnded':
      await manager.query(`UPDATE waiting_time_courses SET ended_at = $2, end_reason = $3 WHERE course_id = $1`, [courseId, event.data.endedAt, event.data.reason]);
      return;
    default:
      return;
  }
}
