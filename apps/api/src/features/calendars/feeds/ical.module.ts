import { Module } from '@nestjs/common';
import { AuthModule } from '../../../platform/auth/auth.module.js';
import { CatalogueModule } from '../../../platform/catalogue/catalogue.module.js';
import { RosterModule } from '../../roster/index.js';
import { CalendarFeedsController } from './calendar-feeds.controller.js';
import { CalendarFeedsService } from './calendar-feeds.service.js';
import { CreateCalendarFeedHandler } from './commands/create-calendar-feed.handler.js';
import { RevokeCalendarFeedHandler } from './commands/revoke-calendar-feed.handler.js';
import { IcsFeedController } from './ics-feed.controller.js';
import { IcsFeedService } from './ics-feed.service.js';

/**
 * iCalendar feeds (GET /calendars/{clinicians|rooms|teams}/{id}.ics) and their tokens (/calendar-feeds).
 * Import it before CalendarsModule: its `.ics` routes must be matched before `/calendars/…/:id`.
 */
@Module({
  imports: [AuthModule, RosterModule, CatalogueModule],
  providers: [IcsFeedService, CalendarFeedsService, CreateCalendarFeedHandler, RevokeCalendarFeedHandler],
  controllers: [IcsFeedController, CalendarFeedsController],
})
export class IcalModule {}
