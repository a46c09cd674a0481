export * from './course.commands.js';
export * from './course.events.js';
export * from './course.state.js';
export * from './course.decider.js';
export * from './course.queries.js';
export type { ConcreteWindow } from './course.time.js';
