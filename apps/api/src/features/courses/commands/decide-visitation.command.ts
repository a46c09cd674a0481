import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { VisitationRequest } from '../course.request.js';
import type { CourseWrite } from '../course-writer.js';

/** Paper visitation: accept, or reject with reason and plan for the GP (POST /courses/{id}/visitation). */
export class DecideVisitation extends Command<CourseWrite> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly request: VisitationRequest,
  ) {
    super();
  }
}
