import type { Duration, LocalizedText, SourceRef } from './common.types.js';

/**
 * A clinic's patient course as data (care-model §3): ordered steps, each a group programme, an individual
 * intervention or a choice between programmes, with timing windows relative to earlier steps, the referral
 * and visitation rules (§6), the microteam roles and the coordination hand-over (§4). The course decider
 * reads nothing else, so a second clinic (e.g. a late-effects clinic) defines its own pathway without code.
 *
 * Order: a step's prerequisites (`after`, default the nearest earlier required step) must be booked before
 * the step can be booked, and done (completed or skipped with a reason) before it can be completed.
 * Optional steps (add-ons, tillæg) are part of a course only once added with a reason.
 */
export interface PathwayDefinition {
  readonly code: string;
  /** a course is pinned to the code and version it started on */
  readonly version: number;
  readonly name: LocalizedText;
  /** IANA zone in which day-based windows are counted (local calendar days); must match the catalogue's */
  readonly timeZone: string;
  readonly steps: readonly PathwayStep[];
  readonly referral: ReferralRules;
  /** who may end a course as `excluded`, and for which reasons (care-model §6, Kort primærsamtale) */
  readonly exclusion: ExclusionRules;
  readonly microteam: MicroteamRules;
  /**
   * What happens when a step is booked or done outside its window. **Decision**: `flag` (accept, and the
   * event carries `outsideWindow: true` with the window), because care teams need to move appointments;
   * `refuse` makes windows hard rules.
   */
  readonly windowPolicy: 'flag' | 'refuse';
  /** open items warn this long before a window closes (decision: 3 days) */
  readonly windowWarning: Duration;
  readonly source: SourceRef;
}

interface StepBase {
  /** unique within the pathway; also the name a secretary sees in messages via `name` */
  readonly code: string;
  readonly name: LocalizedText;
  /** an add-on (tillæg): only part of a course once `AddAddOn` names it with a reason */
  readonly optional?: boolean;
  /** prerequisite steps (must appear earlier); default: the nearest earlier required step */
  readonly after?: readonly string[];
  readonly window?: TimingWindow;
  /** microteam roles that must be assigned before the step is booked or done (Lang primærsamtale: PAL + contact nurse) */
  readonly requiresRoles?: readonly string[];
  /** when this step is completed, coordination passes to the course's holder of this role (§4) */
  readonly handsCoordinationTo?: string;
  /** add-ons offered instead of each other (individual therapy instead of Terapihold) */
  readonly insteadOf?: readonly string[];
  /** the last step: it waits for every add-on in the course as well as its prerequisites */
  readonly final?: boolean;
  /** a patient fact the course records when this step is completed (social-worker visitation done) */
  readonly completionFact?: { readonly fact: string; readonly value: boolean };
  readonly source: SourceRef;
}

/** a group programme (hold): booked through a seat on a team of that programme */
export interface ProgrammeStep extends StepBase {
  readonly kind: 'programme';
  readonly programme: string;
}

/** an individual intervention (consultation, visitation, conference) */
export interface InterventionStep extends StepBase {
  readonly kind: 'intervention';
  readonly intervention: string;
}

/** the patient chooses one of several programmes (stress reduction: Afspænding or MBSR) */
export interface ChoiceStep extends StepBase {
  readonly kind: 'choice';
  /** programme codes */
  readonly options: readonly string[];
  /** the step at which the choice is made (nurse follow-up 1); the choice is recorded at or after it */
  readonly chosenAt: string;
  /** the patient fact the choice records (`chosenStressReduction`) */
  readonly fact?: string;
}

export type PathwayStep = ProgrammeStep | InterventionStep | ChoiceStep;

export type WindowAnchor =
  | { readonly kind: 'referralReceived' }
  /** the start (first session) or end (last session, or completion) of an earlier step */
  | { readonly kind: 'step'; readonly step: string; readonly edge: 'start' | 'end' }
  /** the latest end among the course's other steps ("a few weeks after the last intervention") */
  | { readonly kind: 'lastStep' };

/**
 * `from`..`to` after the anchor. Windows in days, weeks or months count local calendar days in the
 * pathway's time zone (inclusive: "1–2 weeks after" a Monday is the Monday after next at the latest,
 * whatever the clock says); windows in hours are exact.
 */
export interface TimingWindow {
  readonly after: WindowAnchor;
  readonly from: Duration;
  readonly to: Duration;
  readonly source: SourceRef;
}

export interface ReferralContentItem {
  readonly code: string;
  readonly label: string;
}

export interface VisitationCriterion {
  readonly code: string;
  readonly text: string;
}

/** Criteria differ between regions and change over time: every visitation decision records code and version. */
export interface VisitationCriteriaSet {
  readonly code: string;
  readonly version: string;
  readonly criteria: readonly VisitationCriterion[];
  readonly source: SourceRef;
}

export interface ReferralRules {
  /** what the referral must carry; a referral missing any of it waits on hold */
  readonly requiredContent: readonly ReferralContentItem[];
  /** paper visitation deadline, measured from receipt and never reset by a hold */
  readonly visitationWithin: Duration;
  /** the criteria set visitation uses unless the command brings another (regional) one */
  readonly criteriaSet: VisitationCriteriaSet;
  readonly source: SourceRef;
}

export interface ExclusionRules {
  /** exclusion is possible once this step is booked or done */
  readonly assessedAt: string;
  readonly reasons: readonly { readonly code: string; readonly label: string }[];
  readonly source: SourceRef;
}

export interface MicroteamRules {
  readonly roles: readonly string[];
  /** roles held by one clinician at a time; assigning another replaces the holder */
  readonly singleHolderRoles: readonly string[];
  /** who coordinates until a step hands coordination over (the secretary, §4) */
  readonly initialCoordinator: string;
  readonly source: SourceRef;
}
