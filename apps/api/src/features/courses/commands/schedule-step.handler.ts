import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CourseWriter, type CourseWrite } from '../course-writer.js';
import { ScheduleStep } from './schedule-step.command.js';

@CommandHandler(ScheduleStep)
export class ScheduleStepHandler implements ICommandHandler<ScheduleStep> {
  constructor(@Inject(CourseWriter) private readonly courses: CourseWriter) {}

  execute({ ctx, courseId, stepCode, request }: ScheduleStep): Promise<CourseWrite> {
    return this.courses.run(
      ctx,
      courseId,
      () => ({
        type: 'ScheduleStep',
        stepCode,
        at: request.at,
        ...(request.endsAt !== undefined ? { endsAt: request.endsAt } : {}),
        ...(request.teamId !== undefined ? { teamId: request.teamId } : {}),
        ...(request.deviationReason !== undefined ? { deviationReason: request.deviationReason } : {}),
      }),
      request.deviationReason,
    );
  }
}
