import { Module } from '@nestjs/common';
import { PatientCourses } from './patient-courses.js';
import { PatientIdentityService } from './patient-identity.service.js';

/** The protected patient table (CPR number encrypted, found by keyed hash). No routes: patients are reached through courses. */
@Module({
  providers: [PatientIdentityService, PatientCourses],
  exports: [PatientIdentityService, PatientCourses],
})
export class PatientsModule {}
