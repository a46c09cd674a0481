// The schedule feature's public surface: other features import from here only.
export { ScheduleModule } from './schedule.module.js';
export { TeamScheduler, teamHolder, type Holder } from './team-scheduler.js';
export { ScheduleHolds } from './schedule-holds.js';
export { scheduleClashError, type FoundClash } from './schedule-clash.js';
export { ApiScheduleClash } from './schedule.openapi.js';
export { TeamSuggestionsService } from './team-suggestions.service.js';
export { TeamSuggestionsQuery } from './suggestions.request.js';
export { TeamSuggestionsResponse } from './suggestions.response.js';
export { busyTimesProjection } from './busy-times.projection.js';
