import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Clock } from '../../../../platform/clock/clock.js';
import { ApiError } from '../../../../platform/http/api-error.js';
import type { CreatedCalendarFeedResponse } from '../calendar-feeds.response.js';
import { CalendarFeedsService } from '../calendar-feeds.service.js';
import { CreateCalendarFeed } from './create-calendar-feed.command.js';

@CommandHandler(CreateCalendarFeed)
export class CreateCalendarFeedHandler implements ICommandHandler<CreateCalendarFeed> {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CalendarFeedsService) private readonly feeds: CalendarFeedsService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ input, feedId, actor }: CreateCalendarFeed): Promise<CreatedCalendarFeedResponse> {
    const existing = await this.feeds.row(feedId);
    if (existing) {
      // a retry with the same Idempotency-Key: the same feed and token, or a refusal for a different request
      if (
        existing.clinic_id !== actor.clinicId ||
        existing.created_by !== actor.staffId ||
        existing.calendar !== input.calendar ||
        existing.target_id !== input.id
      ) {
        throw new ApiError(
          422,
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
        );
      }
      return this.feeds.created(existing);
    }
    await this.feeds.authorise(actor, input.calendar, input.id, 'create');
    await this.dataSource.query(
      `INSERT INTO calendar_feeds (feed_id, clinic_id, calendar, target_id, token_sha256, label, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        feedId,
        actor.clinicId,
        input.calendar,
        input.id,
        this.feeds.tokenSha256(feedId),
        input.label ?? null,
        actor.staffId,
        this.clock.now(),
      ],
    );
    const row = await this.feeds.row(feedId);
    if (!row) throw new Error(`calendar feed ${feedId}: not found right after its insert`);
    return this.feeds.created(row);
  }
}
