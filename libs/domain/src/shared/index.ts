export * from './decider.js';
export * from './domain-error.js';
