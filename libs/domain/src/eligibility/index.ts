export * from './criterion.types.js';
export * from './patient-facts.js';
export * from './eligibility.evaluator.js';
