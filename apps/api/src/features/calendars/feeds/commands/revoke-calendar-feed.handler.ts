import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Clock } from '../../../../platform/clock/clock.js';
import { ApiError } from '../../../../platform/http/api-error.js';
import { isUuid } from '../../../../platform/write-path/new-stream-id.js';
import { ReadAccess } from '../../../roster/index.js';
import { CalendarFeedsService } from '../calendar-feeds.service.js';
import { RevokeCalendarFeed } from './revoke-calendar-feed.command.js';

/** By whoever made the feed, a secretary or an administrator; a feed of another clinic is a 404. */
@CommandHandler(RevokeCalendarFeed)
export class RevokeCalendarFeedHandler implements ICommandHandler<RevokeCalendarFeed> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CalendarFeedsService) private readonly feeds: CalendarFeedsService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ feedId, reason, actor }: RevokeCalendarFeed): Promise<void> {
    const row = isUuid(feedId) ? await this.feeds.row(feedId) : undefined;
    if (!row || row.clinic_id !== actor.clinicId) throw ApiError.notFound('calendar feed', feedId);
    if (row.created_by !== actor.staffId && !ReadAccess.seesEveryone(actor)) {
      throw new ApiError(403, 'FORBIDDEN', 'Only whoever made this feed, a secretary or an administrator can revoke it.', { feedId });
    }
    await this.dataSource.query(
      `UPDATE calendar_feeds SET revoked_at = $4, revoked_by = $2, revoke_reason = $3 WHERE feed_id = $1 AND revoked_at IS NULL`,
      [feedId, actor.staffId, reason ?? null, this.clock.now()],
    );
  }
}
