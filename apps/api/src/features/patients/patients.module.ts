import { Module } from '@nestjs/common';
import { PatientCourses } from './patient-courses.js';
import { PatientIdentityService } from './patient-identity.service.js';
import { PatientSearchController } from './patient-search.controller.js';
import { PatientSearch } from './patient-search.query.js';

/** The protected patient table (CPR number encrypted, found by keyed hash), the patient's course index, and POST /patients/search. */
@Module({
  providers: [PatientIdentityService, PatientCourses, PatientSearch],
  controllers: [PatientSearchController],
  exports: [PatientIdentityService, PatientCourses],
})
export class PatientsModule {}
