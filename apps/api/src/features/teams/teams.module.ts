import { Module } from '@nestjs/common';
import { CliniciansModule } from '../clinicians/index.js';
import { RoomsModule } from '../rooms/index.js';
import { ScheduleModule } from '../schedule/index.js';
import { AssignTherapistHandler } from './commands/assign-therapist.handler.js';
import { CancelSessionHandler } from './commands/cancel-session.handler.js';
import { MoveSessionHandler } from './commands/move-session.handler.js';
import { PlanTeamHandler } from './commands/plan-team.handler.js';
import { RecordAttendanceHandler } from './commands/record-attendance.handler.js';
import { RemoveTherapistHandler } from './commands/remove-therapist.handler.js';
import { TeamServiceRecorder } from './team-service.recorder.js';
import { TeamStreams } from './team-streams.js';
import { TeamsController } from './teams.controller.js';
import { TeamsQuery } from './teams.query.js';

/**
 * Teams (hold): planning, staffing, sessions and attendance, each a command with its handler (commands/),
 * reserving room and staff through the schedule feature's TeamScheduler. Also brings in the resources teams
 * are built from (clinicians, rooms), so app.module registers this one module.
 */
@Module({
  imports: [CliniciansModule, RoomsModule, ScheduleModule],
  providers: [
    TeamStreams,
    TeamsQuery,
    TeamServiceRecorder,
    PlanTeamHandler,
    AssignTherapistHandler,
    RemoveTherapistHandler,
    CancelSessionHandler,
    MoveSessionHandler,
    RecordAttendanceHandler,
  ],
  controllers: [TeamsController],
  exports: [TeamStreams],
})
export class TeamsModule {}
