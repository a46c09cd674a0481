import type { CompetenceRule } from '../competence/competence.types.js';
import type { EligibilityCriteria, UnknownFactPolicy } from '../eligibility/criterion.types.js';
import type { Duration, LocalizedText, SourceRef } from './common.types.js';
import type { PathwayDefinition } from './pathway.types.js';

export type { Duration, LocalizedText, SourceRef } from './common.types.js';
export type { PathwayDefinition } from './pathway.types.js';

/**
 * A clinic's catalogue: everything the centre offers and every configurable rule, as plain JSON
 * (no functions), versioned per clinic. A second clinic defines its own catalogue without code changes.
 */
export interface Catalogue {
  readonly clinicId: string;
  readonly version: number;
  readonly name: LocalizedText;
  readonly programmes: readonly ProgrammeDefinition[];
  readonly interventions: readonly InterventionDefinition[];
  readonly pathway: PathwayDefinition;
  readonly settings: CatalogueSettings;
  /** professions clinicians may be registered with */
  readonly professions: readonly ProfessionDefinition[];
  /** dated competences that can be granted to clinicians */
  readonly competences: readonly CompetenceDefinition[];
  /** patient facts the criteria may read, with the question to ask when one is not yet recorded */
  readonly facts: readonly FactDefinition[];
  readonly source: SourceRef;
}

export interface CatalogueSettings {
  /** IANA zone all local session times are in */
  readonly timeZone: string;
  /** the clinic's language for names shown to outsiders (calendar feeds); absent = `da` */
  readonly language?: 'da' | 'en';
  /** a seat offered to a waiting course is held this long (care-model: 48 h) */
  readonly offerHoldHours: number;
  /** how long a hospital system's hold on a time (FHIR Appointment/$hold) lasts before it lapses; default 15 */
  readonly holdMinutes?: number;
  /** paper visitation deadline after the referral is received (48 h) */
  readonly visitationDeadlineHours: number;
  /** the hold clock is reported, never silently reset, while a referral is on hold (care-model §6 decision) */
  readonly visitationClockResetsOnHold: boolean;
  /** dated competences that lapse, by competence code: `{ MBSR_RETREAT: 12 }` */
  readonly competenceValidityMonths: Readonly<Record<string, number>>;
  readonly waitlist: WaitlistSettings;
  /** what a not-yet-recorded patient fact does to a criterion that reads it */
  readonly unknownFact: UnknownFactPolicy;
  /** default cap on patients + relatives in the room; `null` = no cap (care-model §1 decision) */
  readonly roomPeopleCap: number | null;
}

export interface WaitlistSettings {
  /** waiting courses are ordered by referral date first; ties by this (care-model: time joined) */
  readonly tieBreak: 'joinedAt' | 'courseId';
  /** when a seat frees (release, decline, expiry) it is offered to the next in line at once */
  readonly autoOfferFreedSeats: boolean;
}

export interface ProfessionDefinition {
  readonly code: string;
  readonly name: LocalizedText;
  /** an authorised health profession (Forstå smerte primary therapist) */
  readonly healthProfessional: boolean;
}

export interface CompetenceDefinition {
  readonly code: string;
  readonly name: LocalizedText;
}

export type FactType = 'boolean' | 'code' | 'keyedBoolean' | 'codeList';

export interface FactDefinition {
  readonly name: string;
  readonly type: FactType;
  /** asked aloud when the fact is not yet recorded, e.g. "Does the patient need an interpreter?" */
  readonly question: string;
}

// ---------------------------------------------------------------- programmes (hold)

export interface ProgrammeDefinition {
  readonly code: string;
  readonly name: LocalizedText;
  readonly description: string;
  /** patient seats per team; a team's capacity is min(seats, room seats) */
  readonly seats: number;
  readonly sessionPlan: SessionPlan;
  readonly staff: StaffRule;
  readonly eligibility: EligibilityCriteria;
  /** relatives a patient may bring; `null` = none */
  readonly relatives: RelativePolicy | null;
  readonly lateJoin: LateJoinRule;
  readonly source: SourceRef;
}

export interface SessionPlan {
  /** informative and validated against the sessions: `once`, or `every` n days between group sessions */
  readonly cadence: { readonly kind: 'once' } | { readonly kind: 'every'; readonly days: number };
  /** every session the whole team meets for, in order */
  readonly sessions: readonly SessionTemplate[];
  /** individual sessions each patient gets as part of the programme (MBSR talk); booked per course, not on the team */
  readonly perPatient: readonly PerPatientSessionTemplate[];
}

