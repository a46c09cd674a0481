import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { Clock } from '../../../platform/clock/clock.js';
import { PAYLOAD_VERSION, PING_EVENT_TYPE } from '../outbound-events.js';
import { WebhookDeliveryWorker } from '../webhook-delivery.worker.js';
import { describeFailure } from '../webhook-transport.js';
import type { PingResponse } from '../webhooks.response.js';
import { WebhooksService } from '../webhooks.service.js';
import { PingWebhook } from './ping-webhook.command.js';

/** One signed POST through the same target checks as every delivery; the answer says how the receiver replied. */
@CommandHandler(PingWebhook)
export class PingWebhookHandler implements ICommandHandler<PingWebhook> {
  constructor(
    @Inject(WebhooksService) private readonly webhooks: WebhooksService,
    @Inject(WebhookDeliveryWorker) private readonly worker: WebhookDeliveryWorker,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ webhookId, actor }: PingWebhook): Promise<PingResponse> {
    const target = await this.webhooks.signingRow(actor, webhookId);
    const messageId = randomUUID();
    const now = this.clock.now();
    const body = JSON.stringify({
      version: PAYLOAD_VERSION,
      id: messageId,
      type: PING_EVENT_TYPE,
      occurredAt: now.toISOString(),
      clinicId: actor.clinicId,
      courseId: null,
      patientId: null,
      data: { webhookId },
      sequence: 0,
    });
    const started = performance.now(); // a duration, not a time of day: the monotonic timer, not the Clock
    try {
      const status = await this.worker.send(target.url, target, messageId, PING_EVENT_TYPE, messageId, body, now);
      const ok = status >= 200 && status < 300;
      return {
        ok,
        status,
        error: ok ? null : status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`,
        durationMs: Math.round(performance.now() - started),
        messageId,
      };
    } catch (error) {
      return { ok: false, status: null, error: describeFailure(error), durationMs: Math.round(performance.now() - started), messageId };
    }
  }
}
