import { Module } from '@nestjs/common';
import { CatalogueModule } from '../../platform/catalogue/catalogue.module.js';
import { CoursesModule } from '../courses/index.js';
import { EnrolmentModule } from '../enrolment/index.js';
import { RosterModule } from '../roster/index.js';
import { HoldTeamSeatHandler } from './commands/hold-team-seat.handler.js';
import { FhirOperationsController } from './fhir-operations.controller.js';
import { FhirSchedulingService } from './fhir-scheduling.service.js';
import { FhirController } from './fhir.controller.js';
import { FhirService } from './fhir.service.js';

/**
 * /fhir: FHIR R4 read and search over the read models (FhirController) and the IHE Scheduling operations
 * Appointment/$find, $hold, $book dispatching the enrolment and appointment commands (FhirOperationsController).
 */
@Module({
  imports: [RosterModule, CatalogueModule, EnrolmentModule, CoursesModule],
  providers: [FhirService, FhirSchedulingService, HoldTeamSeatHandler],
  controllers: [FhirOperationsController, FhirController],
})
export class FhirModule {}