export interface SessionTemplate {
  /** stable within the programme: `S1`..`S9`, `RETREAT` */
  readonly key: string;
  /** the session's theme, where the source gives one */
  readonly title?: string;
  readonly kind: 'group' | 'retreat';
  readonly durationMinutes: number;
  /** calendar days after the first session (local date) */
  readonly dayOffset: number;
  /** local wall-clock start `HH:mm`; defaults to the team's start time */
  readonly localStartTime?: string;
}

export interface PerPatientSessionTemplate {
  readonly key: string;
  readonly durationMinutes: number;
  /** the team role that gives it (MBSR: one of the teachers) */
  readonly givenByRole: string;
  readonly timing: string;
}

export interface StaffRule {
  readonly roles: readonly StaffRoleRule[];
  /** apprentices (føl) never count as staff and may exceed the staff count */
  readonly apprentices: { readonly allowed: boolean; readonly max: number | null };
}

export const APPRENTICE_ROLE = 'apprentice';

export interface StaffRoleRule {
  /** e.g. `primary`, `secondary`, `teacher`, `therapist`, `psychologist` (never `apprentice`) */
  readonly role: string;
  readonly count: number;
  readonly name: LocalizedText;
  readonly competence: CompetenceRule;
}

export interface RelativePolicy {
  readonly perPatient: number;
  readonly minAge: number;
  /** a relative never takes a patient seat but is counted on attendance */
  readonly takesSeat: false;
}

/**
 * When a team stops taking new patients (a **decision**, per programme). The team closes at the
 * start of session number `sessionNumber` (1-based, its current time) minus `hoursBefore`.
 * Default: no new patient after the first session has started (`{ sessionNumber: 1, hoursBefore: 0 }`).
 */
export interface LateJoinRule {
  readonly sessionNumber: number;
  readonly hoursBefore: number;
}

// ---------------------------------------------------------------- individual interventions

export interface InterventionDefinition {
  readonly code: string;
  readonly name: LocalizedText;
  readonly description: string;
  /** planned length per session in minutes; `null` where the source gives none */
  readonly durationMinutes: number | null;
  /** when the booked slot is longer than the talk (Lang primærsamtale: 150-min slot, 90-min talk) */
  readonly slotMinutes?: number;
  readonly sessions: { readonly min: number; readonly max: number; readonly intervalDays?: number };
  /** `all`: every listed profession takes part; `any`: one of them */
  readonly who: { readonly mode: 'all' | 'any'; readonly professions: readonly string[] };
  readonly timing: TimingRule;
  /** how it can be held; default in person */
  readonly formats?: readonly ('inPerson' | 'video' | 'phone')[];
  /** e.g. individual therapy is offered instead of Terapihold */
  readonly alternativeTo?: string;
  readonly source: SourceRef;
}

export type TimingAnchor =
  | { readonly kind: 'referralReceived' }
  | { readonly kind: 'referralAccepted' }
  | { readonly kind: 'requestReceived' }
  | { readonly kind: 'programmeCompleted'; readonly anyOf: readonly string[] }
  | { readonly kind: 'interventionCompleted'; readonly anyOf: readonly string[] }
  | { readonly kind: 'lastIntervention' }
  | { readonly kind: 'standardCourseCompleted' };

export type TimingRule =
  /** must happen within `within` of the anchor (paper visitation: 48 h) */
  | { readonly kind: 'deadline'; readonly anchor: TimingAnchor; readonly within: Duration }
  /** between `from` and `to` after the anchor (1–2 weeks after Forstå smerte) */
  | { readonly kind: 'window'; readonly anchor: TimingAnchor; readonly from: Duration; readonly to: Duration }
  /** any time after the anchor */
  | { readonly kind: 'after'; readonly anchor: TimingAnchor }
  /** recurs on its own cadence (the weekly conference) */
  | { readonly kind: 'recurring'; readonly every: Duration; readonly note?: string }
  /** recurring opening hours, local time */
  | { readonly kind: 'weekly'; readonly slots: readonly { readonly weekday: Weekday; readonly from: string; readonly to: string }[] }
  /** no timing rule in the source */
  | { readonly kind: 'none'; readonly note?: string };

export type Weekday = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';
