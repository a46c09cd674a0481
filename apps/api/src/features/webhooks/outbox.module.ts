import { Module } from '@nestjs/common';
import { PingWebhookHandler } from './commands/ping-webhook.handler.js';
import { RegisterWebhookHandler } from './commands/register-webhook.handler.js';
import { RemoveWebhookHandler } from './commands/remove-webhook.handler.js';
import { ReplayDeadLetterHandler } from './commands/replay-dead-letter.handler.js';
import { ReplayDeadLettersHandler } from './commands/replay-dead-letters.handler.js';
import { RotateWebhookSecretHandler } from './commands/rotate-webhook-secret.handler.js';
import { WebhookDeliveryWorker } from './webhook-delivery.worker.js';
import { WebhookTargets } from './webhook-targets.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * Outbound events: the `outbox.v1` subscription (outbox.projection.ts, in read-models.ts) writes the
 * outbox; webhooks are registered and managed here by commands (rows in `webhooks` and
 * `webhook_deliveries`, not event streams) and the delivery worker sends it.
 */
@Module({
  providers: [
    WebhookTargets,
    WebhooksService,
    WebhookDeliveryWorker,
    RegisterWebhookHandler,
    RemoveWebhookHandler,
    ReplayDeadLetterHandler,
    ReplayDeadLettersHandler,
    PingWebhookHandler,
    RotateWebhookSecretHandler,
  ],
  controllers: [WebhooksController],
  exports: [WebhookDeliveryWorker, WebhookTargets],
})
export class OutboxModule {}
