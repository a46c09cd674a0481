import { Module } from '@nestjs/common';
import { CliniciansModule } from '../clinicians/index.js';
import { RoomsModule } from '../rooms/index.js';
import { BusyController } from './busy.controller.js';
import { BusyTimesService } from './busy-times.service.js';
import { ScheduleHolds } from './schedule-holds.js';
import { TeamScheduler } from './team-scheduler.js';
import { TeamSuggestionsService } from './team-suggestions.service.js';

/** Reservations of rooms and staff on the schedule streams (write side) and their busy times (read side). */
@Module({
  imports: [CliniciansModule, RoomsModule],
  providers: [ScheduleHolds, TeamScheduler, BusyTimesService, TeamSuggestionsService],
  controllers: [BusyController],
  exports: [ScheduleHolds, TeamScheduler, BusyTimesService, TeamSuggestionsService],
})
export class ScheduleModule {}
