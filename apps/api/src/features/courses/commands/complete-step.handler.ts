import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CourseWriter, type CourseWrite } from '../course-writer.js';
import { CompleteStep } from './complete-step.command.js';

@CommandHandler(CompleteStep)
export class CompleteStepHandler implements ICommandHandler<CompleteStep> {
  constructor(@Inject(CourseWriter) private readonly courses: CourseWriter) {}

  execute({ ctx, courseId, stepCode, request }: CompleteStep): Promise<CourseWrite> {
    return this.courses.run(
      ctx,
      courseId,
      () => ({
        type: 'CompleteStep',
        stepCode,
        ...(request.completedAt !== undefined ? { completedAt: request.completedAt } : {}),
        ...(request.teamId !== undefined ? { teamId: request.teamId } : {}),
        ...(request.deviationReason !== undefined ? { deviationReason: request.deviationReason } : {}),
      }),
      request.deviationReason,
    );
  }
}
