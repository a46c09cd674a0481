import { isDomainError, refuse } from '../shared/index.js';
import { addMinutes, toMillis } from '../catalogue/calendar.js';
import type { HoldSeat } from './team.commands.js';
import { reserve } from './team.decide-seats.js';
import type { Result } from './team.decide-support.js';
import type { TeamEvent } from './team.events.js';
import type { PlannedTeam } from './team.state.js';

/** Seats a hospital system holds for a course ($hold) until the booking comes or the hold lapses. */

/** the same checks as a reservation; the seat is then held until now + holdMinutes instead of taken */
export function holdSeat(command: HoldSeat, state: PlannedTeam): Result {
  if (!Number.isInteger(command.holdMinutes) || command.holdMinutes < 1 || command.holdMinutes > 1440) {
    return refuse('INVALID_HOLD', 'A hold lasts a whole number of minutes from 1 to 1440.');
  }
  const own = state.holds?.find((h) => h.courseId === command.courseId);
  if (own) return []; // held already (a retry): the first hold's expiry stands
  const decided = reserve({ ...command, type: 'ReserveSeat' }, state);
  if (isDomainError(decided)) return decided;
  return [
    {
      type: 'SeatHeld',
      data: {
        teamId: state.teamId,
        courseId: command.courseId,
        heldAt: command.now,
        heldUntil: addMinutes(command.now, command.holdMinutes, state.rules.timeZone),
      },
    },
  ];
}

export function lapsedHolds(state: PlannedTeam, now: string): TeamEvent[] {
  return (state.holds ?? [])
    .filter((h) => toMillis(h.heldUntil) <= toMillis(now))
    .map((h) => ({ type: 'SeatHoldLapsed', data: { teamId: state.teamId, courseId: h.courseId, heldUntil: h.heldUntil, lapsedAt: now } }));
}
