import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../../platform/write-path/write-context.js';
import type { EnrolmentResponse } from '../../enrolment.response.js';
import type { WriteOutcome } from '../../seat-writes.js';
import type { AcceptOfferRequest } from '../seat-offers.request.js';

/** The patient confirms a held seat offer: the course gets the seat. */
export class AcceptSeatOffer extends Command<WriteOutcome<EnrolmentResponse>> {
  constructor(
    readonly teamId: string,
    readonly courseId: string,
    readonly input: AcceptOfferRequest,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
