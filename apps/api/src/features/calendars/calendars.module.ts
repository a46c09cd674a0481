import { Module } from '@nestjs/common';
import { RosterModule } from '../roster/index.js';
import { CalendarService } from './calendar.service.js';
import { CalendarsController } from './calendars.controller.js';

/** GET /calendars/{clinicians|rooms|teams|courses}/{id}: JSON calendars from the calendars.v1 read model. */
@Module({
  imports: [RosterModule],
  providers: [CalendarService],
  controllers: [CalendarsController],
  exports: [CalendarService],
})
export class CalendarsModule {}
