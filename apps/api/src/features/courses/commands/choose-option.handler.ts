import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CourseWriter, type CourseWrite } from '../course-writer.js';
import { ChooseOption } from './choose-option.command.js';

@CommandHandler(ChooseOption)
export class ChooseOptionHandler implements ICommandHandler<ChooseOption> {
  constructor(@Inject(CourseWriter) private readonly courses: CourseWriter) {}

  execute({ ctx, courseId, stepCode, request }: ChooseOption): Promise<CourseWrite> {
    return this.courses.run(ctx, courseId, () => ({ type: 'ChooseOption', stepCode, option: request.option }), request.reason);
  }
}
