import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { RemoveMicroteamMemberRequest } from '../course.request.js';
import type { CourseWrite } from '../course-writer.js';

/** Remove a clinician from the microteam: every role they hold, or the one given (DELETE /courses/{id}/microteam/{clinicianId}). */
export class RemoveMicroteamMember extends Command<CourseWrite> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly clinicianId: string,
    readonly request: RemoveMicroteamMemberRequest,
  ) {
    super();
  }
}
