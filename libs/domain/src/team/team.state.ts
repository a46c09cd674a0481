import type { ProgrammeDefinition } from '../catalogue/catalogue.types.js';
import { toMillis } from '../catalogue/calendar.js';
import type { AttendanceEntry, PlannedSession, Room, TeamEvent, TeamRules } from './team.events.js';

export interface SessionState extends PlannedSession {
  readonly cancelled: { readonly reason: string; readonly at: string } | null;
  /** latest entry per course */
  readonly attendance: Readonly<Record<string, AttendanceEntry>>;
}

export interface Assignment {
  readonly clinicianId: string;
  readonly role: string;
  readonly competentUntil: string | null;
  readonly assignedAt: string;
}

export interface Seat {
  readonly courseId: string;
  readonly referralDate: string;
  readonly relatives: number;
  readonly reservedAt: string;
}

export interface WaitlistEntry {
  readonly courseId: string;
  readonly referralDate: string;
  readonly joinedAt: string;
}

export interface Offer {
  readonly courseId: string;
  readonly offeredAt: string;
  readonly expiresAt: string;
}

export interface SeatHold {
  readonly courseId: string;
  readonly heldAt: string;
  readonly heldUntil: string;
}

export interface UnplannedTeam {
  readonly status: 'unplanned';
}

export interface PlannedTeam {
  readonly status: 'planned';
  readonly teamId: string;
  readonly clinicId: string;
  readonly catalogueVersion: number;
  readonly programme: ProgrammeDefinition;
  readonly rules: TeamRules;
  readonly room: Room;
  readonly capacity: number;
  readonly sessions: readonly SessionState[];
  readonly therapists: readonly Assignment[];
  readonly seats: readonly Seat[];
  /** in fair order: referral date, then the catalogue's tie-break, then course id */
  readonly waitlist: readonly WaitlistEntry[];
  readonly offers: readonly Offer[];
  /** seats held for a course by a hospital system ($hold) until they lapse; absent in states stored before holds existed */
  readonly holds?: readonly SeatHold[];
  readonly closedForLateJoiners: { readonly reason: string; readonly at: string } | null;
}

export type TeamState = UnplannedTeam | PlannedTeam;

export const initialTeamState: TeamState = { status: 'unplanned' };

export function evolveTeam(state: TeamState, event: TeamEvent): TeamState {
  if (event.type === 'TeamPlanned') {
    const d = event.data;
    return {
      status: 'planned',
      teamId: d.teamId,
      clinicId: d.clinicId,
      catalogueVersion: d.catalogueVersion,
      programme: d.programme,
      rules: d.rules,
      room: d.room,
      capacity: d.capacity,
      sessions: d.sessions.map((s) => ({ ...s, cancelled: null, attendance: {} })),
      therapists: [],
      seats: [],
      waitlist: [],
      offers: [],
      closedForLateJoiners: null,
    };
  }
  if (state.status !== 'planned') return state;
  switch (event.type) {
    case 'TherapistAssigned': {
      const { clinicianId, role, competentUntil, assignedAt } = event.data;
      return { ...state, therapists: [...state.therapists, { clinicianId, role, competentUntil, assignedAt }] };
    }
    case 'TherapistRemoved':
      return { ...state, therapists: state.therapists.filter((t) => t.clinicianId !== event.data.clinicianId) };
    case 'SeatReserved': {
      const { courseId, referralDate, relatives, reservedAt } = event.data;
      return {
        ...state,
        seats: [...state.seats, { courseId, referralDate, relatives, reservedAt }],
        waitlist: state.waitlist.filter((w) => w.courseId !== courseId),
        offers: state.offers.filter((o) => o.courseId !== courseId),
        ...(state.holds ? { holds: state.holds.filter((h) => h.courseId !== courseId) } : {}),
      };
    }
    case 'SeatReleased':
      return { ...state, seats: state.seats.filter((s) => s.courseId !== event.data.courseId) };
    case 'CourseWaitlisted': {
      const { courseId, referralDate, joinedAt } = event.data;
      return { ...state, waitlist: fairOrder([...state.waitlist, { courseId, referralDate, joinedAt }], state.rules.waitlistTieBreak) };
    }
    case 'CourseLeftWaitlist':
    case 'SeatOfferDeclined':
    case 'SeatOfferExpired':
      return {
        ...state,
        waitlist: state.waitlist.filter((w) => w.courseId !== event.data.courseId),
        offers: state.offers.filter((o) => o.courseId !== event.data.courseId),
      };
    case 'SeatOffered': {
      const { courseId, offeredAt, expiresAt } = event.data;
      return { ...state, offers: [...state.offers, { courseId, offeredAt, expiresAt }] };
    }
    case 'SeatOfferAccepted':
      return state;
    case 'SeatHeld': {
      const { courseId, heldAt, heldUntil } = event.data;
      return { ...state, holds: [...(state.holds ?? []).filter((h) => h.courseId !== courseId), { courseId, heldAt, heldUntil }] };
    }
    case 'SeatHoldLapsed':
      return { ...state, holds: (state.holds ?? []).filter((h) => h.courseId !== event.data.courseId) };
    case 'TeamClosedForLateJoiners':
      return { ...state, closedForLateJoiners: { reason: event.data.reason, at: event.data.closedAt } };
    case 'SessionCancelled':
      return updateSession(state, event.data.sessionKey, (s) => ({
        ...s,
        cancelled: { reason: event.data.reason, at: event.data.cancelledAt },
      }));
    case 'SessionMoved':
      return updateSession(state, event.data.sessionKey, (s) => ({
        ...s,
        startsAt: event.data.startsAt,
        endsAt: event.data.endsAt,
        room: event.data.room,
      }));
    case 'AttendanceRecorded':
      return updateSession(state, event.data.sessionKey, (s) => ({
        ...s,
        attendance: { ...s.attendance, ...Object.fromEntries(event.data.entries.map((e) => [e.courseId, e])) },
      }));
  }
}

function updateSession(state: PlannedTeam, key: string, update: (s: SessionState) => SessionState): PlannedTeam {
  return { ...state, sessions: state.sessions.map((s) => (s.key === key ? update(s) : s)) };
}

/** referral date first (earliest first); ties by the catalogue's tie-break; then course id so the order is total */
export function fairOrder(entries: readonly WaitlistEntry[], tieBreak: TeamRules['waitlistTieBreak']): WaitlistEntry[] {
  return [...entries].sort(
    (a, b) =>
      toMillis(a.referralDate) - toMillis(b.referralDate) ||
      (tieBreak === 'joinedAt' ? toMillis(a.joinedAt) - toMillis(b.joinedAt) : 0) ||
      (a.courseId < b.courseId ? -1 : a.courseId > b.courseId ? 1 : 0),
  );
}
