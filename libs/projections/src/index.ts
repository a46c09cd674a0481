export * from './projection.js';
export * from './projection-runner.js';
export * from './stream-guard.js';
export * from './rebuild.js';
export * from './rows.js';
export * from './shared-log-reader.js';
