import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiError } from '../../../platform/http/api-error.js';
import { CourseWriter, type CourseWrite } from '../course-writer.js';
import { RemoveMicroteamMember } from './remove-microteam-member.command.js';

@CommandHandler(RemoveMicroteamMember)
export class RemoveMicroteamMemberHandler implements ICommandHandler<RemoveMicroteamMember> {
  constructor(@Inject(CourseWriter) private readonly courses: CourseWriter) {}

  /** every role the clinician holds (or the one asked for), removed together */
  execute({ ctx, courseId, clinicianId, request }: RemoveMicroteamMember): Promise<CourseWrite> {
    return this.courses.run(
      ctx,
      courseId,
      (course) => {
        const roles = request.role
          ? [request.role]
          : course.state.microteam.filter((m) => m.clinicianId === clinicianId).map((m) => m.role);
        if (roles.length === 0)
          throw new ApiError(422, 'NOT_IN_MICROTEAM', "That clinician is not on the course's microteam.", { clinicianId });
        return roles.map((role) => ({ type: 'RemoveMicroteamMember' as const, clinicianId, role, reason: request.reason }));
      },
      request.reason,
    );
  }
}
