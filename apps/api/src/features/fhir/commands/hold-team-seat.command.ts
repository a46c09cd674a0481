import { Command } from '@nestjs/cqrs';
import type { PlannedTeam } from '#app/domain';
import type { Position } from '#app/event-store';
import type { LoadedCourse } from '../../enrolment/index.js';
import type { WriteContext } from '../../../platform/write-path/write-context.js';

export interface TeamSeatHeld {
  readonly team: PlannedTeam;
  /** when the hold lapses */
  readonly heldUntil: string;
  readonly revision: number;
  readonly position?: Position;
}

/**
 * Hold a seat on a team for a course for `holdMinutes` (FHIR Appointment/$hold): SeatHeld on the team
 * stream with the enrolment's own checks; ReserveSeat by the course ($book, POST /courses/{id}/enrolments)
 * takes it, otherwise it lapses.
 */
export class HoldTeamSeat extends Command<TeamSeatHeld> {
  constructor(
    readonly teamId: string,
    readonly course: LoadedCourse,
    readonly holdMinutes: number,
    readonly reason: string | undefined,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
