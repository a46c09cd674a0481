import type { Projection } from '#app/projections';
import { auditIndexProjection } from './features/audit/index.js';
import { calendarProjection } from './features/calendars/index.js';
import { capacityOutlookProjection, waitingTimesProjection } from './features/reports/index.js';
import { rosterProjection } from './features/roster/index.js';
import { roomsProjection } from './features/rooms/index.js';
import { teamBoardProjection, teamSummariesProjection } from './features/teams/index.js';
import { outboxProjection } from './features/webhooks/index.js';
import { busyTimesProjection } from './features/schedule/index.js';
import { clinicianDirectoryProjection } from './features/clinicians/index.js';

/** Every read model the API keeps live. Each feature adds its projection here. */
export function allProjections(): Projection[] {
  return [
    roomsProjection(),
    teamSummariesProjection(),
    rosterProjection(),
    calendarProjection(),
    teamBoardProjection(),
    capacityOutlookProjection(),
    waitingTimesProjection(),
    auditIndexProjection(),
    outboxProjection(),
    busyTimesProjection(),
    clinicianDirectoryProjection(),
  ];
}
