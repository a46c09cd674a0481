import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Clock } from '../../../platform/clock/clock.js';
import { WebhooksService } from '../webhooks.service.js';
import { RemoveWebhook } from './remove-webhook.command.js';

/** Marks the row deleted (who, when, why): the delivery worker skips it from now on. */
@CommandHandler(RemoveWebhook)
export class RemoveWebhookHandler implements ICommandHandler<RemoveWebhook> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WebhooksService) private readonly webhooks: WebhooksService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ webhookId, reason, actor }: RemoveWebhook): Promise<void> {
    await this.webhooks.find(actor, webhookId);
    await this.dataSource.query(
      `UPDATE webhooks SET deleted_at = $5, deleted_by = $3, delete_reason = $4 WHERE webhook_id = $1 AND clinic_id = $2 AND deleted_at IS NULL`,
      [webhookId, actor.clinicId, actor.staffId, reason ?? null, this.clock.now()],
    );
  }
}
