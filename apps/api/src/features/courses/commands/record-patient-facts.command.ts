import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { RecordFactsRequest } from '../course.request.js';
import type { CourseWrite } from '../course-writer.js';

/** Record patient facts, all or none; unchanged ones are left as they are (PUT /courses/{id}/criteria). */
export class RecordPatientFacts extends Command<CourseWrite> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly request: RecordFactsRequest,
  ) {
    super();
  }
}
