export * from './competence.types.js';
export * from './competence.evaluator.js';
