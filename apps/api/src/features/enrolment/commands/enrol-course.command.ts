import { Command } from '@nestjs/cqrs';
import type { RelativeInput } from '#app/domain';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { EnrolmentResponse } from '../enrolment.response.js';
import type { WriteOutcome } from '../seat-writes.js';

/** Enrol a course on a team, or (joinWaitlistIfFull) put it on the team's waitlist. */
export class EnrolCourse extends Command<WriteOutcome<EnrolmentResponse>> {
  constructor(
    readonly courseId: string,
    readonly input: {
      readonly teamId: string;
      readonly joinWaitlistIfFull?: boolean;
      readonly relatives?: readonly RelativeInput[];
      readonly reason?: string;
    },
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
