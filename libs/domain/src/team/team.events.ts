import type { DomainEvent } from '../shared/index.js';
import type { FactDefinition, ProgrammeDefinition } from '../catalogue/catalogue.types.js';
import type { UnknownFactPolicy } from '../eligibility/criterion.types.js';

/**
 * Events of stream `team-<teamId>` (a "hold"). Patients appear only as `courseId`. Instants are ISO
 * strings with the clinic's UTC offset. Who acted and why beyond the `reason` fields travels in metadata.
 */

/** A room: `seats` for patients; `maxPeople` caps patients + relatives (`null` = no cap). */
export interface Room {
  readonly roomId: string;
  readonly seats: number;
  readonly maxPeople: number | null;
}

/**
 * The catalogue settings a team runs under, copied at planning so the team's rules never change under
 * it when the catalogue gets a new version, and replay needs nothing but the stream.
 */
export interface TeamRules {
  readonly timeZone: string;
  readonly offerHoldHours: number;
  readonly waitlistTieBreak: 'joinedAt' | 'courseId';
  readonly autoOfferFreedSeats: boolean;
  readonly competenceValidityMonths: Readonly<Record<string, number>>;
  readonly unknownFact: UnknownFactPolicy;
  readonly factDefinitions: readonly FactDefinition[];
}

export interface PlannedSession {
  readonly key: string;
  readonly kind: 'group' | 'retreat';
  readonly startsAt: string;
  readonly endsAt: string;
  readonly durationMinutes: number;
  readonly room: Room;
}

export type TeamPlanned = DomainEvent<
  'TeamPlanned',
  {
    readonly teamId: string;
    readonly clinicId: string;
    readonly catalogueVersion: number;
    readonly programmeCode: string;
    /** the programme as the catalogue defined it at planning */
    readonly programme: ProgrammeDefinition;
    readonly rules: TeamRules;
    readonly room: Room;
    /** patient seats: min(programme seats, room seats) */
    readonly capacity: number;
    readonly sessions: readonly PlannedSession[];
    readonly plannedAt: string;
  }
>;

export type TherapistAssigned = DomainEvent<
  'TherapistAssigned',
  {
    readonly teamId: string;
    readonly clinicianId: string;
    readonly role: string;
    /** when a dated competence the role needs lapses (MBSR retreat); `null` = never */
    readonly competentUntil: string | null;
    readonly assignedAt: string;
  }
>;

export type TherapistRemoved = DomainEvent<
  'TherapistRemoved',
  { readonly teamId: string; readonly clinicianId: string; readonly role: string; readonly reason: string; readonly removedAt: string }
>;

export type SeatReserved = DomainEvent<
  'SeatReserved',
  {
    readonly teamId: string;
    readonly courseId: string;
    readonly referralDate: string;
    /** relatives coming along (Forstå smerte); they take no seat */
    readonly relatives: number;
    readonly via: 'direct' | 'offer';
    readonly reservedAt: string;
  }
>;

export type SeatReleased = DomainEvent<
  'SeatReleased',
  { readonly teamId: string; readonly courseId: string; readonly reason: string; readonly releasedAt: string }
>;

/** named with a Team prefix in TypeScript only: the course stream has its own CourseWaitlisted */
export type TeamCourseWaitlisted = DomainEvent<
  'CourseWaitlisted',
  { readonly teamId: string; readonly courseId: string; readonly referralDate: string; readonly joinedAt: string }
>;

export type TeamCourseLeftWaitlist = DomainEvent<
  'CourseLeftWaitlist',
  { readonly teamId: string; readonly courseId: string; readonly reason: string; readonly leftAt: string }
>;

export type SeatOffered = DomainEvent<
  'SeatOffered',
  { readonly teamId: string; readonly courseId: string; readonly offeredAt: string; readonly expiresAt: string }
>;

export type SeatOfferAccepted = DomainEvent<
  'SeatOfferAccepted',
  { readonly teamId: string; readonly courseId: string; readonly acceptedAt: string }
>;

/** the course leaves this team's waitlist */
export type SeatOfferDeclined = DomainEvent<
  'SeatOfferDeclined',
  { readonly teamId: string; readonly courseId: string; readonly reason: string; readonly declinedAt: string }
>;

/** the course leaves this team's waitlist */
export type SeatOfferExpired = DomainEvent<
  'SeatOfferExpired',
  { readonly teamId: string; readonly courseId: string; readonly expiresAt: string; readonly expiredAt: string }
>;

/** a hospital system holds a free seat for the course for a short while (FHIR Appointment/$hold); a ReserveSeat by the course takes it */
export type SeatHeld = DomainEvent<
  'SeatHeld',
  { readonly teamId: string; readonly courseId: string; readonly heldAt: string; readonly heldUntil: string }
>;

/** the hold ran out without a booking: the seat is free again */
export type SeatHoldLapsed = DomainEvent<
  'SeatHoldLapsed',
  { readonly teamId: string; readonly courseId: string; readonly heldUntil: string; readonly lapsedAt: string }
>;

export type TeamClosedForLateJoiners = DomainEvent<
  'TeamClosedForLateJoiners',
  { readonly teamId: string; readonly reason: string; readonly closedAt: string }
>;

export type SessionCancelled = DomainEvent<
  'SessionCancelled',
  { readonly teamId: string; readonly sessionKey: string; readonly reason: string; readonly cancelledAt: string }
>;

export type SessionMoved = DomainEvent<
  'SessionMoved',
  {
    readonly teamId: string;
    readonly sessionKey: string;
    readonly from: { readonly startsAt: string; readonly roomId: string };
    readonly startsAt: string;
    readonly endsAt: string;
    readonly room: Room;
    readonly reason: string;
    readonly movedAt: string;
  }
>;

export type AttendanceStatus = 'attended' | 'noShow';

export interface AttendanceEntry {
  readonly courseId: string;
  readonly status: AttendanceStatus;
  /** relatives who came with the patient (counted on the list, no seat) */
  readonly relativesPresent: number;
}

/** A later record for the same session and course corrects the earlier one. */
export type AttendanceRecorded = DomainEvent<
  'AttendanceRecorded',
  { readonly teamId: string; readonly sessionKey: string; readonly entries: readonly AttendanceEntry[]; readonly recordedAt: string }
>;

export type TeamEvent =
  | TeamPlanned
  | TherapistAssigned
  | TherapistRemoved
  | SeatReserved
  | SeatReleased
  | TeamCourseWaitlisted
  | TeamCourseLeftWaitlist
  | SeatOffered
  | SeatOfferAccepted
  | SeatOfferDeclined
  | SeatOfferExpired
  | SeatHeld
  | SeatHoldLapsed
  | TeamClosedForLateJoiners
  | SessionCancelled
  | SessionMoved
  | AttendanceRecorded;

export const teamStreamId = (teamId: string): string => `team-${teamId}`;
