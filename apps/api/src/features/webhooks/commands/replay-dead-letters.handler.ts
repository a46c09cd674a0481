import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Clock } from '../../../platform/clock/clock.js';
import { WebhookDeliveryWorker } from '../webhook-delivery.worker.js';
import type { BulkReplayResponse } from '../webhooks.response.js';
import { WebhooksService } from '../webhooks.service.js';
import { ReplayDeadLetters } from './replay-dead-letters.command.js';
import { updatedRows } from './updated-rows.js';

/**
 * Queues every dead letter of the webhook again (fresh attempts, due now); the worker keeps the order per
 * course or team, and the deliveries they held back follow them. Safe to repeat (the second finds none).
 */
@CommandHandler(ReplayDeadLetters)
export class ReplayDeadLettersHandler implements ICommandHandler<ReplayDeadLetters> {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WebhooksService) private readonly webhooks: WebhooksService,
    @Inject(WebhookDeliveryWorker) private readonly worker: WebhookDeliveryWorker,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ webhookId, reason, actor }: ReplayDeadLetters): Promise<BulkReplayResponse> {
    await this.webhooks.find(actor, webhookId);
    const updated = updatedRows(
      await this.dataSource.query(
        `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $4, dead_at = NULL, replays = replays + 1,
           replayed_by = $2, replay_reason = $3
         WHERE webhook_id = $1 AND status = 'dead' RETURNING delivery_id`,
        [webhookId, actor.staffId, reason ?? null, this.clock.now()],
      ),
    );
    if (updated.length > 0) this.logger.log(`${updated.length} dead letters of webhook ${webhookId} replayed by ${actor.staffId}.`);
    this.worker.kick();
    return { webhookId, replayed: updated.length, status: 'pending' };
  }
}
