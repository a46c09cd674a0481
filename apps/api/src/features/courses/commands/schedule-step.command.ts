import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { ScheduleStepRequest } from '../course.request.js';
import type { CourseWrite } from '../course-writer.js';

/** Book a pathway step or move its booking (POST /courses/{id}/steps/{stepCode}/schedule). */
export class ScheduleStep extends Command<CourseWrite> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly stepCode: string,
    readonly request: ScheduleStepRequest,
  ) {
    super();
  }
}
