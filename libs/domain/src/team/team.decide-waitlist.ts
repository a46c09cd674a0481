import { refuse } from '../shared/index.js';
import { toMillis } from '../catalogue/calendar.js';
import type { AcceptSeatOffer, DeclineSeatOffer, ExpireSeatOffers, JoinWaitlist, LeaveWaitlist, OfferSeat } from './team.commands.js';
import { offered, withAutoOffers } from './team.auto-offers.js';
import { lapsedHolds } from './team.decide-holds.js';
import {
  alreadyThere,
  closedRefusal,
  invalidReferralDate,
  notEligible,
  relativesRefusal,
  roomFull,
  type Result,
} from './team.decide-support.js';
import type { TeamEvent } from './team.events.js';
import { freeSeats, isWaitlisted, waitingWithoutOffer } from './team.queries.js';
import type { PlannedTeam } from './team.state.js';

/** The waitlist and the seat offers made from it. */

export function joinWaitlist(command: JoinWaitlist, state: PlannedTeam): Result {
  const refusal =
    alreadyThere(state, command.courseId) ??
    invalidReferralDate(command.referralDate) ??
    closedRefusal(state, command.now) ??
    notEligible(state, command.facts) ??
    (freeSeats(state) > 0 && waitingWithoutOffer(state).length === 0
      ? refuse('SEAT_AVAILABLE', 'There is a free seat on the team; reserve it instead of waiting.')
      : null);
  if (refusal) return refusal;
  return [
    {
      type: 'CourseWaitlisted',
      data: { teamId: state.teamId, courseId: command.courseId, referralDate: command.referralDate, joinedAt: command.now },
    },
  ];
}

export function leaveWaitlist(command: LeaveWaitlist, state: PlannedTeam): Result {
  if (!isWaitlisted(state, command.courseId)) return refuse('NOT_ON_WAITLIST', 'This course is not on the waitlist for the team.');
  if (!command.reason.trim()) return refuse('REASON_REQUIRED', 'Please give a reason for leaving the waitlist.');
  return withAutoOffers(state, command.now, [
    { type: 'CourseLeftWaitlist', data: { teamId: state.teamId, courseId: command.courseId, reason: command.reason, leftAt: command.now } },
  ]);
}

export function offerSeat(command: OfferSeat, state: PlannedTeam): Result {
  const closed = closedRefusal(state, command.now);
  if (closed) return closed;
  if (freeSeats(state) === 0) return refuse('TEAM_FULL', 'There is no free seat to offer.');
  const next = waitingWithoutOffer(state).at(0);
  if (!next) return refuse('WAITLIST_EMPTY', 'No course is waiting for a seat on this team.');
  return [offered(state, next.courseId, command.now)];
}

export function acceptOffer(command: AcceptSeatOffer, state: PlannedTeam): Result {
  const offer = state.offers.find((o) => o.courseId === command.courseId);
  // an offer is made to a waiting course, so its waitlist entry is there while the offer is
  const entry = state.waitlist.find((w) => w.courseId === command.courseId);
  if (!offer || !entry) return refuse('NO_OFFER', 'This course holds no seat offer on the team.');
  if (toMillis(command.now) >= toMillis(offer.expiresAt)) return refuse('OFFER_EXPIRED', `The seat offer expired at ${offer.expiresAt}.`);
  const relatives = command.relatives ?? [];
  // the offer already holds the patient's seat, so only the relatives are extra people in the room
  const refusal =
    closedRefusal(state, command.now) ??
    notEligible(state, command.facts) ??
    relativesRefusal(state, relatives) ??
    roomFull(state, relatives.length);
  if (refusal) return refusal;
  return [
    { type: 'SeatOfferAccepted', data: { teamId: state.teamId, courseId: command.courseId, acceptedAt: command.now } },
    {
      type: 'SeatReserved',
      data: {
        teamId: state.teamId,
        courseId: command.courseId,
        referralDate: entry.referralDate,
        relatives: relatives.length,
        via: 'offer',
        reservedAt: command.now,
      },
    },
  ];
}

export function declineOffer(command: DeclineSeatOffer, state: PlannedTeam): Result {
  if (!state.offers.some((o) => o.courseId === command.courseId)) return refuse('NO_OFFER', 'This course holds no seat offer on the team.');
  return withAutoOffers(state, command.now, [
    {
      type: 'SeatOfferDeclined',
      data: { teamId: state.teamId, courseId: command.courseId, reason: command.reason, declinedAt: command.now },
    },
  ]);
}

export function expireOffers(command: ExpireSeatOffers, state: PlannedTeam): Result {
  const due = state.offers.filter((o) => toMillis(o.expiresAt) <= toMillis(command.now));
  const lapsed = lapsedHolds(state, command.now);
  if (due.length === 0 && lapsed.length === 0) return [];
  return withAutoOffers(state, command.now, [
    ...lapsed,
    ...due.map((o): TeamEvent => ({
      type: 'SeatOfferExpired',
      data: { teamId: state.teamId, courseId: o.courseId, expiresAt: o.expiresAt, expiredAt: command.now },
    })),
  ]);
}
