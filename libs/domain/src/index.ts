export * from './shared/index.js';
export * from './catalogue/index.js';
export * from './eligibility/index.js';
export * from './competence/index.js';
export * from './clinician/index.js';
export * from './course/index.js';
export * from './patient/index.js';
export * from './team/index.js';
