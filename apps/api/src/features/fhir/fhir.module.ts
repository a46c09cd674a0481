import { Module } from '@nestjs/common';
import { CatalogueModule } from '../../platform/catalogue/catalogue.module.js';
import { CoursesModule } from '../courses/courses.module.js';
import { EnrolmentModule } from '../enrolment/enrolment.module.js';
import { RosterModule } from '../roster/roster.module.js';
import { FhirOperationsController } from './fhir-operations.controller.js';
import { FhirSchedulingService } from './fhir-scheduling.service.js';
import { FhirController } from './fhir.controller.js';
import { FhirService } from './fhir.service.js';

/**
 * /fhir: FHIR R4 read and search over the read models (FhirController) and the IHE Scheduling operations
 * Appointment/$find, $hold, $book over the enrolment and appointment write paths (FhirOperationsController).
 */
@Module({
  imports: [RosterModule, CatalogueModule, EnrolmentModule, CoursesModule],
  providers: [FhirService, FhirSchedulingService],
  controllers: [FhirOperationsController, FhirController],
})
export class FhirModule {}
