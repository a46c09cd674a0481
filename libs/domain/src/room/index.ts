export * from './room.decider.js';
