import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Leadership } from '#app/event-store';
import { Clock } from '../../platform/clock/clock.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { AppendWakeups } from '../../platform/persistence/append-wakeups.js';
import { LEADERSHIP } from '../../platform/persistence/tokens.js';
import { PAYLOAD_VERSION } from './outbound-events.js';
import { signingHeaders } from './webhook-signature.js';
import { WebhookTargets } from './webhook-targets.js';
import { describeFailure, postToWebhook } from './webhook-transport.js';
import { WebhooksService } from './webhooks.service.js';
import type { SecretRow } from './secret-box.js';

export interface DeliveryPolicy {
  /** waits before the 2nd, 3rd, … attempt (WEBHOOK_RETRY_SCHEDULE); after the last attempt a delivery is a dead letter */
  readonly retryDelaysMs: readonly number[];
  /** per request */
  readonly timeoutMs: number;
  /** deliveries sent at once (each to a different course or webhook) */
  readonly concurrency: number;
}

export const DELIVERY_TIMEOUT_MS = 10_000;
export const DELIVERY_CONCURRENCY = 4;

export interface PassResult {
  readonly delivered: number;
  readonly failed: number;
  readonly dead: number;
}

interface DueRow {
  delivery_id: string;
  webhook_id: string;
  message_id: string;
  seq: string;
  attempts: number;
  url: string;
  secret_encrypted: Buffer;
  previous_secret_encrypted: Buffer | null;
  previous_secret_until: Date | null;
  type: string;
  payload: unknown;
}

/** the longest an idle loop waits between passes (nothing pending, or this process is not elected) */
const IDLE_MAX_MS = 60_000;

