import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../../platform/auth/actor.js';
import type { RegisterWebhookRequest } from '../webhooks.request.js';
import type { WebhookResponse } from '../webhooks.response.js';

/** Register a webhook of the caller's clinic (row in `webhooks`, the secret sealed); a retried request answers with the webhook it created. */
export class RegisterWebhook extends Command<WebhookResponse> {
  constructor(
    readonly input: RegisterWebhookRequest,
    readonly webhookId: string,
    readonly actor: Actor,
  ) {
    super();
  }
}
