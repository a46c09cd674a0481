export * from './given-when-then.js';
export * from './present.js';
