import { Inject, Injectable } from '@nestjs/common';
import {
  courseDecider,
  courseStepUse,
  courseStreamId,
  type CourseCommand,
  type CourseEvent,
  type CourseState,
  batchDecider,
} from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import type { ExecuteResult } from '../../platform/write-path/decider-store.js';
import type { WriteContext } from '../../platform/write-path/write-context.js';
import { TeamScheduler, type Holder } from '../schedule/index.js';
import { CourseReader, type LoadedCourse } from './course-reader.js';
import { referredCourse } from './referred-course.js';
import type { CourseView } from './course-view.js';

export const batchCourseDecider = batchDecider(courseDecider);

/** Command input without the parts the writer adds (`now`, `pathway`). */
type Input<C> = C extends CourseCommand ? Omit<C, 'now' | 'pathway'> : never;
export type CourseCommandInput = Input<CourseCommand>;

export interface CourseWrite {
  readonly result: ExecuteResult<CourseState, CourseEvent>;
  readonly view: CourseView;
}

/**
 * The writer of `course-<id>` streams (every course command handler writes through `run`): loads the course
 * once (404 unless it is the caller's clinic's), lets the handler build its commands from it, stamps `now`
 * and the pinned pathway, and appends through TeamScheduler over DeciderStore (optimistic concurrency,
 * If-Match, Idempotency-Key; a booked pathway step holds its staff on their schedule streams).
 */
@Injectable()
export class CourseWriter {
  constructor(
    @Inject(CourseReader) private readonly reader: CourseReader,
    @Inject(TeamScheduler) private readonly scheduler: TeamScheduler,
  ) {}

  /**
   * Decides `build(course)` (one or several commands, all or nothing) and appends the events. `build` may
   * refuse (throw) after checks of its own, e.g. that a clinician is the clinic's; it runs once, on the
   * first load.
   */
  async run(
    ctx: WriteContext,
    courseId: string,
    build: (course: LoadedCourse) => CourseCommandInput | CourseCommandInput[] | Promise<CourseCommandInput | CourseCommandInput[]>,
    reason?: string,
  ): Promise<CourseWrite> {
    const course = await this.reader.load(ctx.actor, courseId);
    const inputs = await build(course);
    const commands = (now: string) => (Array.isArray(inputs) ? inputs : [inputs]).map((c) => ({ ...c, now, pathway: course.pathway }));
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
    const result = await this.scheduler.run(ctx, holder, commands, reason, {
      state: course.state,
      revision: course.revision,
      events: course.events,
    });
    // the view of the course as this write left it, from what is in hand: the events the decision was made on
    // plus the ones appended (the course stream is read once per write)
    const { loaded, appended } = result;
    if (!loaded || !appended) return { result, view: await this.reader.view(ctx.actor, courseId, result.revision) };
    const written = appended.map(
      (e, i) => ({ ...e, streamId: courseStreamId(courseId), revision: loaded.revision + 1 + i }) as unknown as RecordedEvent,
    );
    const events = [...loaded.events, ...written];
    return {
      result,
      view: await this.reader.viewOf(courseId, {
        state: referredCourse(result.state, courseId),
        revision: result.revision,
        events,
        pathway: course.pathway,
      }),
    };
  }
}
