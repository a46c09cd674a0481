import { Inject, Injectable } from '@nestjs/common';
import {
  courseDecider,
  courseStreamId,
  replay,
  type Catalogue,
  type CourseCommand,
  type CourseEvent,
  type CourseState,
  type PathwayDefinition,
  type PathwayRef,
} from '#app/domain';
import type { EventStore, RecordedEvent } from '#app/event-store';
import { scheduleDecider, scheduleStreamId, appointmentsOfCourse, type ScheduleEvent } from '../appointments/schedule.decider.js';
import type { Actor } from '../../platform/auth/actor.js';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';
import { ApiError } from '../../platform/http/api-error.js';
import { EVENT_STORE } from '../../platform/persistence/tokens.js';
import { DeciderStore, type ExecuteResult } from '../../platform/write-path/decider-store.js';
import type { WriteContext } from '../../platform/write-path/write-context.js';
import { requireOwnStream } from '../../platform/write-path/write-response.js';
import { batchDecider } from './batch-decider.js';
import { TeamScheduler, type Holder } from '../schedule/team-scheduler.js';
import { courseStepUse } from '#app/domain';
import { isUuid } from '../../platform/write-path/new-stream-id.js';
import { courseView, type CourseView } from './course-view.js';

export const batchCourseDecider = batchDecider(courseDecider);

/** Command input without the parts the service adds (`now`, `pathway`). */
type Input<C> = C extends CourseCommand ? Omit<C, 'now' | 'pathway'> : never;
export type CourseCommandInput = Input<CourseCommand>;

export interface LoadedCourse {
  readonly courseId: string;
  readonly state: CourseState;
  readonly revision: number;
  readonly events: RecordedEvent[];
  /** the pathway version the course is pinned to */
  readonly pathway: PathwayDefinition;
  /** the clinic's current catalogue (interventions, custom facts) */
  readonly catalogue: Catalogue;
}

export interface CourseWrite {
  readonly result: ExecuteResult<CourseState, CourseEvent>;
  readonly view: CourseView;
}

/**
 * Runs course commands over the course decider: loads `course-<id>` (404 unless it is the caller's
 * clinic's), resolves the pathway version the course is pinned to, stamps `now`, and appends through
 * DeciderStore (optimistic concurrency, If-Match, Idempotency-Key).
 */
@Injectable()
export class CourseService {
  constructor(
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(TeamScheduler) private readonly scheduler: TeamScheduler,
  ) {}

  async load(actor: Actor, courseId: string, upToRevision?: number): Promise<LoadedCourse> {
    if (!isUuid(courseId)) throw ApiError.notFound('course', courseId);
    const events = await this.events.readStream(courseStreamId(courseId), upToRevision === undefined ? {} : { maxCount: upToRevision + 1 });
    requireOwnStream(events, actor, 'course', courseId);
    const state = replay(courseDecider, events.map((e) => ({ type: e.type, data: e.data }) as CourseEvent));
    const { pathway, catalogue } = await this.pathwayOf(actor.clinicId, state.pathway!);
    return { courseId, state, revision: events.length - 1, events, pathway, catalogue };
  }

  /** Decides `build(course)` (one or several commands, all or nothing) and appends the events. */
  async run(ctx: WriteContext, courseId: string, build: (course: LoadedCourse) => CourseCommandInput | CourseCommandInput[], reason?: string): Promise<CourseWrite> {
    const course = await this.load(ctx.actor, courseId);
    const inputs = build(course);
    const commands = (now: string) => (Array.isArray(inputs) ? inputs : [inputs]).map((c) => ({ ...c, now, pathway: course.pathway }) as CourseCommand);
    // booked pathway steps hold their staff on the clinicians' schedule streams (TeamScheduler keeps them true)
    const timeZone = course.catalogue.settings.timeZone;
    const minutes = new Map(course.catalogue.interventions.map((i) => [i.code, i.slotMinutes ?? i.durationMinutes ?? undefined]));
    const holder: Holder<readonly CourseCommand[], CourseEvent, CourseState> = {
      decider: batchCourseDecider,
      streamId: courseStreamId(courseId),
      kind: 'pathway-step',
      use: (state) => courseStepUse(state, course.pathway, (code) => minutes.get(code), courseId, ctx.actor.clinicId, timeZone),
      timeZone: () => timeZone,
    };
    // the load above decides the first attempt (a concurrent write makes it load again)
    const result = await this.scheduler.run(ctx, holder, commands, reason, { state: course.state, revision: course.revision, events: course.events });
    // the view of the course as this write left it, from what is in hand: the events the decision was made on
    // plus the ones appended (no third read of the stream)
    const { loaded, appended } = result;
    if (!loaded || !appended) return { result, view: await this.view(ctx.actor, courseId, result.revision) };
    const written = appended.map((e, i) => ({ ...e, streamId: courseStreamId(courseId), revision: loaded.revision + 1 + i }) as unknown as RecordedEvent);
    const events = [...loaded.events, ...written];
    return { result, view: await this.viewOf(courseId, { state: result.state, revision: result.revision, events, pathway: course.pathway }) };
  }

  private async viewOf(courseId: string, course: { state: CourseState; revision: number; events: readonly RecordedEvent[]; pathway: PathwayDefinition }): Promise<CourseView> {
    const schedule = await this.events.readStream(scheduleStreamId({ kind: 'patient', id: course.state.patientId! }));
    const scheduleState = replay(scheduleDecider, schedule.map((e) => ({ type: e.type, data: e.data }) as ScheduleEvent));
    return courseView({
      courseId,
      revision: course.revision,
      state: course.state,
      events: course.events,
      pathway: course.pathway,
      appointments: appointmentsOfCourse(scheduleState, courseId),
      now: new Date().toISOString(),
    });
  }

  /** The course as GET /courses/{id} shows it; `upToRevision` pins it to the revision a write produced. */
  async view(actor: Actor, courseId: string, upToRevision?: number): Promise<CourseView> {
    return this.viewOf(courseId, await this.load(actor, courseId, upToRevision));
  }

  /** The pathway version a course is pinned to, from the clinic's catalogue versions (newest first). */
  async pathwayOf(clinicId: string, ref: PathwayRef): Promise<{ pathway: PathwayDefinition; catalogue: Catalogue }> {
    const versions = await this.catalogues.versions(clinicId);
    const current = versions[versions.length - 1];
    const pinned = [...versions].reverse().find((c) => c.pathway.code === ref.code && c.pathway.version === ref.version);
    if (!current || !pinned) {
      throw new ApiError(422, 'PATHWAY_UNAVAILABLE', `The course follows version ${ref.version} of pathway ${ref.code}, which the clinic's catalogue no longer has.`, {
        pathway: ref,
      });
    }
    return { pathway: pinned.pathway, catalogue: current };
  }
}
