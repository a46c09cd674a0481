import { Module } from '@nestjs/common';
import { ClinicianStreams } from './clinician-streams.js';
import { CliniciansController } from './clinicians.controller.js';

@Module({
  providers: [ClinicianStreams],
  controllers: [CliniciansController],
  exports: [ClinicianStreams],
})
export class CliniciansModule {}
