import { isDomainError, refuse, type Decider } from '../shared/index.js';
import { isInstant } from '../catalogue/calendar.js';
import type { PlanTeam, TeamCommand } from './team.commands.js';
import { holdSeat, lapsedHolds } from './team.decide-holds.js';
import { plan } from './team.decide-planning.js';
import { close, release, reserve } from './team.decide-seats.js';
import { cancelSession, moveSession, recordAttendance } from './team.decide-sessions.js';
import { assign, removeTherapist } from './team.decide-staff.js';
import type { Result } from './team.decide-support.js';
import { acceptOffer, declineOffer, expireOffers, joinWaitlist, leaveWaitlist, offerSeat } from './team.decide-waitlist.js';
import type { TeamEvent } from './team.events.js';
import { evolveTeam, initialTeamState, type PlannedTeam, type TeamState } from './team.state.js';

export function decideTeam(command: TeamCommand, state: TeamState): Result {
  if (!isInstant(command.now)) return refuse('INVALID_TIME', 'The time of the request is not a valid date and time with offset.');
  if (command.type === 'PlanTeam') return plan(command, state);
  if (state.status !== 'planned') return refuse('TEAM_NOT_PLANNED', 'This team has not been planned yet.');
  if (command.teamId !== state.teamId) return refuse('TEAM_MISMATCH', 'The request is for another team.');
  // holds that ran out lapse first, on any write to the team: the command is decided without them
  const lapsed = lapsedHolds(state, command.now);
  if (lapsed.length === 0 || command.type === 'ExpireSeatOffers') return decidePlanned(command, state);
  const decided = decidePlanned(command, lapsed.reduce<TeamState>(evolveTeam, state) as PlannedTeam);
  return isDomainError(decided) ? decided : [...lapsed, ...decided];
}

function decidePlanned(command: Exclude<TeamCommand, PlanTeam>, state: PlannedTeam): Result {
  switch (command.type) {
    case 'AssignTherapist':
      return assign(command, state);
    case 'RemoveTherapist':
      return removeTherapist(command, state);
    case 'ReserveSeat':
      return reserve(command, state);
    case 'ReleaseSeat':
      return release(command, state);
    case 'JoinWaitlist':
      return joinWaitlist(command, state);
    case 'LeaveWaitlist':
      return leaveWaitlist(command, state);
    case 'OfferSeat':
      return offerSeat(command, state);
    case 'AcceptSeatOffer':
      return acceptOffer(command, state);
    case 'DeclineSeatOffer':
      return declineOffer(command, state);
    case 'ExpireSeatOffers':
      return expireOffers(command, state);
    case 'HoldSeat':
      return holdSeat(command, state);
    case 'CloseForLateJoiners':
      return close(command, state);
    case 'CancelSession':
      return cancelSession(command, state);
    case 'MoveSession':
      return moveSession(command, state);
    case 'RecordAttendance':
      return recordAttendance(command, state);
  }
}

export const teamDecider: Decider<TeamCommand, TeamEvent, TeamState> = {
  initialState: () => initialTeamState,
  evolve: evolveTeam,
  decide: decideTeam,
};
