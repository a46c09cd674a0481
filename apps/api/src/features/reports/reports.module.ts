import { Module } from '@nestjs/common';
import { RosterModule } from '../roster/index.js';
import { CapacityOutlookService } from './capacity-outlook.service.js';
import { ReportsController } from './reports.controller.js';
import { WaitingTimesService } from './waiting-times.service.js';

/** GET /capacity-outlook and GET /reports/waiting-times (capacity-outlook.v1, team-board.v1 and waiting-times.v1 read models). */
@Module({
  imports: [RosterModule],
  providers: [CapacityOutlookService, WaitingTimesService],
  controllers: [ReportsController],
})
export class ReportsModule {}
