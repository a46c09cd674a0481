import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { SupplementReferralRequest } from '../course.request.js';
import type { CourseWrite } from '../course-writer.js';

/** Supplement a referral on hold with what the referrer sent (POST /courses/{id}/referral). */
export class SupplementReferral extends Command<CourseWrite> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly request: SupplementReferralRequest,
  ) {
    super();
  }
}
