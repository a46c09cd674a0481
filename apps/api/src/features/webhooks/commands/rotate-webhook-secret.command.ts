import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../../platform/auth/actor.js';
import type { RotateSecretRequest } from '../webhooks.request.js';
import type { RotateSecretResponse } from '../webhooks.response.js';

/** A new signing secret; the previous one keeps signing beside it for the overlap. */
export class RotateWebhookSecret extends Command<RotateSecretResponse> {
  constructor(
    readonly webhookId: string,
    readonly input: RotateSecretRequest,
    readonly actor: Actor,
  ) {
    super();
  }
}
