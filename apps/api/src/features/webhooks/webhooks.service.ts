import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Actor } from '../../platform/auth/actor.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { ApiError } from '../../platform/http/api-error.js';
import { isUuid } from '../../platform/write-path/new-stream-id.js';
import { SecretBox } from './secret-box.js';
import { TargetRefused } from './webhook-target.js';
import type { SecretRow } from './webhook-delivery.worker.js';
import { WebhookTargets } from './webhook-targets.js';
import type { BulkReplayResponse, DeadLetterResponse, RegisterWebhookRequest, ReplayResponse, RotateSecretRequest, RotateSecretResponse, WebhookResponse } from './webhooks.dto.js';

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

/** Webhook registrations of a clinic (admin only); their dead letters and replay. */
@Injectable()
export class WebhooksService {
  private readonly box: SecretBox;
  private readonly logger = new Logger('Webhooks');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(WebhookTargets) private readonly targets: WebhookTargets,
  ) {
    this.box = new SecretBox(serverSecret(config));
  }

  get secrets(): SecretBox {
    return this.box;
  }

  async register(actor: Actor, body: RegisterWebhookRequest, webhookId: string = randomUUID()): Promise<WebhookResponse> {
    const url = this.checkUrl(body.url);
    const existing = await this.find(actor, webhookId).catch(() => undefined);
    if (existing) return existing; // a retried request (same Idempotency-Key): the webhook it created
    await this.checkTarget(url);
    await this.dataSource.query(
      `INSERT INTO webhooks (webhook_id, clinic_id, url, secret_encrypted, event_types, description, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
      [webhookId, actor.clinicId, url, this.box.seal(body.secret, webhookId), [...body.eventTypes].sort(), body.description ?? null, actor.staffId],
    );
    return this.find(actor, webhookId);
  }

  async list(actor: Actor): Promise<WebhookResponse[]> {
    const rows = (await this.dataSource.query(`${SELECT_WEBHOOK} WHERE w.clinic_id = $1 AND w.deleted_at IS NULL ORDER BY w.created_at, w.webhook_id`, [actor.clinicId])) as WebhookRow[];
    return rows.map(view);
  }

  async find(actor: Actor, webhookId: string): Promise<WebhookResponse> {
    if (!isUuid(webhookId)) throw ApiError.notFound('webhook', webhookId);
    const rows = (await this.dataSource.query(`${SELECT_WEBHOOK} WHERE w.webhook_id = $1 AND w.clinic_id = $2 AND w.deleted_at IS NULL`, [webhookId, actor.clinicId])) as WebhookRow[];
    if (!rows[0]) throw ApiError.notFound('webhook', webhookId);
    return view(rows[0]);
  }

  /** what a delivery or a ping needs: the URL and the sealed secrets */
  async signingRow(actor: Actor, webhookId: string): Promise<SecretRow & { url: string }> {
    await this.find(actor, webhookId);
    const [row] = (await this.dataSource.query(
      `SELECT webhook_id, url, secret_encrypted, previous_secret_encrypted, previous_secret_until FROM webhooks WHERE webhook_id = $1`,
      [webhookId],
    )) as Array<SecretRow & { url: string }>;
    return row!;
  }

  /** Stops deliveries to it at once; what was delivered or dead stays for the record. */
  async remove(actor: Actor, webhookId: string, reason?: string): Promise<void> {
    await this.find(actor, webhookId);
    await this.dataSource.query(`UPDATE webhooks SET deleted_at = now(), deleted_by = $3, delete_reason = $4 WHERE webhook_id = $1 AND clinic_id = $2 AND deleted_at IS NULL`, [
      webhookId,
      actor.clinicId,
      actor.staffId,
      reason ?? null,
    ]);
  }

  async deadLetters(actor: Actor, webhookId: string): Promise<DeadLetterResponse[]> {
    await this.find(actor, webhookId);
    const rows = (await this.dataSource.query(
      `SELECT d.delivery_id, d.message_id, m.type, d.course_id, d.seq::text AS seq, d.attempts, d.last_status, d.last_error, d.dead_at, d.replays, m.payload
       FROM webhook_deliveries d JOIN outbox_messages m ON m.message_id = d.message_id
       WHERE d.webhook_id = $1 AND d.status = 'dead' ORDER BY d.seq LIMIT 1000`,
      [webhookId],
    )) as Array<{
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
    }>;
    return rows.map((r) => {
      const payload = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>;
      return {
      deliveryId: r.delivery_id,
      messageId: r.message_id,
      type: r.type,
      courseId: r.course_id.startsWith('team:') ? null : r.course_id,
      ...(typeof payload.teamId === 'string' ? { teamId: payload.teamId } : {}),
      sequence: Number(r.seq),
      attempts: Number(r.attempts),
      lastStatus: r.last_status === null ? null : Number(r.last_status),
      lastError: r.last_error,
      deadAt: new Date(r.dead_at).toISOString(),
      replays: Number(r.replays),
      payload,
      };
    });
  }

  /** Queues a dead letter again with a fresh set of attempts; later deliveries for its course stay behind it. */
  async replay(actor: Actor, webhookId: string, deliveryId: string, reason?: string): Promise<ReplayResponse> {
    await this.find(actor, webhookId);
    if (!isUuid(deliveryId)) throw ApiError.notFound('dead letter', deliveryId);
    const result = (await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), dead_at = NULL, replays = replays + 1,
         replayed_by = $3, replay_reason = $4
       WHERE delivery_id = $1 AND webhook_id = $2 AND status = 'dead' RETURNING delivery_id`,
      [deliveryId, webhookId, actor.staffId, reason ?? null],
    )) as [unknown[], number] | unknown[];
    const updated = Array.isArray(result[0]) ? (result[0] as unknown[]) : (result as unknown[]);
    if (updated.length > 0) this.logger.log(`Dead letter ${deliveryId} of webhook ${webhookId} replayed by ${actor.staffId}.`);
    if (updated.length === 0) {
      const [row] = (await this.dataSource.query(`SELECT status FROM webhook_deliveries WHERE delivery_id = $1 AND webhook_id = $2`, [deliveryId, webhookId])) as Array<{ status: string }>;
      if (!row) throw ApiError.notFound('dead letter', deliveryId);
      if (row.status === 'pending') return { deliveryId, status: 'pending' }; // replayed already (a retry)
      throw new ApiError(409, 'NOT_A_DEAD_LETTER', 'This delivery is not in the dead letters (it was delivered).', { deliveryId, status: row.status });
    }
    return { deliveryId, status: 'pending' };
  }

  /**
   * Queues every dead letter of the webhook again (fresh attempts), oldest first; within a course or team the
   * order stays, and the deliveries they held back follow them. Answers how many were queued.
   */
  async replayAll(actor: Actor, webhookId: string, reason?: string): Promise<BulkReplayResponse> {
    await this.find(actor, webhookId);
    const result = (await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), dead_at = NULL, replays = replays + 1,
         replayed_by = $2, replay_reason = $3
       WHERE webhook_id = $1 AND status = 'dead' RETURNING delivery_id`,
      [webhookId, actor.staffId, reason ?? null],
    )) as [unknown[], number] | unknown[];
    const updated = Array.isArray(result[0]) ? (result[0] as unknown[]) : (result as unknown[]);
    if (updated.length > 0) this.logger.log(`${updated.length} dead letters of webhook ${webhookId} replayed by ${actor.staffId}.`);
    return { webhookId, replayed: updated.length, status: 'pending' };
  }

  /**
   * A new signing secret. The previous one keeps signing beside it (both signatures on every request) for
   * `previousSecretValidHours` (default WEBHOOK_SECRET_OVERLAP_HOURS), so receivers can switch at their pace.
   * Sending the current secret again changes nothing (a retried request), so a retry never ends the overlap.
   */
  async rotateSecret(actor: Actor, webhookId: string, body: RotateSecretRequest): Promise<RotateSecretResponse> {
    await this.find(actor, webhookId);
    const [row] = (await this.dataSource.query(`SELECT secret_encrypted, previous_secret_until, secret_rotated_at FROM webhooks WHERE webhook_id = $1`, [webhookId])) as Array<{
      secret_encrypted: Buffer;
      previous_secret_until: Date | null;
      secret_rotated_at: Date | null;
    }>;
    const current = this.box.open(Buffer.from(row!.secret_encrypted), webhookId);
    if (current === body.secret) return rotationView(webhookId, row!.secret_rotated_at, row!.previous_secret_until);
    const hours = body.previousSecretValidHours ?? this.config.WEBHOOK_SECRET_OVERLAP_HOURS;
    const result = (await this.dataSource.query(
      `UPDATE webhooks SET secret_encrypted = $2, previous_secret_encrypted = CASE WHEN $4::int > 0 THEN $3::bytea ELSE NULL END,
         previous_secret_until = CASE WHEN $4::int > 0 THEN now() + make_interval(hours => $4::int) ELSE NULL END, secret_rotated_at = now()
       WHERE webhook_id = $1 RETURNING secret_rotated_at, previous_secret_until`,
      [webhookId, this.box.seal(body.secret, webhookId), this.box.seal(current, `${webhookId}:previous`), hours],
    )) as unknown[];
    type Rotated = { secret_rotated_at: Date; previous_secret_until: Date | null };
    const changed = (Array.isArray(result[0]) ? (result[0] as Rotated[])[0] : (result[0] as Rotated | undefined));
    this.logger.log(`Secret of webhook ${webhookId} rotated by ${actor.staffId}; the previous one signs for ${hours} h more.`);
    return rotationView(webhookId, changed?.secret_rotated_at ?? new Date(), changed?.previous_secret_until ?? null);
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
  private checkUrl(raw: string): string {
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

const SELECT_WEBHOOK = `
  SELECT w.webhook_id, w.url, w.event_types, w.description, w.created_by, w.created_at, w.secret_rotated_at,
    CASE WHEN w.previous_secret_until > now() THEN w.previous_secret_until END AS previous_secret_until,
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

function rotationView(webhookId: string, rotatedAt: Date | null, until: Date | null): RotateSecretResponse {
  return {
    webhookId,
    secretRotatedAt: new Date(rotatedAt ?? Date.now()).toISOString(),
    previousSecretSignsUntil: until && new Date(until).getTime() > Date.now() ? new Date(until).toISOString() : null,
  };
}

function invalidUrl(problem: string): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', `Some fields are missing or wrong: url.`, { fields: [{ field: 'url', problems: [problem] }] });
}
