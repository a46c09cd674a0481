import type { FactDefinition } from '../catalogue/catalogue.types.js';
import type { PathwayDefinition, VisitationCriteriaSet } from '../catalogue/pathway.js';
import type { CourseEndReason, FactBasis, FactValue, ReferralContent, Referrer } from './course.events.js';

/**
 * Every course command carries the clock (`now`, ISO 8601 with offset) and the pathway the course runs on
 * (the handler loads the code and version named in `ReferralReceived`). The actor is not part of the
 * command: the handler puts it in the events' metadata.
 */
interface CommandBase<T extends string> {
  readonly type: T;
  readonly now: string;
  readonly pathway: PathwayDefinition;
}

export interface ReceiveReferral extends CommandBase<'ReceiveReferral'> {
  readonly courseId: string;
  /** random id (see `newPatientId`); the CPR stays in the protected patient table */
  readonly patientId: string;
  readonly receivedAt: string;
  readonly referrer: Referrer;
  readonly content: ReferralContent;
  /** a second course on a pathway where the patient already has an open one, deliberately, and why */
  readonly newCourse?: NewCourseReason;
}

export interface NewCourseReason {
  readonly reason: string;
  /** the patient's courses on the same pathway that were open when it was decided */
  readonly openCourseIds: readonly string[];
}

export interface CompleteReferral extends CommandBase<'CompleteReferral'> {
  /** the missing items the referrer has now supplied */
  readonly content: ReferralContent;
}

export interface DecideVisitation extends CommandBase<'DecideVisitation'> {
  readonly decision: 'accept' | 'reject';
  /** the (regional, dated) criteria set used; defaults to the pathway's */
  readonly criteriaSet?: VisitationCriteriaSet;
  /** criterion code → met; every criterion of the set must be assessed */
  readonly assessment: Readonly<Record<string, boolean>>;
  /** required when rejecting */
  readonly reason?: string;
  /** required when rejecting: the plan sent to the GP */
  readonly planForGp?: string;
}

export interface RecordPatientFact extends CommandBase<'RecordPatientFact'> {
  /** a `PatientFacts` field, or a custom fact declared in `customFacts` */
  readonly fact: string;
  /** the programme code for `motivatedFor` */
  readonly key?: string;
  readonly value: FactValue;
  readonly basis: FactBasis;
  /** the catalogue's fact definitions, for custom facts */
  readonly customFacts?: readonly FactDefinition[];
}

export interface AddAddOn extends CommandBase<'AddAddOn'> {
  readonly stepCode: string;
  readonly reason: string;
}

export interface ScheduleStep extends CommandBase<'ScheduleStep'> {
  readonly stepCode: string;
  readonly at: string;
  /** end of the last session of a group step (from the team's session plan) */
  readonly endsAt?: string;
  /** required for group steps: a team the course holds a seat on */
  readonly teamId?: string;
  /** why it is booked outside its window, when it is */
  readonly deviationReason?: string;
}

export interface CompleteStep extends CommandBase<'CompleteStep'> {
  readonly stepCode: string;
  /** when it actually ended; defaults to `now` */
  readonly completedAt?: string;
  /** group steps: defaults to the team it was booked on */
  readonly teamId?: string;
  readonly deviationReason?: string;
}

export interface SkipStep extends CommandBase<'SkipStep'> {
  readonly stepCode: string;
  readonly reason: string;
}

/** a choice step's option, e.g. `{ stepCode: 'STRESS_REDUCTION', option: 'MBSR' }` */
export interface ChooseOption extends CommandBase<'ChooseOption'> {
  readonly stepCode: string;
  readonly option: string;
}

export interface AssignMicroteamMember extends CommandBase<'AssignMicroteamMember'> {
  readonly clinicianId: string;
  readonly role: string;
}

export interface RemoveMicroteamMember extends CommandBase<'RemoveMicroteamMember'> {
  readonly clinicianId: string;
  readonly role: string;
  readonly reason?: string;
}

export interface RecordSeatBooked extends CommandBase<'RecordSeatBooked'> {
  readonly teamId: string;
  readonly programme: string;
}

export interface RecordSeatReleased extends CommandBase<'RecordSeatReleased'> {
  readonly teamId: string;
  readonly programme: string;
  readonly reason?: string;
}

export interface RecordWaitlisted extends CommandBase<'RecordWaitlisted'> {
  readonly teamId: string;
  readonly programme: string;
}

export interface RecordLeftWaitlist extends CommandBase<'RecordLeftWaitlist'> {
  readonly teamId: string;
  readonly programme: string;
}

export interface EndCourse extends CommandBase<'EndCourse'> {
  readonly reason: CourseEndReason;
  /** free text: why, in the clinician's words */
  readonly note: string;
  /** required for `excluded`: one of the pathway's exclusion reasons */
  readonly exclusionCode?: string;
  readonly planForGp?: string;
}

export type CourseCommand =
  | ReceiveReferral
  | CompleteReferral
  | DecideVisitation
  | RecordPatientFact
  | AddAddOn
  | ScheduleStep
  | CompleteStep
  | SkipStep
  | ChooseOption
  | AssignMicroteamMember
  | RemoveMicroteamMember
  | RecordSeatBooked
  | RecordSeatReleased
  | RecordWaitlisted
  | RecordLeftWaitlist
  | EndCourse;

export type CourseCommandType = CourseCommand['type'];
