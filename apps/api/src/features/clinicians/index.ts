// The clinicians feature's public surface: other features import from here only.
export { CliniciansModule } from './clinicians.module.js';
export { ClinicianStreams, type ClinicianDecider } from './clinician-streams.js';
export { FailedRuleResponse } from './clinician.response.js';
export { clinicianDirectoryProjection } from './clinician-directory.projection.js';
