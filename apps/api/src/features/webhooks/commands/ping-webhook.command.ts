import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../../platform/auth/actor.js';
import type { PingResponse } from '../webhooks.response.js';

/** Send a signed webhook.ping now and say how the receiver answered (not stored, not retried). */
export class PingWebhook extends Command<PingResponse> {
  constructor(
    readonly webhookId: string,
    readonly actor: Actor,
  ) {
    super();
  }
}
