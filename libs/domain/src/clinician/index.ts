export * from './clinician.events.js';
export * from './clinician.commands.js';
export * from './clinician.decider.js';
