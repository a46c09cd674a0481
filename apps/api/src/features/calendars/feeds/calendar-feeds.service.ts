import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../../../platform/auth/actor.js';
import { AppConfig } from '../../../platform/config/app-config.js';
import { ApiError } from '../../../platform/http/api-error.js';
import { serverSecret } from '../../webhooks/index.js';
import { ReadAccess } from '../../roster/index.js';
import type { FeedCalendar } from './calendar-feeds.request.js';
import type { CalendarFeedResponse, CreatedCalendarFeedResponse } from './calendar-feeds.response.js';
import { FeedTokens } from './feed-tokens.js';

export interface FeedRow {
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
 * a secretary or an administrator may revoke one; a revoked token opens nothing. Making and revoking one
 * are commands (commands/); this is what they and the feeds read.
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

  async list(actor: Actor): Promise<CalendarFeedResponse[]> {
    const everyone = ReadAccess.seesEveryone(actor);
    const rows = await this.dataSource.query<FeedRow[]>(
      `SELECT * FROM calendar_feeds WHERE clinic_id = $1 AND ($2 OR created_by = $3) ORDER BY created_at, feed_id`,
      [actor.clinicId, everyone, actor.staffId],
    );
    return rows.map(view);
  }

  /** the live feed a token opens, if any (unknown and revoked tokens alike: undefined) */
  async resolve(token: string): Promise<ResolvedFeed | undefined> {
    if (!/^cal_[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const rows = await this.dataSource.query<FeedRow[]>(`SELECT * FROM calendar_feeds WHERE token_sha256 = $1 AND revoked_at IS NULL`, [
      FeedTokens.hash(token),
    ]);
    const row = rows.at(0);
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
      throw new ApiError(
        403,
        'FORBIDDEN',
        `A feed of a ${calendar}'s calendar can be made by a secretary or an administrator; you can make one of your own calendar.`,
        {
          calendar,
          id,
        },
      );
    }
    const sql =
      calendar === 'team'
        ? `SELECT 1 FROM team_boards WHERE team_id = $1 AND clinic_id = $2 UNION ALL SELECT 1 FROM calendar_entries WHERE team_id = $1 AND clinic_id = $2 LIMIT 1`
        : `SELECT 1 FROM rooms WHERE room_id = $1 AND clinic_id = $2 UNION ALL SELECT 1 FROM calendar_entries WHERE room_id = $1 AND clinic_id = $2 LIMIT 1`;
    const found = await this.dataSource.query<unknown[]>(sql, [id, actor.clinicId]);
    if (found.length === 0) throw ApiError.notFound(calendar, id);
  }

  async row(feedId: string): Promise<FeedRow | undefined> {
    const rows = await this.dataSource.query<FeedRow[]>(`SELECT * FROM calendar_feeds WHERE feed_id = $1`, [feedId]);
    return rows[0];
  }

  /** the SHA-256 of the feed's token: all that is stored of it */
  tokenSha256(feedId: string): string {
    return FeedTokens.hash(this.tokens.token(feedId));
  }

  /** a feed as answered to whoever made it: with its token and the path it opens */
  created(row: FeedRow): CreatedCalendarFeedResponse {
    const token = this.tokens.token(row.feed_id);
    return { ...view(row), token, path: `${feedPath(row.calendar, row.target_id)}?token=${token}` };
  }
}

function view(row: FeedRow) {
  return {
    feedId: row.feed_id,
    calendar: row.calendar,
    id: row.target_id,
    ...(row.label ? { label: row.label } : {}),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
  } satisfies CalendarFeedResponse;
}
