// The webhooks feature's public surface: other features import from here only.
export { OutboxModule } from './outbox.module.js';
export { outboxProjection } from './outbox.projection.js';
export { WebhookDeliveryWorker } from './webhook-delivery.worker.js';
export { WebhookTargets } from './webhook-targets.js';
export { serverSecret } from './webhooks.service.js';
