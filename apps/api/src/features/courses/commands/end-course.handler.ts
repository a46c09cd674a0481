import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CourseWriter, type CourseWrite } from '../course-writer.js';
import { EndCourse } from './end-course.command.js';

@CommandHandler(EndCourse)
export class EndCourseHandler implements ICommandHandler<EndCourse> {
  constructor(@Inject(CourseWriter) private readonly courses: CourseWriter) {}

  execute({ ctx, courseId, request }: EndCourse): Promise<CourseWrite> {
    return this.courses.run(
      ctx,
      courseId,
      () => ({
        type: 'EndCourse',
        reason: request.reason,
        note: request.note,
        ...(request.exclusionCode !== undefined ? { exclusionCode: request.exclusionCode } : {}),
        ...(request.planForGp !== undefined ? { planForGp: request.planForGp } : {}),
      }),
      request.note,
    );
  }
}
