export * from './projection.js';
export * from './projection-runner.js';
