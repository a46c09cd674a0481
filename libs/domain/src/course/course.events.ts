import type { DomainEvent } from '../shared/index.js';
import type { ConcreteWindow } from './course.time.js';

/**
 * Events of stream `course-<courseId>`: one patient's course. Plain JSON, explicit fields. The patient
 * appears only as the random `patientId`, never the CPR nor its keyed hash; who did it (the recording
 * clinician, the responsible doctor) travels in the store's metadata, not here.
 * All times are ISO 8601 with offset.
 */

export type CourseEndReason = 'rejected' | 'excluded' | 'dropped_out' | 'completed' | 'stalled';
export const COURSE_END_REASONS: readonly CourseEndReason[] = ['rejected', 'excluded', 'dropped_out', 'completed', 'stalled'];

export interface Referrer {
  readonly kind: 'GP' | 'HOSPITAL' | 'OTHER';
  /** provider number / SOR code of the referring practice or department */
  readonly id: string;
  readonly name?: string;
}

/** referral content by item code (`CURRENT_MEDICATION`, ...): the referrer's text */
export type ReferralContent = Readonly<Record<string, string>>;

export interface PathwayRef {
  readonly code: string;
  readonly version: number;
}

export interface SeatRef {
  readonly teamId: string;
  readonly programme: string;
}

export type FactValue = boolean | string;

/** on what basis a fact was recorded (care-model §5) */
export interface FactBasis {
  readonly source: 'REFERRAL' | 'PRO_QUESTIONNAIRE' | 'CONSULTATION' | 'ASSESSMENT' | 'PATIENT_STATEMENT' | 'COURSE' | 'OTHER';
  /** the pathway step where it was found, when there was one */
  readonly stepCode?: string;
  readonly note?: string;
}

export type ReferralReceived = DomainEvent<
  'ReferralReceived',
  {
    readonly courseId: string;
    readonly patientId: string;
    readonly receivedAt: string;
    readonly referrer: Referrer;
    readonly content: ReferralContent;
    readonly pathway: PathwayRef;
    /** who coordinates until the hand-over step (the secretary) */
    readonly initialCoordinator: string;
    /** receipt + the pathway's visitation deadline; never moved afterwards */
    readonly visitationDueBy: string;
    /** set when the course was opened although the patient had an open course on the same pathway */
    readonly newCourse?: { readonly reason: string; readonly openCourseIds: readonly string[] };
  }
>;
export type ReferralPutOnHold = DomainEvent<
  'ReferralPutOnHold',
  { readonly missing: readonly { readonly code: string; readonly label: string }[]; readonly heldAt: string }
>;
export type ReferralSupplemented = DomainEvent<
  'ReferralSupplemented',
  { readonly added: ReferralContent; readonly stillMissing: readonly string[]; readonly supplementedAt: string }
>;
export type ReferralHoldReleased = DomainEvent<
  'ReferralHoldReleased',
  { readonly releasedAt: string; readonly visitationDueBy: string; readonly visitationOverdue: boolean }
>;
export type VisitationDecided = DomainEvent<
  'VisitationDecided',
  {
    readonly decision: 'accepted' | 'rejected';
    readonly decidedAt: string;
    readonly criteriaSet: { readonly code: string; readonly version: string };
    readonly assessment: readonly { readonly code: string; readonly met: boolean }[];
    readonly reason?: string;
    readonly planForGp?: string;
    readonly visitationDueBy: string;
    readonly withinDeadline: boolean;
  }
>;
export type PatientFactRecorded = DomainEvent<
  'PatientFactRecorded',
  { readonly fact: string; readonly key?: string; readonly value: FactValue; readonly basis: FactBasis; readonly recordedAt: string }
>;
export type AddOnAdded = DomainEvent<'AddOnAdded', { readonly stepCode: string; readonly reason: string; readonly addedAt: string }>;
export type StepScheduled = DomainEvent<
  'StepScheduled',
  {
    readonly stepCode: string;
    readonly programme?: string;
    readonly intervention?: string;
    readonly teamId?: string;
    /** start (first session for a group step) */
    readonly at: string;
    /** end of the last session, for group steps */
    readonly endsAt?: string;
    readonly window?: ConcreteWindow;
    readonly outsideWindow: boolean;
    readonly deviationReason?: string;
    /** set when this re-books an earlier booking */
    readonly previousAt?: string;
    readonly bookedAt: string;
  }
