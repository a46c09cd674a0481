import { Inject, Injectable } from '@nestjs/common';
import { clinicianStreamId } from '#app/domain';
import { DataSource } from 'typeorm';
import type { EventStore } from '#app/event-store';
import type { Actor } from '../../platform/auth/actor.js';
import { ApiError } from '../../platform/http/api-error.js';
import { EVENT_STORE } from '../../platform/persistence/tokens.js';
import { CourseReadPolicy } from '../../platform/privacy/course-read-policy.js';

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
    @Inject(CourseReadPolicy) private readonly policy: CourseReadPolicy,
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
    const first = await this.events.readStream(clinicianStreamId(clinicianId), { maxCount: 1 });
    if ((first[0]?.metadata as { clinicId?: string } | undefined)?.clinicId !== actor.clinicId)
      throw ApiError.notFound('clinician', clinicianId);
  }

  /** the course read rule (CourseReadPolicy): 404 unless the course is in the caller's clinic, 403 unless they may read it */
  async requireCourseView(actor: Actor, courseId: string): Promise<void> {
    await this.policy.require(actor, courseId);
  }

  /** which course ids the caller sees in lists: CourseReadPolicy.visibleCourses (all for secretaries, administrators, auditors) */
  visibleCourses(actor: Actor): Promise<ReadonlySet<string> | undefined> {
    return this.policy.visibleCourses(actor);
  }
}
