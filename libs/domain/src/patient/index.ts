export * from './cpr.js';
export * from './patient-id.js';
export * from './patient-courses.decider.js';
