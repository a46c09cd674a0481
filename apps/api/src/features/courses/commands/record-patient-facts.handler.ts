import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isDeepStrictEqual } from 'node:util';
import { CourseWriter, type CourseWrite } from '../course-writer.js';
import { RecordPatientFacts } from './record-patient-facts.command.js';

@CommandHandler(RecordPatientFacts)
export class RecordPatientFactsHandler implements ICommandHandler<RecordPatientFacts> {
  constructor(@Inject(CourseWriter) private readonly courses: CourseWriter) {}

  /** one RecordPatientFact per fact whose value or basis differs from its latest recording, all in one append */
  execute({ ctx, courseId, request }: RecordPatientFacts): Promise<CourseWrite> {
    return this.courses.run(
      ctx,
      courseId,
      (course) =>
        request.facts
          .map((f) => ({
            type: 'RecordPatientFact' as const,
            fact: f.fact,
            ...(f.key !== undefined ? { key: f.key } : {}),
            value: f.value,
            basis: {
              source: f.basis.source,
              ...(f.basis.stepCode ? { stepCode: f.basis.stepCode } : {}),
              ...(f.basis.note ? { note: f.basis.note } : {}),
            },
            customFacts: course.catalogue.facts,
          }))
          .filter((c) => {
            const latest = course.state.factHistory.findLast((h) => h.fact === c.fact && h.key === c.key);
            return !latest || latest.value !== c.value || !isDeepStrictEqual(latest.basis, c.basis);
          }),
      request.reason,
    );
  }
}
