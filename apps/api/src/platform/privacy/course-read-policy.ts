import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
  applyDecorators,
} from '@nestjs/common';
import { concatMap, from, throwError, type Observable } from 'rxjs';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import {
  courseDecider,
  courseStreamId,
  replay,
  type CourseEvent,
  type CourseState,
  appointmentsOfCourse,
  scheduleDecider,
  scheduleStreamId,
  type ScheduleEvent,
  clinicianStreamId,
} from '#app/domain';
import type { EventStore, RecordedEvent } from '#app/event-store';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { ApiError } from '../http/api-error.js';
import { EVENT_STORE } from '../persistence/tokens.js';
import { isUuid } from '../write-path/new-stream-id.js';

/**
 * Why a caller may read a course (recorded nowhere; the access log records every read of these routes anyway):
 * - `clinic-staff`: secretaries and administrators of the course's clinic (they coordinate and book);
 * - `auditor`: auditors of the clinic, every read in the access log;
 * - `microteam`: a clinician in the course's microteam now;
 * - `visitation-queue`: before the visitation is decided (referral on hold or awaiting visitation) and before the
 *   course has a microteam, a clinician of the clinic registered with a profession the clinic's catalogue names
 *   for paper visitation (intervention PAPER_VISITATION: DOCTOR in the default catalogue);
 * - `visitation`: until the course has a microteam, the clinician who decided its visitation;
 * - `appointment`: until the course has a microteam, a clinician booked on one of its individual appointments
 *   (Kort primærsamtale is held before the microteam is formed at Lang primærsamtale).
 * "Until the course has a microteam" means until the first member is ever assigned: from then on only the
 * microteam (and the clinic's secretaries, administrators and auditors) read it. A team's therapists see the
 * team's participants as the board shows them (course ids, attendance), not their courses.
 */
export type CourseReadGround = 'clinic-staff' | 'auditor' | 'microteam' | 'visitation-queue' | 'visitation' | 'appointment';

/** the intervention whose professions do paper visitation (care-model §2) */
export const VISITATION_INTERVENTION = 'PAPER_VISITATION';

/** roles that read every course of their clinic (the board and team views show them every participant) */
export function readsEveryCourse(actor: Actor): boolean {
  return actor.roles.some((role) => role === 'secretary' || role === 'admin' || role === 'auditor');
}

export const COURSE_NOT_VISIBLE_MESSAGE =
  "You can read a patient's course while you are in its microteam, or before there is one while you do its visitation; a secretary can look it up for you.";

/**
 * Who may read a course: the ONE rule, used by every route that shows a course (GET /courses/{id} with or
 * without ?asOf=, /history, /diff, /appointments, /appointments/{id}, /access-log, GET /calendars/courses/{id})
 * through @CourseRead, and by the services behind them. An unknown course or one of another clinic is a 404
 * (`NOT_FOUND`, as if it did not exist); a course of the caller's clinic they may not read is a 403
 * (`FORBIDDEN`, logged as `denied` in the access log). Decided from the course's event stream, not a read model,
 * so a clinician added to the microteam reads the course at once.
 */
@Injectable()
export class CourseReadPolicy {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  /**
   * Which course ids the caller sees in lists (boards, calendars of rooms and teams): every one (undefined) for
   * secretaries, administrators and auditors; else the courses whose microteam the caller is in (roster read model).
   */
  async visibleCourses(actor: Actor): Promise<ReadonlySet<string> | undefined> {
    if (readsEveryCourse(actor)) return undefined;
    const rows = await this.dataSource.query<Array<{ course_id: string }>>(
      `SELECT DISTINCT m.course_id FROM roster_members m JOIN roster_courses c ON c.course_id = m.course_id
       WHERE m.clinician_id = $1 AND c.clinic_id = $2`,
      [actor.staffId, actor.clinicId],
    );
    return new Set(rows.map((r) => r.course_id));
  }

  /**
   * The board's rule for a team's participants (GET /teams/{id}/board, GET /teams/{id}, GET /teams/{id}/offers):
   * secretaries, administrators, auditors and the team's own therapists see every seated and waiting course id;
   * any other clinician only those of their own microteam patients (the others are shown as null).
   */
  async participantFilter(actor: Actor, therapistIds: readonly string[]): Promise<(courseId: string) => boolean> {
    if (therapistIds.includes(actor.staffId)) return () => true;
    const visible = await this.visibleCourses(actor);
    return (courseId) => visible === undefined || visible.has(courseId);
  }

  /** The ground on which `actor` reads the course, or the refusal (404 / 403). `loaded` saves a second read of the stream. */
  async require(actor: Actor, courseId: string, loaded?: readonly RecordedEvent[]): Promise<CourseReadGround> {
    if (!isUuid(courseId)) throw ApiError.notFound('course', courseId);
    const events = loaded ?? (await this.events.readStream(courseStreamId(courseId)));
    const clinicId = (events[0]?.metadata as { clinicId?: string } | undefined)?.clinicId;
    if (events.length === 0 || clinicId !== actor.clinicId) throw ApiError.notFound('course', courseId);
    const ground = await this.groundOf(actor, events);
    if (!ground) throw new ApiError(403, 'FORBIDDEN', COURSE_NOT_VISIBLE_MESSAGE, { courseId });
    return ground;
  }

