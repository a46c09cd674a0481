import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { RosterModule } from '../roster/roster.module.js';
import { FhirController } from './fhir.controller.js';
import { FhirService } from './fhir.service.js';

/** GET /fhir/metadata, /fhir/Appointment, /fhir/Schedule, /fhir/Slot: FHIR R4 search over the read models. */
@Module({
  imports: [RosterModule, CatalogueModule],
  providers: [FhirService],
  controllers: [FhirController],
})
export class FhirModule {}
