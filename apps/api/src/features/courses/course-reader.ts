import { Inject, Injectable } from '@nestjs/common';
import {
  appointmentsOfCourse,
  courseDecider,
  courseStreamId,
  replay,
  scheduleDecider,
  scheduleStreamId,
  type Catalogue,
  type CourseEvent,
  type PathwayDefinition,
  type PathwayRef,
  type ScheduleEvent,
} from '#app/domain';
import type { EventStore, RecordedEvent } from '#app/event-store';
import type { Actor } from '../../platform/auth/actor.js';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';
import { Clock } from '../../platform/clock/clock.js';
import { ApiError } from '../../platform/http/api-error.js';
import { EVENT_STORE } from '../../platform/persistence/tokens.js';
import { isUuid } from '../../platform/write-path/new-stream-id.js';
import { requireOwnStream } from '../../platform/write-path/write-response.js';
import { courseView, type CourseView } from './course-view.js';
import { referredCourse, type ReferredCourseState } from './referred-course.js';

export interface LoadedCourse {
  readonly courseId: string;
  readonly state: ReferredCourseState;
  readonly revision: number;
  readonly events: RecordedEvent[];
  /** the pathway version the course is pinned to */
  readonly pathway: PathwayDefinition;
  /** the clinic's current catalogue (interventions, custom facts) */
  readonly catalogue: Catalogue;
}

/** the course at one revision, as a view is built from it */
export interface CourseAt {
  readonly state: ReferredCourseState;
  readonly revision: number;
  readonly events: readonly RecordedEvent[];
  readonly pathway: PathwayDefinition;
}

/**
 * Reads `course-<id>` (404 unless it is the caller's clinic's), resolves the pathway version the course is
 * pinned to, and builds the view GET /courses/{id} shows. CourseWriter writes through it.
 */
@Injectable()
export class CourseReader {
  constructor(
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async load(actor: Actor, courseId: string, upToRevision?: number): Promise<LoadedCourse> {
    if (!isUuid(courseId)) throw ApiError.notFound('course', courseId);
    const events = await this.events.readStream(courseStreamId(courseId), upToRevision === undefined ? {} : { maxCount: upToRevision + 1 });
    requireOwnStream(events, actor, 'course', courseId);
    const state = referredCourse(
      replay(
        courseDecider,
        events.map((e) => ({ type: e.type, data: e.data }) as CourseEvent),
      ),
      courseId,
    );
    const { pathway, catalogue } = await this.pathwayOf(actor.clinicId, state.pathway);
    return { courseId, state, revision: events.length - 1, events, pathway, catalogue };
  }

  /** The course as GET /courses/{id} shows it; `upToRevision` pins it to the revision a write produced. */
  async view(actor: Actor, courseId: string, upToRevision?: number): Promise<CourseView> {
    return this.viewOf(courseId, await this.load(actor, courseId, upToRevision));
  }

  /** The view of a course already in hand (no read of the course stream; the patient's schedule is read for its appointments). */
  async viewOf(courseId: string, course: CourseAt): Promise<CourseView> {
    const schedule = await this.events.readStream(scheduleStreamId({ kind: 'patient', id: course.state.patientId }));
    const scheduleState = replay(
      scheduleDecider,
      schedule.map((e) => ({ type: e.type, data: e.data }) as ScheduleEvent),
    );
    return courseView({
      courseId,
      revision: course.revision,
      state: course.state,
      events: course.events,
      pathway: course.pathway,
      appointments: appointmentsOfCourse(scheduleState, courseId),
      now: this.clock.now().toISOString(),
    });
  }

  /** The pathway version a course is pinned to, from the clinic's catalogue versions (newest first). */
  async pathwayOf(clinicId: string, ref: PathwayRef): Promise<{ pathway: PathwayDefinition; catalogue: Catalogue }> {
    const versions = await this.catalogues.versions(clinicId);
    const current = versions.at(-1);
    const pinned = [...versions].reverse().find((c) => c.pathway.code === ref.code && c.pathway.version === ref.version);
    if (!current || !pinned) {
      throw new ApiError(
        422,
        'PATHWAY_UNAVAILABLE',
        `The course follows version ${ref.version} of pathway ${ref.code}, which the clinic's catalogue no longer has.`,
        {
          pathway: ref,
        },
      );
    }
    return { pathway: pinned.pathway, catalogue: current };
  }
}
