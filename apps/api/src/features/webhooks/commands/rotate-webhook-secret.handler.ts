import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Clock } from '../../../platform/clock/clock.js';
import { AppConfig } from '../../../platform/config/app-config.js';
import type { RotateSecretResponse } from '../webhooks.response.js';
import { rotationView, WebhooksService } from '../webhooks.service.js';
import { RotateWebhookSecret } from './rotate-webhook-secret.command.js';
import { updatedRows } from './updated-rows.js';

/**
 * A new signing secret. The previous one keeps signing beside it (both signatures on every request) for
 * `previousSecretValidHours` (default WEBHOOK_SECRET_OVERLAP_HOURS), so receivers can switch at their pace.
 * Sending the current secret again changes nothing (a retried request), so a retry never ends the overlap.
 */
@CommandHandler(RotateWebhookSecret)
export class RotateWebhookSecretHandler implements ICommandHandler<RotateWebhookSecret> {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WebhooksService) private readonly webhooks: WebhooksService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ webhookId, input, actor }: RotateWebhookSecret): Promise<RotateSecretResponse> {
    await this.webhooks.find(actor, webhookId);
    const now = this.clock.now();
    const [row] = await this.dataSource.query<
      Array<{
        secret_encrypted: Buffer;
        previous_secret_until: Date | null;
        secret_rotated_at: Date | null;
      }>
    >(`SELECT secret_encrypted, previous_secret_until, secret_rotated_at FROM webhooks WHERE webhook_id = $1`, [webhookId]);
    const box = this.webhooks.secrets;
    const current = box.open(Buffer.from(row.secret_encrypted), webhookId);
    if (current === input.secret) return rotationView(webhookId, row.secret_rotated_at, row.previous_secret_until, now);
    const hours = input.previousSecretValidHours ?? this.config.WEBHOOK_SECRET_OVERLAP_HOURS;
    const changed = (
      updatedRows(
        await this.dataSource.query(
          `UPDATE webhooks SET secret_encrypted = $2, previous_secret_encrypted = CASE WHEN $4::int > 0 THEN $3::bytea ELSE NULL END,
           previous_secret_until = CASE WHEN $4::int > 0 THEN $5::timestamptz + make_interval(hours => $4::int) ELSE NULL END, secret_rotated_at = $5
         WHERE webhook_id = $1 RETURNING secret_rotated_at, previous_secret_until`,
          [webhookId, box.seal(input.secret, webhookId), box.seal(current, `${webhookId}:previous`), hours, now],
        ),
      ) as Array<{ secret_rotated_at: Date; previous_secret_until: Date | null }>
    ).at(0);
    this.logger.log(`Secret of webhook ${webhookId} rotated by ${actor.staffId}; the previous one signs for ${hours} h more.`);
    return rotationView(webhookId, changed?.secret_rotated_at ?? now, changed?.previous_secret_until ?? null, now);
  }
}
