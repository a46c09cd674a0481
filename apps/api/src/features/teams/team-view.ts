import type { RecordedEvent } from '#app/event-store';
import { streamEntityId } from '#app/projections';
import {
  attendanceCount,
  evolveTeam,
  initialTeamState,
  freeSeats,
  isClosedForLateJoiners,
  isHeld,
  lateJoinCutoff,
  seatsTaken,
  staffRuleFailures,
  toMillis,
  type FailedCriterion,
  type PlannedTeam,
  type SessionState,
  type TeamState,
  type TeamEvent,
} from '#app/domain';
import type { SessionResponse, TeamResponse } from './team.response.js';

export type TeamStatus = 'planned' | 'closed' | 'cancelled' | 'completed';

/** every event type a team stream holds (the projection ignores anything else) */
export const TEAM_EVENT_TYPES: ReadonlySet<string> = new Set<TeamEvent['type']>([
  'TeamPlanned',
  'TherapistAssigned',
  'TherapistRemoved',
  'SeatReserved',
  'SeatReleased',
  'CourseWaitlisted',
  'CourseLeftWaitlist',
  'SeatOffered',
  'SeatOfferAccepted',
  'SeatOfferDeclined',
  'SeatOfferExpired',
  'SeatHeld',
  'SeatHoldLapsed',
  'TeamClosedForLateJoiners',
  'SessionCancelled',
  'SessionMoved',
  'AttendanceRecorded',
]);

/**
 * From the stream alone (no clock): `cancelled` when every session is cancelled, `completed` when every
 * session not cancelled has been held (attendance recorded), `closed` when closed for late joiners by
 * hand, else `planned`. The late-join cut-off passing is a matter of time: readers compare
 * `late_join_cutoff` with now.
 */
export function teamStatus(state: PlannedTeam): TeamStatus {
  const open = state.sessions.filter((s) => s.cancelled === null);
  if (open.length === 0) return 'cancelled';
  if (open.every(isHeld)) return 'completed';
  if (state.closedForLateJoiners !== null) return 'closed';
  return 'planned';
}

/** sessions not cancelled (all of them when every one is), for first/last session times */
export function activeSessions(state: PlannedTeam): readonly SessionState[] {
  const open = state.sessions.filter((s) => s.cancelled === null);
  return open.length > 0 ? open : state.sessions;
}

/** The staff rule at every session still to be held (or at `now` when none is left). */
export function staffRuleView(state: PlannedTeam, now: string): TeamResponse['staffRule'] {
  const upcoming = state.sessions.filter((s) => s.cancelled === null && !isHeld(s)).map((s) => s.startsAt);
  const times = upcoming.length > 0 ? upcoming : [now];
  const seen = new Set<string>();
  const failures: FailedCriterion[] = times
    .flatMap((t) => staffRuleFailures(state, t))
    .filter((f) => !seen.has(f.code) && (seen.add(f.code), true));
  return {
    holds: failures.length === 0,
    roles: state.programme.staff.roles.map((r) => ({
      role: r.role,
      required: r.count,
      assigned: state.therapists.filter((t) => t.role === r.role).length,
    })),
    failures,
  };
}

export function sessionView(state: PlannedTeam, session: SessionState): SessionResponse {
  const entries = Object.values(session.attendance);
  const counts = attendanceCount(session);
  return {
    number: state.sessions.findIndex((s) => s.key === session.key) + 1,
    key: session.key,
    kind: session.kind,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    durationMinutes: session.durationMinutes,
    room: { ...session.room },
    status: session.cancelled ? 'cancelled' : isHeld(session) ? 'held' : 'planned',
    cancelled: session.cancelled ? { ...session.cancelled } : null,
    staffRuleHolds: staffRuleFailures(state, session.startsAt).length === 0,
    attendance: {
      patients: counts.patients,
      relatives: counts.relatives,
      noShows: entries.filter((e) => e.status === 'noShow').length,
      entries: entries.map((e) => ({
        courseId: e.courseId,
        status: e.status === 'noShow' ? 'no_show' : 'attended',
        relativesPresent: e.relativesPresent,
      })),
    },
  };
}

export function teamView(state: PlannedTeam, revision: number, now: string): TeamResponse {
  const offerOf = new Map(state.offers.map((o) => [o.courseId, o]));
  return {
    teamId: state.teamId,
    clinicId: state.clinicId,
    status: teamStatus(state),
    programme: { code: state.programme.code, name: { ...state.programme.name }, seats: state.programme.seats },
    catalogueVersion: state.catalogueVersion,
    timeZone: state.rules.timeZone,
    room: { ...state.room },
    sessions: state.sessions.map((s) => sessionView(state, s)),
    therapists: state.therapists.map((t) => ({ ...t })),
    staffRule: staffRuleView(state, now),
    seats: {
      capacity: state.capacity,
      taken: seatsTaken(state),
      free: freeSeats(state),
      reserved: state.seats.map((s) => ({ courseId: s.courseId, relatives: s.relatives, reservedAt: s.reservedAt })),
    },
    waitlist: state.waitlist.map((w, i) => {
      const offer = offerOf.get(w.courseId);
      return {
        position: i + 1,
        courseId: w.courseId,
        referralDate: w.referralDate,
        joinedAt: w.joinedAt,
        offer: offer ? { ...offer } : null,
      };
    }),
    offers: state.offers.map((o) => ({ ...o })),
    lateJoin: {
      cutoff: lateJoinCutoff(state),
      closed: isClosedForLateJoiners(state, now),
      closedByHand: state.closedForLateJoiners ? { ...state.closedForLateJoiners } : null,
    },
    revision,
  };
}

/** first/last session starts (ms) of the sessions not cancelled */
export function sessionSpan(state: PlannedTeam): { first: number; last: number } {
  const starts = activeSessions(state).map((s) => toMillis(s.startsAt));
  return { first: Math.min(...starts), last: Math.max(...starts) };
}

/** A team's state after a batch of its events, with the revision and time of the last one. */
export interface EvolvedTeam {
  state: TeamState;
  revision: number;
  updatedAt: Date;
}

/** Evolves every team of a projection batch from its stored state (or the initial one), in event order. */
export function evolveTeams(events: readonly RecordedEvent[], stored: ReadonlyMap<string, TeamState>): Map<string, EvolvedTeam> {
  const evolved = new Map<string, EvolvedTeam>();
  for (const event of events) {
    const teamId = streamEntityId(event.streamId);
    const entry = evolved.get(teamId) ?? { state: stored.get(teamId) ?? initialTeamState, revision: -1, updatedAt: event.createdAt };
    entry.state = evolveTeam(entry.state, { type: event.type, data: event.data } as TeamEvent);
    entry.revision = event.revision;
    entry.updatedAt = event.createdAt;
    evolved.set(teamId, entry);
  }
  return evolved;
}
