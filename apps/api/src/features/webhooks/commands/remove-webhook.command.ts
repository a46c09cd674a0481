import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../../platform/auth/actor.js';

/** Remove a webhook: nothing more is sent to it; what was delivered or dead stays for the record. */
export class RemoveWebhook extends Command<void> {
  constructor(
    readonly webhookId: string,
    readonly reason: string | undefined,
    readonly actor: Actor,
  ) {
    super();
  }
}
