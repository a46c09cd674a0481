import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Clock } from '../../../platform/clock/clock.js';
import { ApiError } from '../../../platform/http/api-error.js';
import { isUuid } from '../../../platform/write-path/new-stream-id.js';
import { WebhookDeliveryWorker } from '../webhook-delivery.worker.js';
import type { ReplayResponse } from '../webhooks.response.js';
import { WebhooksService } from '../webhooks.service.js';
import { ReplayDeadLetter } from './replay-dead-letter.command.js';
import { updatedRows } from './updated-rows.js';

/** Queues the dead letter again (fresh attempts, due now) and wakes the delivery loop; a repeat finds it pending. */
@CommandHandler(ReplayDeadLetter)
export class ReplayDeadLetterHandler implements ICommandHandler<ReplayDeadLetter> {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WebhooksService) private readonly webhooks: WebhooksService,
    @Inject(WebhookDeliveryWorker) private readonly worker: WebhookDeliveryWorker,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ webhookId, deliveryId, reason, actor }: ReplayDeadLetter): Promise<ReplayResponse> {
    await this.webhooks.find(actor, webhookId);
    if (!isUuid(deliveryId)) throw ApiError.notFound('dead letter', deliveryId);
    const updated = updatedRows(
      await this.dataSource.query(
        `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $5, dead_at = NULL, replays = replays + 1,
           replayed_by = $3, replay_reason = $4
         WHERE delivery_id = $1 AND webhook_id = $2 AND status = 'dead' RETURNING delivery_id`,
        [deliveryId, webhookId, actor.staffId, reason ?? null, this.clock.now()],
      ),
    );
    if (updated.length === 0) {
      const rows = await this.dataSource.query<Array<{ status: string }>>(
        `SELECT status FROM webhook_deliveries WHERE delivery_id = $1 AND webhook_id = $2`,
        [deliveryId, webhookId],
      );
      const row = rows.at(0);
      if (!row) throw ApiError.notFound('dead letter', deliveryId);
      if (row.status !== 'pending')
        throw new ApiError(409, 'NOT_A_DEAD_LETTER', 'This delivery is not in the dead letters (it was delivered).', {
          deliveryId,
          status: row.status,
        });
      // replayed already (a retry): pending, as the first answer said
    } else {
      this.logger.log(`Dead letter ${deliveryId} of webhook ${webhookId} replayed by ${actor.staffId}.`);
    }
    this.worker.kick();
    return { deliveryId, status: 'pending' };
  }
}
