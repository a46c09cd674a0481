import { Module } from '@nestjs/common';
import { WebhookDeliveryWorker } from './webhook-delivery.worker.js';
import { WebhookTargets } from './webhook-targets.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * Outbound events: the `outbox.v1` subscription (outbox.projection.ts, in all-projections.ts) writes the
 * outbox; webhooks are registered here and the delivery worker sends it.
 */
@Module({
  providers: [WebhookTargets, WebhooksService, WebhookDeliveryWorker],
  controllers: [WebhooksController],
  exports: [WebhookDeliveryWorker, WebhookTargets],
})
export class OutboxModule {}
