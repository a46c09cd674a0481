import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../../platform/auth/actor.js';
import { Clock } from '../../platform/clock/clock.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { ApiError } from '../../platform/http/api-error.js';
import { isUuid } from '../../platform/write-path/new-stream-id.js';
import { SecretBox } from './secret-box.js';
import { TargetRefused } from './webhook-target.js';
import type { SecretRow } from './secret-box.js';
import { WebhookTargets } from './webhook-targets.js';
import type { DeadLetterResponse, RotateSecretResponse, WebhookResponse } from './webhooks.response.js';

interface WebhookRow {
  webhook_id: string;
  url: string;
  event_types: string[];
  description: string | null;
  created_by: string;
  created_at: Date;
  secret_rotated_at: Date | null;
  previous_secret_until: Date | null;
  pending: string;
  dead: string;
}

/** the server secret the webhook secrets and feed tokens are keyed from (PSEUDONYM_KEY is required in production) */
export function serverSecret(config: AppConfig): string {
  return config.pseudonymKey ?? config.requestHashKey;
}

/** Webhook registrations of a clinic (admin only) and their dead letters, as read; every change is a command (commands/). */
@Injectable()
export class WebhooksService {
  private readonly box: SecretBox;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AppConfig) config: AppConfig,
    @Inject(WebhookTargets) private readonly targets: WebhookTargets,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.box = new SecretBox(serverSecret(config));
  }

  get secrets(): SecretBox {
    return this.box;
  }

  async list(actor: Actor): Promise<WebhookResponse[]> {
    const rows = await this.dataSource.query<WebhookRow[]>(
      `${selectWebhook('$2')} WHERE w.clinic_id = $1 AND w.deleted_at IS NULL ORDER BY w.created_at, w.webhook_id`,
      [actor.clinicId, this.clock.now()],
    );
    return rows.map(view);
  }

  async find(actor: Actor, webhookId: string): Promise<WebhookResponse> {
    if (!isUuid(webhookId)) throw ApiError.notFound('webhook', webhookId);
    const rows = await this.dataSource.query<WebhookRow[]>(
      `${selectWebhook('$3')} WHERE w.webhook_id = $1 AND w.clinic_id = $2 AND w.deleted_at IS NULL`,
      [webhookId, actor.clinicId, this.clock.now()],
    );
    if (!rows[0]) throw ApiError.notFound('webhook', webhookId);
    return view(rows[0]);
  }

  /** what a delivery or a ping needs: the URL and the sealed secrets */
  async signingRow(actor: Actor, webhookId: string): Promise<SecretRow & { url: string }> {
    await this.find(actor, webhookId);
    const [row] = await this.dataSource.query<Array<SecretRow & { url: string }>>(
      `SELECT webhook_id, url, secret_encrypted, previous_secret_encrypted, previous_secret_until FROM webhooks WHERE webhook_id = $1`,
      [webhookId],
    );
    return row;
  }

  async deadLetters(actor: Actor, webhookId: string): Promise<DeadLetterResponse[]> {
    await this.find(actor, webhookId);
    const rows = await this.dataSource.query<
      Array<{
        delivery_id: string;
        message_id: string;
        type: string;
        course_id: string;
        seq: string;
        attempts: number;
        last_status: number | null;
        last_error: string | null;
        dead_at: Date;
        replays: number;
        payload: unknown;
      }>
    >(
      `SELECT d.delivery_id, d.message_id, m.type, d.course_id, d.seq::text AS seq, d.attempts, d.last_status, d.last_error, d.dead_at, d.replays, m.payload
       FROM webhook_deliveries d JOIN outbox_messages m ON m.message_id = d.message_id
       WHERE d.webhook_id = $1 AND d.status = 'dead' ORDER BY d.seq LIMIT 1000`,
      [webhookId],
    );
    return rows.map((r) => {
      const payload = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>;
      return {
        deliveryId: r.delivery_id,
        messageId: r.message_id,
        type: r.type,
        courseId: r.course_id.startsWith('team:') ? null : r.course_id,
        ...(typeof payload.teamId === 'string' ? { teamId: payload.teamId } : {}),
        sequence: Number(r.seq),
        attempts: r.attempts,
        lastStatus: r.last_status,
        lastError: r.last_error,
        deadAt: new Date(r.dead_at).toISOString(),
        replays: r.replays,
        payload,
      };
    });
  }

  /** the rules of webhook-target.ts at registration: 422 with a stable code and a sentence */
  async checkTarget(url: string): Promise<void> {
    try {
      await this.targets.check(url);
    } catch (error) {
      if (error instanceof TargetRefused) throw error.toApiError();
      throw error;
    }
  }

  /** http(s) only, no credentials, no fragment; where it may point is checked by checkTarget. */
  checkUrl(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw invalidUrl('url must be an http or https URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidUrl('url must be an http or https URL');
    if (url.username || url.password) throw invalidUrl('url must not contain a user name or password');
    if (url.hash) throw invalidUrl('url must not contain a fragment (#…)');
    return url.toString();
  }
}

/** a webhook with its counts; `now` is the placeholder of the time the overlap of a rotated-out secret is judged at */
const selectWebhook = (now: string): string => `
  SELECT w.webhook_id, w.url, w.event_types, w.description, w.created_by, w.created_at, w.secret_rotated_at,
    CASE WHEN w.previous_secret_until > ${now}::timestamptz THEN w.previous_secret_until END AS previous_secret_until,
    (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.webhook_id AND d.status = 'pending')::text AS pending,
    (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.webhook_id AND d.status = 'dead')::text AS dead
  FROM webhooks w`;

function view(r: WebhookRow): WebhookResponse {
  return {
    webhookId: r.webhook_id,
    url: r.url,
    eventTypes: r.event_types,
    ...(r.description ? { description: r.description } : {}),
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    pending: Number(r.pending),
    deadLetters: Number(r.dead),
    secretRotatedAt: r.secret_rotated_at ? new Date(r.secret_rotated_at).toISOString() : null,
    previousSecretSignsUntil: r.previous_secret_until ? new Date(r.previous_secret_until).toISOString() : null,
  };
}

/** a rotation as answered at `now`: the overlap of the previous secret shown while it runs */
export function rotationView(webhookId: string, rotatedAt: Date | null, until: Date | null, now: Date): RotateSecretResponse {
  return {
    webhookId,
    secretRotatedAt: new Date(rotatedAt ?? now).toISOString(),
    previousSecretSignsUntil: until && new Date(until).getTime() > now.getTime() ? new Date(until).toISOString() : null,
  };
}

function invalidUrl(problem: string): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', `Some fields are missing or wrong: url.`, {
    fields: [{ field: 'url', problems: [problem] }],
  });
}
