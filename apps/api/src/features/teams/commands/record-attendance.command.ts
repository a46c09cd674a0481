import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { RecordAttendanceRequest } from '../teams.request.js';
import type { SessionState } from '#app/domain';
import type { TeamServiceOutcomeResponse } from '../team.response.js';
import type { TeamWritten } from './team-written.js';

export type AttendanceRecorded = TeamWritten & { readonly session: SessionState; readonly teamService: TeamServiceOutcomeResponse[] };

/** Record attendance for a session, then team service on every assigned therapist's clinician stream. */
export class RecordAttendance extends Command<AttendanceRecorded> {
  constructor(
    readonly teamId: string,
    /** the session number or key of the route */
    readonly n: string,
    readonly input: RecordAttendanceRequest,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
