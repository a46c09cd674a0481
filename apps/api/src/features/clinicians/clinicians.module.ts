import { Module } from '@nestjs/common';
import { ClinicianStreams } from './clinician-streams.js';
import { CliniciansController } from './clinicians.controller.js';
import { GrantCompetenceHandler } from './commands/grant-competence.handler.js';
import { RegisterClinicianHandler } from './commands/register-clinician.handler.js';
import { RevokeCompetenceHandler } from './commands/revoke-competence.handler.js';
import { ImportClinicianHistoryHandler } from './history-import/commands/import-clinician-history.handler.js';
import { HistoryImportController } from './history-import/history-import.controller.js';
import { HistoryImportPlanner } from './history-import/history-import.planner.js';

@Module({
  providers: [
    ClinicianStreams,
    HistoryImportPlanner,
    RegisterClinicianHandler,
    GrantCompetenceHandler,
    RevokeCompetenceHandler,
    ImportClinicianHistoryHandler,
  ],
  controllers: [CliniciansController, HistoryImportController],
  exports: [ClinicianStreams],
})
export class CliniciansModule {}
