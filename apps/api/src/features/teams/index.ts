// The teams feature's public surface: other features import from here only.
export { TeamsModule } from './teams.module.js';
export { TeamBoardModule } from './board/team-board.module.js';
export { teamBoardProjection } from './board/team-board.projection.js';
export { teamSummariesProjection } from './team-summaries.projection.js';
export { TEAM_EVENT_TYPES, teamView } from './team-view.js';
export { TEAM_STATE_SQL } from './stored-team-state.js';
export { TeamResponse } from './team.response.js';
