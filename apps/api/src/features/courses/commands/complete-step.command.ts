import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { CompleteStepRequest } from '../course.request.js';
import type { CourseWrite } from '../course-writer.js';

/** Record that a step has taken place (POST /courses/{id}/steps/{stepCode}/complete). */
export class CompleteStep extends Command<CourseWrite> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly stepCode: string,
    readonly request: CompleteStepRequest,
  ) {
    super();
  }
}
