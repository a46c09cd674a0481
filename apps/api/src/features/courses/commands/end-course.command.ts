import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { EndCourseRequest } from '../course.request.js';
import type { CourseWrite } from '../course-writer.js';

/** End the course with a reason and a note (POST /courses/{id}/end). */
export class EndCourse extends Command<CourseWrite> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly request: EndCourseRequest,
  ) {
    super();
  }
}
