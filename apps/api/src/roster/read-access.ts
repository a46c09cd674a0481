import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventStore } from '#app/event-store';
import type { Actor } from '../auth/actor.js';
import { ApiError } from '../http/api-error.js';
import { EVENT_STORE } from '../persistence/tokens.js';

/**
 * Object-level access on the read side. A clinician sees their own roster and calendar, and the patients
 * (courses) of the microteams they are in; secretaries (who coordinate and book) and administrators see
 * everyone's. Everything is scoped to the caller's clinic: another clinic's objects are plain 404s.
 */
@Injectable()
export class ReadAccess {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  /** secretaries and administrators see every clinician's roster and calendar and every course */
  static seesEveryone(actor: Actor): boolean {
    return actor.roles.some((role) => role === 'secretary' || role === 'admin');
  }

  /** 403 unless it is the caller's own (or the caller may see everyone's); then 404 for an unknown clinician */
  async requireClinicianView(actor: Actor, clinicianId: string, what: 'roster' | 'calendar'): Promise<void> {
    if (actor.staffId === clinicianId) return;
    if (!ReadAccess.seesEveryone(actor)) {
      throw new ApiError(
        403,
        'FORBIDDEN',
        `You can see only your own ${what}; another clinician's ${what} can be seen by a secretary or an administrator.`,
        { clinicianId },
      );
    }
    const first = await this.events.readStream(`clinician-${clinicianId}`, { maxCount: 1 });
    if ((first[0]?.metadata as { clinicId?: string } | undefined)?.clinicId !== actor.clinicId) throw ApiError.notFound('clinician', clinicianId);
  }

  /** 404 unless the course is in the caller's clinic; 403 unless the caller is in its microteam (or sees everyone) */
  async requireCourseView(actor: Actor, courseId: string): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM roster_members WHERE course_id = $1 AND clinician_id = $3) AS member
       FROM roster_courses WHERE course_id = $1 AND clinic_id = $2`,
      [courseId, actor.clinicId, actor.staffId],
    )) as Array<{ member: boolean }>;
    if (rows.length === 0) throw ApiError.notFound('course', courseId);
    if (!rows[0]!.member && !ReadAccess.seesEveryone(actor)) {
      throw new ApiError(
        403,
        'FORBIDDEN',
        "You can see only the courses of patients whose microteam you are in; a secretary or an administrator can see this course's calendar.",
        { courseId },
      );
    }
  }

  /**
   * Which course ids the caller may see: all (undefined) for those who see everyone, else the courses
   * whose microteam the caller is in.
   */
  async visibleCourses(actor: Actor): Promise<ReadonlySet<string> | undefined> {
    if (ReadAccess.seesEveryone(actor)) return undefined;
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT m.course_id FROM roster_members m JOIN roster_courses c ON c.course_id = m.course_id
       WHERE m.clinician_id = $1 AND c.clinic_id = $2`,
      [actor.staffId, actor.clinicId],
    )) as Array<{ course_id: string }>;
    return new Set(rows.map((r) => r.course_id));
  }
}
