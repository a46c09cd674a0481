import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { AssignMicroteamMemberRequest } from '../course.request.js';
import type { CourseWrite } from '../course-writer.js';

/** Add a clinician of the clinic to the microteam in a role (POST /courses/{id}/microteam). */
export class AssignMicroteamMember extends Command<CourseWrite> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly request: AssignMicroteamMemberRequest,
  ) {
    super();
  }
}
