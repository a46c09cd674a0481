import { addHours } from '../catalogue/calendar.js';
import type { TeamEvent } from './team.events.js';
import { freeSeats, isClosedForLateJoiners, waitingWithoutOffer } from './team.queries.js';
import { evolveTeam, type PlannedTeam, type TeamState } from './team.state.js';

export function offered(state: PlannedTeam, courseId: string, now: string): TeamEvent {
  return {
    type: 'SeatOffered',
    data: { teamId: state.teamId, courseId, offeredAt: now, expiresAt: addHours(now, state.rules.offerHoldHours, state.rules.timeZone) },
  };
}

/**
 * A seat freed by a release, a decline, an expiry or a course leaving goes to the next waiting course at
 * once when the catalogue says so (`settings.waitlist.autoOfferFreedSeats`) and the team still takes new patients.
 */
export function withAutoOffers(state: PlannedTeam, now: string, events: TeamEvent[]): TeamEvent[] {
  if (!state.rules.autoOfferFreedSeats) return events;
  let next = events.reduce<TeamState>(evolveTeam, state) as PlannedTeam;
  const result = [...events];
  while (!isClosedForLateJoiners(next, now) && freeSeats(next) > 0) {
    const head = waitingWithoutOffer(next).at(0);
    if (!head) break;
    const offer = offered(next, head.courseId, now);
    result.push(offer);
    next = evolveTeam(next, offer) as PlannedTeam;
  }
  return result;
}
