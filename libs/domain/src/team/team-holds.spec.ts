import { isDomainError, replay } from '../shared/index.js';
import { decideTeam, teamDecider } from './team.decider.js';
import type { TeamCommand } from './team.commands.js';
import type { TeamEvent } from './team.events.js';
import { freeSeats } from './team.queries.js';
import type { PlannedTeam } from './team.state.js';
import { NOW, TEAM, eligibleFor, planned, waitlistedEvent } from './testing/team.fixtures.js';

const FACTS = eligibleFor('NEDTRAPNING');
const LATER = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString().replace('.000Z', 'Z');
const stateOf = (events: TeamEvent[]) => replay(teamDecider, events) as PlannedTeam;
const hold = (courseId: string, now = NOW): TeamCommand => ({
  type: 'HoldSeat',
  teamId: TEAM,
  courseId,
  referralDate: '2024-12-01',
  facts: FACTS,
  holdMinutes: 15,
  now,
});
const reserve = (courseId: string, now = NOW): TeamCommand => ({
  type: 'ReserveSeat',
  teamId: TEAM,
  courseId,
  referralDate: '2024-12-01',
  facts: FACTS,
  now,
});

function decide(events: TeamEvent[], command: TeamCommand): TeamEvent[] {
  const decided = decideTeam(command, stateOf(events));
  if (isDomainError(decided)) throw new Error(`${decided.code}: ${decided.message}`);
  return decided;
}
const refusal = (events: TeamEvent[], command: TeamCommand) => {
  const decided = decideTeam(command, stateOf(events));
  return isDomainError(decided) ? decided.code : 'accepted';
};

/** Seat holds (FHIR Appointment/$hold): a free seat kept for one course for settings.holdMinutes. */
describe('team decider: seat holds', () => {
  const oneSeat = [planned('NEDTRAPNING', { room: { roomId: 'room-1', seats: 1 } })];

  it('a hold takes the seat from everyone else until it lapses, with the reservation’s own checks', () => {
    const held = decide(oneSeat, hold('c1'));
    expect(held).toEqual([
      { type: 'SeatHeld', data: { teamId: TEAM, courseId: 'c1', heldAt: NOW, heldUntil: '2025-01-06T09:15:00+01:00' } },
    ]);
    const events = [...oneSeat, ...held];
    expect(freeSeats(stateOf(events))).toBe(0);
    expect(refusal(events, reserve('c2'))).toBe('TEAM_FULL');
    expect(refusal(events, hold('c2'))).toBe('TEAM_FULL');
    // the same checks as a reservation: an ineligible course cannot hold a seat
    expect(refusal(oneSeat, { ...hold('c3'), facts: {} } as TeamCommand)).toBe('NOT_ELIGIBLE');
    // a retry of the hold keeps the first expiry
    expect(decide(events, hold('c1', LATER(5)))).toEqual([]);
  });

  it('the holder takes its held seat with an ordinary reservation', () => {
    const events = [...oneSeat, ...decide(oneSeat, hold('c1'))];
    const reserved = decide(events, reserve('c1', LATER(10)));
    expect(reserved.map((e) => e.type)).toEqual(['SeatReserved']);
    const after = stateOf([...events, ...reserved]);
    expect(after.holds).toEqual([]);
    expect(after.seats.map((s) => s.courseId)).toEqual(['c1']);
  });

  it('a hold that ran out lapses at the next write, and the seat goes to whoever asks', () => {
    const events = [...oneSeat, ...decide(oneSeat, hold('c1'))];
    const reserved = decide(events, reserve('c2', LATER(16)));
    expect(reserved.map((e) => e.type)).toEqual(['SeatHoldLapsed', 'SeatReserved']);
    // the lapsed holder's booking is then refused like anyone's on a full team
    expect(refusal([...events, ...reserved], reserve('c1', LATER(17)))).toBe('TEAM_FULL');
  });

  it('the offer sweeper lapses a hold and offers the freed seat to the first course waiting', () => {
    // no hold jumps the waitlist: with a course waiting for a free seat, a hold is refused like a reservation
    const full = [...oneSeat, waitlistedEvent('c9', '2024-11-01')];
    expect(refusal(full, hold('c1'))).toBe('WAITLIST_HAS_PRIORITY');
    // held first, then someone joins the waitlist of the (now full) team
    const events = [...oneSeat, ...decide(oneSeat, hold('c1')), waitlistedEvent('c9', '2024-11-01')];
    expect(decide(events, { type: 'ExpireSeatOffers', teamId: TEAM, now: LATER(10) })).toEqual([]);
    const swept = decide(events, { type: 'ExpireSeatOffers', teamId: TEAM, now: LATER(15) });
    expect(swept.map((e) => e.type)).toEqual(['SeatHoldLapsed', 'SeatOffered']);
    expect(swept[1].data).toMatchObject({ courseId: 'c9' });
  });
});
