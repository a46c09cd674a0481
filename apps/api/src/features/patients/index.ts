/** The patients feature's public surface: other features import only from here. */
export { PatientsModule } from './patients.module.js';
export { PatientIdentityService, type PatientIdentity } from './patient-identity.service.js';
export { PatientCourses, type PatientCourse } from './patient-courses.js';
