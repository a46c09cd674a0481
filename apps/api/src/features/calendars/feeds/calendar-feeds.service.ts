import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../../../platform/auth/actor.js';
import { AppConfig } from '../../../platform/config/app-config.js';
import { ApiError } from '../../../platform/http/api-error.js';
import { serverSecret } from '../../webhooks/webhooks.service.js';
import { ReadAccess } from '../../roster/read-access.js';
import { isUuid } from '../../../platform/write-path/new-stream-id.js';
import type { CalendarFeedResponse, CreateCalendarFeedRequest, CreatedCalendarFeedResponse, FeedCalendar } from './calendar-feeds.dto.js';
import { FeedTokens } from './feed-tokens.js';

interface FeedRow {
  feed_id: string;
  clinic_id: string;
  calendar: FeedCalendar;
  target_id: string;
  label: string | null;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

/** A live feed a token opens. */
export interface ResolvedFeed {
  readonly feedId: string;
  readonly clinicId: string;
  readonly calendar: FeedCalendar;
  readonly targetId: string;
}

export const feedPath = (calendar: FeedCalendar, id: string): string => `/calendars/${calendar}s/${encodeURIComponent(id)}.ics`;

/**
 * Per-feed secret tokens for the iCalendar feeds (calendar_feeds). A clinician may make feeds of their own
 * calendar; secretaries and administrators of any clinician, room or team of their clinic. The creator,
 * a secretary or an administrator may revoke one; a revoked token opens nothing.
 */
@Injectable()
export class CalendarFeedsService {
  private readonly tokens: FeedTokens;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ReadAccess) private readonly access: ReadAccess,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.tokens = new FeedTokens(serverSecret(config));
  }

  async create(actor: Actor, body: CreateCalendarFeedRequest, feedId: string): Promise<CreatedCalendarFeedResponse> {
    const existing = await this.row(feedId);
    if (existing) {
      // a retry with the same Idempotency-Key: the same feed and token, or a refusal for a different request
      if (existing.clinic_id !== actor.clinicId || existing.created_by !== actor.staffId || existing.calendar !== body.calendar || existing.target_id !== body.id) {
        throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request. Use a new key for a new request.');
      }
      return this.created(existing);
    }
    await this.authorise(actor, body.calendar, body.id, 'create');
    const token = this.tokens.token(feedId);
    await this.dataSource.query(
      `INSERT INTO calendar_feeds (feed_id, clinic_id, calendar, target_id, token_sha256, label, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
      [feedId, actor.clinicId, body.calendar, body.id, FeedTokens.hash(token), body.label ?? null, actor.staffId],
    );
    return this.created((await this.row(feedId))!);
  }

  async list(actor: Actor): Promise<CalendarFeedResponse[]> {
    const everyone = ReadAccess.seesEveryone(actor);
    const rows = (await this.dataSource.query(
      `SELECT * FROM calendar_feeds WHERE clinic_id = $1 AND ($2 OR created_by = $3) ORDER BY created_at, feed_id`,
      [actor.clinicId, everyone, actor.staffId],
    )) as FeedRow[];
    return rows.map(view);
  }

  async revoke(actor: Actor, feedId: string, reason?: string): Promise<void> {
    const row = isUuid(feedId) ? await this.row(feedId) : undefined;
    if (!row || row.clinic_id !== actor.clinicId) throw ApiError.notFound('calendar feed', feedId);
    if (row.created_by !== actor.staffId && !ReadAccess.seesEveryone(actor)) {
      throw new ApiError(403, 'FORBIDDEN', 'Only whoever made this feed, a secretary or an administrator can revoke it.', { feedId });
    }
    await this.dataSource.query(`UPDATE calendar_feeds SET revoked_at = now(), revoked_by = $2, revoke_reason = $3 WHERE feed_id = $1 AND revoked_at IS NULL`, [
      feedId,
      actor.staffId,
      reason ?? null,
    ]);
  }

  /** the live feed a token opens, if any (unknown and revoked tokens alike: undefined) */
  async resolve(token: string): Promise<ResolvedFeed | undefined> {
    if (!/^cal_[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const rows = (await this.dataSource.query(`SELECT * FROM calendar_feeds WHERE token_sha256 = $1 AND revoked_at IS NULL`, [FeedTokens.hash(token)])) as FeedRow[];
    const row = rows[0];
    return row ? { feedId: row.feed_id, clinicId: row.clinic_id, calendar: row.calendar, targetId: row.target_id } : undefined;
  }

  /**
   * Who may see (`read`, bearer token) or make a feed of (`create`) a calendar: a clinician's own, anyone's
   * for secretaries and administrators; rooms and teams of the clinic for any staff member reading, for
   * secretaries and administrators making feeds. 404 when it is not in the caller's clinic.
   */
  async authorise(actor: Actor, calendar: FeedCalendar, id: string, use: 'read' | 'create'): Promise<void> {
    if (calendar === 'clinician') return this.access.requireClinicianView(actor, id, 'calendar');
    if (use === 'create' && !ReadAccess.seesEveryone(actor)) {
      throw new ApiError(403, 'FORBIDDEN', `A feed of a ${calendar}'s calendar can be made by a secretary or an administrator; you can make one of your own calendar.`, {
        calendar,
        id,
      });
    }
    const sql =
      calendar === 'team'
        ? `SELECT 1 FROM team_boards WHERE team_id = $1 AND clinic_id = $2 UNION ALL SELECT 1 FROM calendar_entries WHERE team_id = $1 AND clinic_id = $2 LIMIT 1`
        : `SELECT 1 FROM rooms WHERE room_id = $1 AND clinic_id = $2 UNION ALL SELECT 1 FROM calendar_entries WHERE room_id = $1 AND clinic_id = $2 LIMIT 1`;
    const found = (await this.dataSource.query(sql, [id, actor.clinicId])) as unknown[];
    if (found.length === 0) throw ApiError.notFound(calendar, id);
  }

  private async row(feedId: string): Promise<FeedRow | undefined> {
    const rows = (await this.dataSource.query(`SELECT * FROM calendar_feeds WHERE feed_id = $1`, [feedId])) as FeedRow[];
    return rows[0];
  }

  private created(row: FeedRow): CreatedCalendarFeedResponse {
    const token = this.tokens.token(row.feed_id);
    return { ...view(row), token, path: `${feedPath(row.calendar, row.target_id)}?token=${token}` };
  }
}

function view(row: FeedRow): CalendarFeedResponse {
  return {
    feedId: row.feed_id,
    calendar: row.calendar,
    id: row.target_id,
    ...(row.label ? { label: row.label } : {}),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
  };
}
