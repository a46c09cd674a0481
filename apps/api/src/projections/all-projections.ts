import type { Projection } from '#app/projections';
import { auditIndexProjection } from '../audit/audit-index.projection.js';
import { calendarProjection } from '../calendars/calendar.projection.js';
import { capacityOutlookProjection } from '../reports/capacity-outlook.projection.js';
import { waitingTimesProjection } from '../reports/waiting-times.projection.js';
import { rosterProjection } from '../roster/roster.projection.js';
import { teamBoardProjection } from '../team-board/team-board.projection.js';
import { roomsProjection } from '../rooms/rooms.projection.js';
import { teamSummariesProjection } from '../teams/team-summaries.projection.js';
import { outboxProjection } from '../outbox/outbox.projection.js';
import { busyTimesProjection } from '../schedule/busy-times.projection.js';
import { clinicianDirectoryProjection } from '../clinicians/clinician-directory.projection.js';

/** Every read model the API keeps live. Each feature adds its projection here. */
export function allProjections(): Projection[] {
  return [roomsProjection(), teamSummariesProjection(), rosterProjection(), calendarProjection(), teamBoardProjection(), capacityOutlookProjection(), waitingTimesProjection(), auditIndexProjection(), outboxProjection(), busyTimesProjection(), clinicianDirectoryProjection()];
}
