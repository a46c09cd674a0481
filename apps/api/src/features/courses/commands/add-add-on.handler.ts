import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CourseWriter, type CourseWrite } from '../course-writer.js';
import { AddAddOn } from './add-add-on.command.js';

@CommandHandler(AddAddOn)
export class AddAddOnHandler implements ICommandHandler<AddAddOn> {
  constructor(@Inject(CourseWriter) private readonly courses: CourseWriter) {}

  execute({ ctx, courseId, request }: AddAddOn): Promise<CourseWrite> {
    return this.courses.run(
      ctx,
      courseId,
      () => ({ type: 'AddAddOn', stepCode: request.stepCode, reason: request.reason }),
      request.reason,
    );
  }
}
