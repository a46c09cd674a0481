import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../../platform/write-path/write-context.js';
import type { WriteOutcome } from '../../seat-writes.js';
import type { DeclineResponse } from '../seat-offers.response.js';

/** The patient declines a held seat offer: the course leaves the waitlist and the seat goes to the next in line. */
export class DeclineSeatOffer extends Command<WriteOutcome<DeclineResponse>> {
  constructor(
    readonly teamId: string,
    readonly courseId: string,
    readonly reason: string,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
