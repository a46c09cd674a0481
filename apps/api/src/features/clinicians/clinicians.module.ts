import { Module } from '@nestjs/common';
import { ClinicianStreams } from './clinician-streams.js';
import { CliniciansController } from './clinicians.controller.js';
import { HistoryImportController } from './history-import/history-import.controller.js';
import { ClinicianHistoryImport } from './history-import/history-import.service.js';

@Module({
  providers: [ClinicianStreams, ClinicianHistoryImport],
  controllers: [CliniciansController, HistoryImportController],
  exports: [ClinicianStreams],
})
export class CliniciansModule {}
