import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CourseWriter, type CourseWrite } from '../course-writer.js';
import { SupplementReferral } from './supplement-referral.command.js';

@CommandHandler(SupplementReferral)
export class SupplementReferralHandler implements ICommandHandler<SupplementReferral> {
  constructor(@Inject(CourseWriter) private readonly courses: CourseWriter) {}

  execute({ ctx, courseId, request }: SupplementReferral): Promise<CourseWrite> {
    return this.courses.run(ctx, courseId, () => ({ type: 'CompleteReferral', content: request.content }), request.reason);
  }
}
