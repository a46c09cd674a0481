import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { EnrolmentCancellationResponse } from '../enrolment.response.js';
import type { WriteOutcome } from '../seat-writes.js';

/** Give up a course's seat (or waitlist place) on a team; a freed seat is offered on through the waitlist review. */
export class CancelEnrolment extends Command<WriteOutcome<EnrolmentCancellationResponse>> {
  constructor(
    readonly courseId: string,
    readonly teamId: string,
    readonly reason: string | undefined,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
