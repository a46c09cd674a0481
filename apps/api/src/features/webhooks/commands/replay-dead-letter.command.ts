import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../../platform/auth/actor.js';
import type { ReplayResponse } from '../webhooks.response.js';

/** Queue one dead letter again with a fresh set of attempts; the deliveries it held back follow it. */
export class ReplayDeadLetter extends Command<ReplayResponse> {
  constructor(
    readonly webhookId: string,
    readonly deliveryId: string,
    readonly reason: string | undefined,
    readonly actor: Actor,
  ) {
    super();
  }
}