/**
 * Sends pending webhook deliveries: a background loop (WEBHOOK_DELIVERY_INTERVAL_MS; 0: off), and
 * `runOnce(now)` for tests and operators. The loop passes every interval while there is work; when a
 * pass sent nothing it sleeps until the next retry falls due (at most 60 s), and any append (ours, or
 * another process's via NOTIFY) brings the next pass to within one interval, since the outbox projection
 * may just have queued deliveries for it. With several API processes the loop runs only in the elected
 * one (Persistence: advisory-lock election).
 *
 * Order per course (and per team for team-level events): only the oldest undelivered delivery of each
 * (webhook, ordering key) is ever due; while it fails (and after it became a dead letter, until an
 * administrator replays it) later deliveries for that key to that webhook wait, and every other course,
 * team and webhook goes on. Retries follow WEBHOOK_RETRY_SCHEDULE (default 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 10 h: 8 attempts over 27 h 35 min), so a receiver that is down for a day dead-letters nothing.
 * At most one pass runs at a time across instances (advisory lock), so a delivery is not sent twice by two
 * instances; a crash between a receiver's 2xx and our update sends it again on the next pass
 * (at-least-once: receivers dedupe by the payload `id`, which is also the `webhook-id` header).
 * Every attempt re-checks the target (webhook-target.ts) after DNS and connects to the checked address.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhookDelivery');
  private timer: NodeJS.Timeout | undefined;
  private nextAt = 0;
  /** a pass of the loop is running; `kicked`: kick() came meanwhile */
  private passing = false;
  private kicked = false;
  /** an append came during the loop's pass: the next pass within one interval */
  private soonAfterPass = false;
  private loopPass: Promise<void> = Promise.resolve();
  private readonly unsubscribe: Array<() => void> = [];
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  readonly intervalMs: number;
  policy: DeliveryPolicy;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WebhooksService) private readonly webhooks: WebhooksService,
    @Inject(WebhookTargets) private readonly targets: WebhookTargets,
    @Inject(AppConfig) config: AppConfig,
    @Inject(LEADERSHIP) private readonly leadership: Leadership,
    @Inject(AppendWakeups) private readonly wakeups: AppendWakeups,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.intervalMs = config.WEBHOOK_DELIVERY_INTERVAL_MS;
    this.policy = { retryDelaysMs: config.webhookRetryDelaysMs, timeoutMs: DELIVERY_TIMEOUT_MS, concurrency: DELIVERY_CONCURRENCY };
  }

  get maxAttempts(): number {
    return this.policy.retryDelaysMs.length + 1;
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    if (this.intervalMs <= 0) return;
    this.schedule(this.intervalMs);
    this.unsubscribe.push(
      this.wakeups.on(() => this.soon()),
      this.leadership.onChange((leader) => leader && this.soon()),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribe.splice(0)) off();
    clearTimeout(this.timer);
    await this.loopPass.catch(() => undefined);
    await this.chain.catch(() => undefined);
  }

  /** a replayed dead letter: look soon rather than at the next tick (no-op when the loop is off) */
  kick(): void {
    if (this.intervalMs <= 0 || this.stopped) return;
    if (this.passing)
      this.kicked = true; // the pass running may have looked already: another one right after it
    else this.schedule(0);
  }

  /** the next pass within one interval (unless one is due sooner anyway) */
  private soon(): void {
    if (this.intervalMs <= 0 || this.stopped) return;
    if (this.passing) this.soonAfterPass = true;
    else if (this.nextAt > this.clock.now().getTime() + this.intervalMs) this.schedule(this.intervalMs);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.nextAt = this.clock.now().getTime() + delayMs;
    this.timer = setTimeout(() => {
      if (!this.leadership.isLeader) {
        if (!this.stopped) this.schedule(Math.max(IDLE_MAX_MS, this.intervalMs));
        return;
      }
      this.passing = true;
      this.kicked = false;
      this.soonAfterPass = false;
      this.loopPass = this.runOnce()
        .then((result) => (result.delivered + result.failed + result.dead > 0 ? this.intervalMs : this.idleDelay()))
        .catch((error: unknown) => {
          this.logger.error(`A webhook delivery pass failed: ${error instanceof Error ? error.message : String(error)}`);
          return this.intervalMs;
        })
        .then((next) => {
          this.passing = false;
          if (!this.stopped) this.schedule(this.kicked ? 0 : this.soonAfterPass ? Math.min(next, this.intervalMs) : next);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** nothing was sent: wait until the next retry falls due (between one interval and IDLE_MAX_MS) */
  private async idleDelay(): Promise<number> {
    if (this.stopped) return this.intervalMs;
    const now = this.clock.now();
    const rows = await this.dataSource.query<
      Array<{
        next: Date | string | null;
      }>
    >(`SELECT min(next_attempt_at) AS next FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at > $1`, [now]);
    const row = rows.at(0);
    const longest = Math.max(IDLE_MAX_MS, this.intervalMs);
    if (!row?.next) return longest;
    return Math.min(Math.max(new Date(row.next).getTime() - now.getTime(), this.intervalMs), longest);
  }

  /**
   * One pass: sends every delivery due at `now` (default the clock), then the ones that became due
   * because the delivery before them for the same course just succeeded, until nothing more is due.
   * Passes in this process run one after the other.
   */
  runOnce(now: Date = this.clock.now()): Promise<PassResult> {
    const pass = this.chain.catch(() => undefined).then(() => this.pass(now));
    this.chain = pass;
    return pass;
  }

  /** the secrets that sign at `now`: the current one first, then a rotated-out one until its overlap ends */
  signingSecrets(row: SecretRow, now: Date): string[] {
    const secrets = [this.webhooks.secrets.open(Buffer.from(row.secret_encrypted), row.webhook_id)];
    if (row.previous_secret_encrypted && row.previous_secret_until && new Date(row.previous_secret_until).getTime() > now.getTime()) {
      secrets.push(this.webhooks.secrets.open(Buffer.from(row.previous_secret_encrypted), `${row.webhook_id}:previous`));
    }
    return secrets;
  }

  /**
   * One signed POST through the target checks (shared with the test ping). Resolves with the HTTP status,
   * rejects with the reason (refused target, timeout, connection error).
   */
  async send(url: string, row: SecretRow, messageId: string, type: string, deliveryId: string, body: string, now: Date): Promise<number> {
    const secrets = this.signingSecrets(row, now);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const { status } = await postToWebhook(
      url,
      {
        'content-type': 'application/json',
        'user-agent': 'group-course-scheduler-webhooks/1',
        'x-webhook-id': row.webhook_id,
        'x-webhook-delivery': deliveryId,
        'x-webhook-event': type,
        ...signingHeaders(secrets, messageId, timestamp, body),
      },
      body,
      { policy: this.targets.policy, resolver: this.targets.resolver, timeoutMs: this.policy.timeoutMs },
    );
    return status;
  }

  private async pass(now: Date): Promise<PassResult> {
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    const totals = { delivered: 0, failed: 0, dead: 0 };
    try {
      const [{ locked }] = (await lock.query(
        `SELECT pg_try_advisory_lock(hashtext('webhook-delivery:' || current_schema())) AS locked`,
      )) as Array<{ locked: boolean }>;
      if (!locked) return totals; // another instance is delivering
      try {
        for (let round = 0; round < 1000; round++) {
          const due = await this.due(now);
          if (due.length === 0) break;
          let progressed = false;
          for (let i = 0; i < due.length; i += this.policy.concurrency) {
            const results = await Promise.all(due.slice(i, i + this.policy.concurrency).map((row) => this.deliver(row, now)));
            for (const r of results) {
              totals[r]++;
              if (r === 'delivered') progressed = true;
            }
          }
          if (!progressed) break;
        }
      } finally {
        await lock.query(`SELECT pg_advisory_unlock(hashtext('webhook-delivery:' || current_schema()))`);
      }
    } finally {
      await lock.release();
    }
    return totals;
  }

  /** the head of each (webhook, ordering key) queue, if it is due */
  private due(now: Date): Promise<DueRow[]> {
    return this.dataSource.query<DueRow[]>(
      `SELECT d.delivery_id, d.webhook_id, d.message_id, d.seq::text AS seq, d.attempts, w.url, w.secret_encrypted,
              w.previous_secret_encrypted, w.previous_secret_until, m.type, m.payload
       FROM webhook_deliveries d
       JOIN webhooks w ON w.webhook_id = d.webhook_id AND w.deleted_at IS NULL
       JOIN outbox_messages m ON m.message_id = d.message_id
       WHERE d.status = 'pending' AND d.next_attempt_at <= $1
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                         WHERE e.webhook_id = d.webhook_id AND e.course_id = d.course_id AND e.seq < d.seq AND e.status <> 'delivered')
       ORDER BY d.seq LIMIT 200`,
      [now],
    );
  }

  private async deliver(row: DueRow, now: Date): Promise<'delivered' | 'failed' | 'dead'> {
    const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>;
    const body = JSON.stringify({ version: PAYLOAD_VERSION, ...payload, sequence: Number(row.seq) });
    let status: number | null = null;
    let error: string;
    try {
      status = await this.send(row.url, row, row.message_id, row.type, row.delivery_id, body, now);
      if (status >= 200 && status < 300) {
        await this.dataSource.query(
          `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_attempt_at = $2, last_status = $3, last_error = NULL, delivered_at = $2
           WHERE delivery_id = $1`,
          [row.delivery_id, now, status],
        );
        return 'delivered';
      }
      error = status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`;
    } catch (e) {
      error = describeFailure(e);
    }
    const attempts = row.attempts + 1;
    const dead = attempts >= this.maxAttempts;
    const delays = this.policy.retryDelaysMs;
    const delay = delays[Math.min(attempts - 1, delays.length - 1)] ?? 0;
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET attempts = $2, last_attempt_at = $3, last_status = $4, last_error = $5,
         status = CASE WHEN $6 THEN 'dead' ELSE 'pending' END, dead_at = CASE WHEN $6 THEN $3::timestamptz ELSE NULL END, next_attempt_at = $7
       WHERE delivery_id = $1`,
      [row.delivery_id, attempts, now, status, error, dead, new Date(now.getTime() + delay)],
    );
    if (dead)
      this.logger.warn(`Webhook ${row.webhook_id}: delivery ${row.delivery_id} is a dead letter after ${attempts} attempts (${error}).`);
    return dead ? 'dead' : 'failed';
  }
}
