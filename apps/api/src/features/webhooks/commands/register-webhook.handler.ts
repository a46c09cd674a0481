import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Clock } from '../../../platform/clock/clock.js';
import type { WebhookResponse } from '../webhooks.response.js';
import { WebhooksService } from '../webhooks.service.js';
import { RegisterWebhook } from './register-webhook.command.js';

/** A subscription row, not an event stream: checked (URL, target rules) and inserted; the secret is stored sealed. */
@CommandHandler(RegisterWebhook)
export class RegisterWebhookHandler implements ICommandHandler<RegisterWebhook> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WebhooksService) private readonly webhooks: WebhooksService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ input, webhookId, actor }: RegisterWebhook): Promise<WebhookResponse> {
    const url = this.webhooks.checkUrl(input.url);
    const existing = await this.webhooks.find(actor, webhookId).catch(() => undefined);
    if (existing) return existing; // a retried request (same Idempotency-Key): the webhook it created
    await this.webhooks.checkTarget(url);
    await this.dataSource.query(
      `INSERT INTO webhooks (webhook_id, clinic_id, url, secret_encrypted, event_types, description, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        webhookId,
        actor.clinicId,
        url,
        this.webhooks.secrets.seal(input.secret, webhookId),
        [...input.eventTypes].sort(),
        input.description ?? null,
        actor.staffId,
        this.clock.now(),
      ],
    );
    return this.webhooks.find(actor, webhookId);
  }
}
