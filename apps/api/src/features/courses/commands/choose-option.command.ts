import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { ChooseOptionRequest } from '../course.request.js';
import type { CourseWrite } from '../course-writer.js';

/** Record the patient's choice at a choice step (POST /courses/{id}/choices/{stepCode}). */
export class ChooseOption extends Command<CourseWrite> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly stepCode: string,
    readonly request: ChooseOptionRequest,
  ) {
    super();
  }
}
