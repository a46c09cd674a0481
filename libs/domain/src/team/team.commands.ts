import type { Catalogue } from '../catalogue/catalogue.types.js';
import type { ClinicianState } from '../clinician/clinician.decider.js';
import type { PatientFacts } from '../eligibility/patient-facts.js';
import type { AttendanceStatus } from './team.events.js';

/** Every command carries `now` (ISO instant): the decider has no clock. */
interface TeamCommandBase {
  readonly teamId: string;
  readonly now: string;
}

export interface RoomInput {
  readonly roomId: string;
  readonly seats: number;
  /** cap on patients + relatives; default the catalogue's `settings.roomPeopleCap` */
  readonly maxPeople?: number | null;
}

export interface PlanTeam extends TeamCommandBase {
  readonly type: 'PlanTeam';
  /** the catalogue version the team is planned under (the handler loads it) */
  readonly catalogue: Catalogue;
  readonly programmeCode: string;
  readonly room: RoomInput;
  /** local date and wall-clock time of the first session in the catalogue's time zone */
  readonly startsOn: string;
  readonly startTime: string;
}

export interface AssignTherapist extends TeamCommandBase {
  readonly type: 'AssignTherapist';
  readonly clinicianId: string;
  /** a staff role of the programme, or `apprentice` */
  readonly role: string;
  /** the clinician's current state, read by the handler from stream `clinician-<id>` */
  readonly clinician: ClinicianState;
}

export interface RemoveTherapist extends TeamCommandBase {
  readonly type: 'RemoveTherapist';
  readonly clinicianId: string;
  readonly reason: string;
}

/** a relative the patient brings (Forstå smerte): only whether they are old enough, never who */
export interface RelativeInput {
  readonly age: number;
}

interface CourseFacts {
  readonly courseId: string;
  /** the course's current patient facts, read by the handler from the course stream */
  readonly facts: PatientFacts;
}

export interface ReserveSeat extends TeamCommandBase, CourseFacts {
  readonly type: 'ReserveSeat';
  readonly referralDate: string;
  readonly relatives?: readonly RelativeInput[];
}

export interface ReleaseSeat extends TeamCommandBase {
  readonly type: 'ReleaseSeat';
  readonly courseId: string;
  readonly reason: string;
}

export interface JoinWaitlist extends TeamCommandBase, CourseFacts {
  readonly type: 'JoinWaitlist';
  readonly referralDate: string;
}

export interface LeaveWaitlist extends TeamCommandBase {
  readonly type: 'LeaveWaitlist';
  readonly courseId: string;
  readonly reason: string;
}

/** offer one free seat to the first waiting course in fair order */
export interface OfferSeat extends TeamCommandBase {
  readonly type: 'OfferSeat';
}

export interface AcceptSeatOffer extends TeamCommandBase, CourseFacts {
  readonly type: 'AcceptSeatOffer';
  readonly relatives?: readonly RelativeInput[];
}

export interface DeclineSeatOffer extends TeamCommandBase {
  readonly type: 'DeclineSeatOffer';
  readonly courseId: string;
  readonly reason: string;
}

/** sent by a timer; expires every offer whose hold has run out (no events when none has) */
export interface ExpireSeatOffers extends TeamCommandBase {
  readonly type: 'ExpireSeatOffers';
}

/** hold a free seat for the course until `now` + `holdMinutes` (catalogue settings.holdMinutes) */
export interface HoldSeat extends TeamCommandBase, CourseFacts {
  readonly type: 'HoldSeat';
  readonly referralDate: string;
  readonly holdMinutes: number;
}

export interface CloseForLateJoiners extends TeamCommandBase {
  readonly type: 'CloseForLateJoiners';
  readonly reason: string;
}

export interface CancelSession extends TeamCommandBase {
  readonly type: 'CancelSession';
  readonly sessionKey: string;
  readonly reason: string;
}

export interface MoveSession extends TeamCommandBase {
  readonly type: 'MoveSession';
  readonly sessionKey: string;
  /** the new start, an ISO instant with offset */
  readonly startsAt: string;
  /** a new room; default the session's current room */
  readonly room?: RoomInput;
  readonly reason: string;
}

export interface AttendanceInput {
  readonly courseId: string;
  readonly status: AttendanceStatus;
  readonly relativesPresent?: number;
}

export interface RecordAttendance extends TeamCommandBase {
  readonly type: 'RecordAttendance';
  readonly sessionKey: string;
  readonly entries: readonly AttendanceInput[];
}

export type TeamCommand =
  | PlanTeam
  | AssignTherapist
  | RemoveTherapist
  | ReserveSeat
  | ReleaseSeat
  | JoinWaitlist
  | LeaveWaitlist
  | OfferSeat
  | AcceptSeatOffer
  | DeclineSeatOffer
  | ExpireSeatOffers
  | HoldSeat
  | CloseForLateJoiners
  | CancelSession
  | MoveSession
  | RecordAttendance;
