import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../../platform/auth/actor.js';
import type { BulkReplayResponse } from '../webhooks.response.js';

/** Queue every dead letter of a webhook again (fresh attempts, original order per course or team). */
export class ReplayDeadLetters extends Command<BulkReplayResponse> {
  constructor(
    readonly webhookId: string,
    readonly reason: string | undefined,
    readonly actor: Actor,
  ) {
    super();
  }
}
