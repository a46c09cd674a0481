import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../../../platform/auth/actor.js';
import type { CreateCalendarFeedRequest } from '../calendar-feeds.request.js';
import type { CreatedCalendarFeedResponse } from '../calendar-feeds.response.js';

/** Make a secret link to a calendar's iCalendar feed (a row in `calendar_feeds`; only the token's hash is stored). */
export class CreateCalendarFeed extends Command<CreatedCalendarFeedResponse> {
  constructor(
    readonly input: CreateCalendarFeedRequest,
    /** derived from the Idempotency-Key when one is sent, so a retry answers with the same feed and token */
    readonly feedId: string,
    readonly actor: Actor,
  ) {
    super();
  }
}
