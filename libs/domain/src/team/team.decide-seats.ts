import { refuse } from '../shared/index.js';
import type { CloseForLateJoiners, ReleaseSeat, ReserveSeat } from './team.commands.js';
import { withAutoOffers } from './team.auto-offers.js';
import {
  alreadyThere,
  closedRefusal,
  invalidReferralDate,
  notEligible,
  relativesRefusal,
  roomFull,
  type Result,
} from './team.decide-support.js';
import { freeSeats, isOnTeam, waitingWithoutOffer } from './team.queries.js';
import type { PlannedTeam } from './team.state.js';

/** Taking and giving back a seat, and closing the team to new patients. */

export function reserve(command: ReserveSeat, held: PlannedTeam): Result {
  // the course's own hold is the seat it takes: the checks below run without it
  const state: PlannedTeam = held.holds?.some((h) => h.courseId === command.courseId)
    ? { ...held, holds: held.holds.filter((h) => h.courseId !== command.courseId) }
    : held;
  const relatives = command.relatives ?? [];
  const refusal =
    alreadyThere(state, command.courseId) ??
    invalidReferralDate(command.referralDate) ??
    closedRefusal(state, command.now) ??
    notEligible(state, command.facts) ??
    relativesRefusal(state, relatives) ??
    (waitingWithoutOffer(state).length > 0 && freeSeats(state) > 0
      ? refuse('WAITLIST_HAS_PRIORITY', 'Courses are waiting for this team; the free seat goes to the first in line.')
      : null) ??
    (freeSeats(state) === 0
      ? refuse('TEAM_FULL', `All ${state.capacity} seats on the team are taken; the course can join the waitlist.`)
      : null) ??
    roomFull(state, 1 + relatives.length);
  if (refusal) return refusal;
  return [
    {
      type: 'SeatReserved',
      data: {
        teamId: state.teamId,
        courseId: command.courseId,
        referralDate: command.referralDate,
        relatives: relatives.length,
        via: 'direct',
        reservedAt: command.now,
      },
    },
  ];
}

export function release(command: ReleaseSeat, state: PlannedTeam): Result {
  if (!isOnTeam(state, command.courseId)) return refuse('SEAT_NOT_FOUND', 'This course has no seat on the team.');
  if (!command.reason.trim()) return refuse('REASON_REQUIRED', 'Please give a reason for releasing the seat.');
  return withAutoOffers(state, command.now, [
    { type: 'SeatReleased', data: { teamId: state.teamId, courseId: command.courseId, reason: command.reason, releasedAt: command.now } },
  ]);
}

/** Open offers stay until they expire, but can no longer be accepted once the team is closed. */
export function close(command: CloseForLateJoiners, state: PlannedTeam): Result {
  if (state.closedForLateJoiners) return refuse('ALREADY_CLOSED', 'The team is already closed for late joiners.');
  if (!command.reason.trim()) return refuse('REASON_REQUIRED', 'Please give a reason for closing the team.');
  return [{ type: 'TeamClosedForLateJoiners', data: { teamId: state.teamId, reason: command.reason, closedAt: command.now } }];
}