>;
export type StepUnscheduled = DomainEvent<
  'StepUnscheduled',
  { readonly stepCode: string; readonly previousAt: string; readonly reason: string; readonly unscheduledAt: string }
>;
export type StepCompleted = DomainEvent<
  'StepCompleted',
  {
    readonly stepCode: string;
    readonly programme?: string;
    readonly intervention?: string;
    readonly teamId?: string;
    readonly completedAt: string;
    readonly window?: ConcreteWindow;
    readonly outsideWindow: boolean;
    readonly deviationReason?: string;
    readonly recordedAt: string;
  }
>;
export type StepSkipped = DomainEvent<'StepSkipped', { readonly stepCode: string; readonly reason: string; readonly skippedAt: string }>;
export type OptionChosen = DomainEvent<
  'OptionChosen',
  { readonly stepCode: string; readonly option: string; readonly chosenAt: string; readonly previous?: string }
>;
export type MicroteamMemberAssigned = DomainEvent<
  'MicroteamMemberAssigned',
  { readonly clinicianId: string; readonly role: string; readonly assignedAt: string; readonly replaces?: string }
>;
export type MicroteamMemberRemoved = DomainEvent<
  'MicroteamMemberRemoved',
  { readonly clinicianId: string; readonly role: string; readonly removedAt: string; readonly reason?: string }
>;
export type CoordinationHandedOver = DomainEvent<
  'CoordinationHandedOver',
  {
    readonly fromRole: string;
    readonly fromClinicianId?: string;
    readonly toRole: string;
    readonly toClinicianId: string;
    /** the step whose completion handed over, or absent when the coordinating clinician was replaced */
    readonly atStep?: string;
    readonly handedOverAt: string;
  }
>;
export type CourseSeatBooked = DomainEvent<
  'CourseSeatBooked',
  { readonly teamId: string; readonly programme: string; readonly stepCode: string; readonly bookedAt: string }
>;
export type CourseSeatReleased = DomainEvent<
  'CourseSeatReleased',
  { readonly teamId: string; readonly programme: string; readonly releasedAt: string; readonly reason?: string }
>;
export type CourseWaitlistJoined = DomainEvent<
  'CourseWaitlistJoined',
  { readonly teamId: string; readonly programme: string; readonly stepCode: string; readonly waitlistedAt: string }
>;
export type CourseWaitlistLeft = DomainEvent<
  'CourseWaitlistLeft',
  { readonly teamId: string; readonly programme: string; readonly leftAt: string }
>;
export type CourseEnded = DomainEvent<
  'CourseEnded',
  {
    readonly reason: CourseEndReason;
    readonly note: string;
    readonly endedAt: string;
    /** only a stalled course may be referred again (care-model §6) */
    readonly reReferralAllowed: boolean;
    readonly exclusion?: { readonly code: string; readonly label: string };
    readonly planForGp?: string;
    /** the step the course had reached */
    readonly atStep?: string;
    /** seats and waitlist places the teams must now free (a process manager acts on these) */
    readonly seatsToRelease: readonly SeatRef[];
    readonly waitlistsToLeave: readonly SeatRef[];
  }
>;

export type CourseEvent =
  | ReferralReceived
  | ReferralPutOnHold
  | ReferralSupplemented
  | ReferralHoldReleased
  | VisitationDecided
  | PatientFactRecorded
  | AddOnAdded
  | StepScheduled
  | StepUnscheduled
  | StepCompleted
  | StepSkipped
  | OptionChosen
  | MicroteamMemberAssigned
  | MicroteamMemberRemoved
  | CoordinationHandedOver
  | CourseSeatBooked
  | CourseSeatReleased
  | CourseWaitlistJoined
  | CourseWaitlistLeft
  | CourseEnded;

export type CourseEventType = CourseEvent['type'];

export const courseStreamId = (courseId: string): string => `course-${courseId}`;
