import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CourseWriter, type CourseWrite } from '../course-writer.js';
import { DecideVisitation } from './decide-visitation.command.js';

@CommandHandler(DecideVisitation)
export class DecideVisitationHandler implements ICommandHandler<DecideVisitation> {
  constructor(@Inject(CourseWriter) private readonly courses: CourseWriter) {}

  execute({ ctx, courseId, request }: DecideVisitation): Promise<CourseWrite> {
    return this.courses.run(
      ctx,
      courseId,
      () => ({
        type: 'DecideVisitation',
        decision: request.decision,
        assessment: request.assessment,
        ...(request.reason !== undefined ? { reason: request.reason } : {}),
        ...(request.planForGp !== undefined ? { planForGp: request.planForGp } : {}),
      }),
      request.reason,
    );
  }
}
