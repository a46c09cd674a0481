export * from './team.events.js';
export * from './team.commands.js';
export * from './team.state.js';
export * from './team.queries.js';
export { decideTeam, teamDecider } from './team.decider.js';
export { sessionsOf } from './team.decide-planning.js';
