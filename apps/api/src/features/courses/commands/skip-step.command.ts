import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { SkipStepRequest } from '../course.request.js';
import type { CourseWrite } from '../course-writer.js';

/** Skip a step for this course, with the reason (POST /courses/{id}/steps/{stepCode}/skip). */
export class SkipStep extends Command<CourseWrite> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly stepCode: string,
    readonly request: SkipStepRequest,
  ) {
    super();
  }
}