  private async groundOf(actor: Actor, events: readonly RecordedEvent[]): Promise<CourseReadGround | undefined> {
    if (actor.roles.includes('admin') || actor.roles.includes('secretary')) return 'clinic-staff';
    if (actor.roles.includes('auditor')) return 'auditor';
    if (!actor.roles.includes('clinician')) return undefined;
    const state: CourseState = replay(
      courseDecider,
      events.map((e) => ({ type: e.type, data: e.data }) as CourseEvent),
    );
    if (state.microteam.some((m) => m.clinicianId === actor.staffId)) return 'microteam';
    if (events.some((e) => e.type === 'MicroteamMemberAssigned')) return undefined;
    const decision = events.find((e) => e.type === 'VisitationDecided');
    if (decision && (decision.metadata as { actor?: { staffId?: string } } | undefined)?.actor?.staffId === actor.staffId)
      return 'visitation';
    if ((state.status === 'on_hold' || state.status === 'awaiting_visitation') && (await this.doesVisitation(actor)))
      return 'visitation-queue';
    if (state.patientId && (await this.bookedOnAppointment(actor, state.patientId, state.courseId))) return 'appointment';
    return undefined;
  }

  /** registered in the caller's clinic with a profession the catalogue names for paper visitation */
  private async doesVisitation(actor: Actor): Promise<boolean> {
    const catalogue = await this.catalogues.current(actor.clinicId).catch(() => undefined);
    const professions = catalogue?.interventions.find((i) => i.code === VISITATION_INTERVENTION)?.who.professions ?? [];
    if (professions.length === 0) return false;
    const clinician = await this.events.readStream(clinicianStreamId(actor.staffId), { maxCount: 50 });
    if ((clinician[0]?.metadata as { clinicId?: string } | undefined)?.clinicId !== actor.clinicId) return false;
    const registered = clinician.find((e) => e.type === 'ClinicianRegistered')?.data as { professions?: string[] } | undefined;
    return (registered?.professions ?? []).some((p) => professions.includes(p));
  }

  private async bookedOnAppointment(actor: Actor, patientId: string, courseId: string): Promise<boolean> {
    const schedule = await this.events.readStream(scheduleStreamId({ kind: 'patient', id: patientId }));
    const state = replay(
      scheduleDecider,
      schedule.map((e) => ({ type: e.type, data: e.data }) as ScheduleEvent),
    );
    return appointmentsOfCourse(state, courseId).some((a) => a.status !== 'cancelled' && a.clinicianIds.includes(actor.staffId));
  }
}

const COURSE_READ_KEY = 'privacy:course-read';
/** the OpenAPI extension on every route guarded by the course read rule (the route tests read it) */
export const COURSE_READ_EXTENSION = 'x-course-read';

/**
 * Route interceptor: the course in route parameter `param` must be readable by the caller (CourseReadPolicy),
 * checked before the handler. An interceptor rather than a guard so that it runs inside the access-log
 * interceptor: its refusals (403, 404) are logged like every other answer of a patient route. An id that is not
 * a uuid names no course; it is left to the route (its validation answers 400, then the route 404).
 */
@Injectable()
export class CourseReadInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(CourseReadPolicy) private readonly policy: CourseReadPolicy,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const param = this.reflector.get<string>(COURSE_READ_KEY, context.getHandler());
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const params: Partial<Record<string, string | string[]>> = request.params;
    const courseId = String(params[param] ?? '');
    if (!request.actor)
      return throwError(
        () => new ApiError(401, 'UNAUTHENTICATED', 'Please sign in: send an access token as "Authorization: Bearer <token>".'),
      );
    if (!isUuid(courseId)) return next.handle();
    return from(this.policy.require(request.actor, courseId)).pipe(concatMap(() => next.handle()));
  }
}

/** The route shows (part of) the course named by route parameter `param`: CourseReadPolicy decides who may. */
export const CourseRead = (param = 'id') =>
  applyDecorators(
    SetMetadata(COURSE_READ_KEY, param),
    UseInterceptors(CourseReadInterceptor),
    ApiExtension(COURSE_READ_EXTENSION, { param }),
  );

/**
 * `value` with every `courseId` the caller may not see (per `shown`) replaced by null, at any depth: seats,
 * waitlist places, offers and attendance entries keep their place and counts, not whose they are.
 */
export function hideParticipants<T>(value: T, shown: (courseId: string) => boolean): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node as Record<string, unknown>).map(([key, child]) => [
        key,
        key === 'courseId' && typeof child === 'string' ? (shown(child) ? child : null) : walk(child),
      ]),
    );
  };
  return walk(value) as T;
}
