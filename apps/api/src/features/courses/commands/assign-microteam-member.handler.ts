import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ClinicResources } from '../../../platform/clinic-resources/clinic-resources.js';
import { CourseWriter, type CourseWrite } from '../course-writer.js';
import { AssignMicroteamMember } from './assign-microteam-member.command.js';

@CommandHandler(AssignMicroteamMember)
export class AssignMicroteamMemberHandler implements ICommandHandler<AssignMicroteamMember> {
  constructor(
    @Inject(CourseWriter) private readonly courses: CourseWriter,
    @Inject(ClinicResources) private readonly resources: ClinicResources,
  ) {}

  execute({ ctx, courseId, request }: AssignMicroteamMember): Promise<CourseWrite> {
    return this.courses.run(
      ctx,
      courseId,
      // the course is loaded first (404 for the course), then the clinician must be the clinic's (404 for it)
      async () => {
        await this.resources.requireClinicians(ctx.actor, [request.clinicianId]);
        return { type: 'AssignMicroteamMember', clinicianId: request.clinicianId, role: request.role };
      },
      request.reason,
    );
  }
}
