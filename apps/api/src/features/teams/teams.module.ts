import { Module } from '@nestjs/common';
import { CliniciansModule } from '../clinicians/clinicians.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { ScheduleModule } from '../schedule/schedule.module.js';
import { TeamServiceRecorder } from './team-service.recorder.js';
import { TeamsController } from './teams.controller.js';
import { TeamsService } from './teams.service.js';

/**
 * Teams (hold): planning, staffing, sessions and attendance. Also brings in the resources teams are built
 * from (clinicians, rooms) and catalogue publishing, so app.module registers this one module.
 */
@Module({
  imports: [CliniciansModule, RoomsModule, ScheduleModule],
  providers: [TeamsService, TeamServiceRecorder],
  controllers: [TeamsController],
  exports: [TeamsService],
})
export class TeamsModule {}
