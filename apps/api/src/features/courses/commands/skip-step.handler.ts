import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CourseWriter, type CourseWrite } from '../course-writer.js';
import { SkipStep } from './skip-step.command.js';

@CommandHandler(SkipStep)
export class SkipStepHandler implements ICommandHandler<SkipStep> {
  constructor(@Inject(CourseWriter) private readonly courses: CourseWriter) {}

  execute({ ctx, courseId, stepCode, request }: SkipStep): Promise<CourseWrite> {
    return this.courses.run(ctx, courseId, () => ({ type: 'SkipStep', stepCode, reason: request.reason }), request.reason);
  }
}
