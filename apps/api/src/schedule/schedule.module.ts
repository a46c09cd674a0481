import { Module } from '@nestjs/common';
import { ScheduleHolds } from './schedule-holds.js';
import { TeamScheduler } from './team-scheduler.js';

/** Reservations of rooms and staff on the schedule streams (write side) and their busy times (read side). */
@Module({
  providers: [ScheduleHolds, TeamScheduler],
  exports: [ScheduleHolds, TeamScheduler],
})
export class ScheduleModule {}
