export * from './cpr.js';
export * from './patient-id.js';
