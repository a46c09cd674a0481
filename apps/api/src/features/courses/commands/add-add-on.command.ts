import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { AddAddOnRequest } from '../course.request.js';
import type { CourseWrite } from '../course-writer.js';

/** Add an optional step (tillæg) to the course, with the reason (POST /courses/{id}/add-ons). */
export class AddAddOn extends Command<CourseWrite> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly request: AddAddOnRequest,
  ) {
    super();
  }
}
