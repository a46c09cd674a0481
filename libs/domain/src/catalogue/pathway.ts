import type { FailedCriterion } from '../shared/index.js';
import type { Catalogue, Duration, LocalizedText, SourceRef } from './catalogue.types.js';

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

export function stepByCode(pathway: PathwayDefinition, code: string): PathwayStep | undefined {
  return pathway.steps.find((s) => s.code === code);
}

/** the prerequisites of a step: `after`, or the nearest earlier required step */
export function prerequisitesOf(pathway: PathwayDefinition, code: string): readonly string[] {
  const index = pathway.steps.findIndex((s) => s.code === code);
  if (index < 0) return [];
  const step = pathway.steps[index]!;
  if (step.after) return step.after;
  for (let i = index - 1; i >= 0; i--) {
    if (!pathway.steps[i]!.optional) return [pathway.steps[i]!.code];
  }
  return [];
}

/** programme codes a step may be booked on */
export function programmesOf(step: PathwayStep): readonly string[] {
  if (step.kind === 'programme') return [step.programme];
  if (step.kind === 'choice') return step.options;
  return [];
}

const isDayUnit = (d: Duration): boolean => d.unit !== 'hours';

/**
 * Every structural problem of a pathway (empty list = usable). With a catalogue, also checks that every
 * programme and intervention exists there and that deadline and time zone agree with its settings.
 */
export function validatePathway(pathway: PathwayDefinition, catalogue?: Catalogue): FailedCriterion[] {
  const failures: FailedCriterion[] = [];
  const fail = (code: string, reason: string) => failures.push({ code, reason });
  const seen = new Set<string>();
  const roles = new Set(pathway.microteam.roles);
  const checkWindow = (step: string, w: TimingWindow | undefined) => {
    if (!w) return;
    if (w.after.kind === 'step' && !seen.has(w.after.step)) {
      fail('WINDOW_ANCHOR_UNKNOWN', `The window of step ${step} is measured from ${w.after.step}, which is not an earlier step.`);
    }
    if (isDayUnit(w.from) !== isDayUnit(w.to)) {
      fail('WINDOW_UNITS_MIXED', `The window of step ${step} mixes hours with calendar days.`);
    }
    if (w.from.value < 0 || w.to.value < 0 || toApproxHours(w.from) > toApproxHours(w.to)) {
      fail('WINDOW_EMPTY', `The window of step ${step} ends before it starts.`);
    }
  };
  if (pathway.steps.length === 0) fail('PATHWAY_EMPTY', 'The pathway has no steps.');
  for (const step of pathway.steps) {
    if (seen.has(step.code)) fail('STEP_DUPLICATE', `Step ${step.code} appears twice.`);
    for (const p of step.after ?? []) {
      if (!seen.has(p)) fail('PREREQUISITE_NOT_EARLIER', `Step ${step.code} waits for ${p}, which is not an earlier step.`);
    }
    checkWindow(step.code, step.window);
    for (const r of step.requiresRoles ?? []) {
      if (!roles.has(r)) fail('ROLE_UNKNOWN', `Step ${step.code} requires the role ${r}, which the microteam does not have.`);
    }
    if (step.handsCoordinationTo && !roles.has(step.handsCoordinationTo)) {
      fail('ROLE_UNKNOWN', `Step ${step.code} hands coordination to ${step.handsCoordinationTo}, which the microteam does not have.`);
    }
    if (step.kind === 'choice') {
      if (step.options.length < 2) fail('CHOICE_TOO_FEW_OPTIONS', `Choice ${step.code} needs at least two options.`);
      if (!seen.has(step.chosenAt)) fail('CHOICE_POINT_NOT_EARLIER', `Choice ${step.code} is made at ${step.chosenAt}, which is not an earlier step.`);
    }
    if (step.final && step.optional) fail('FINAL_STEP_OPTIONAL', `The final step ${step.code} cannot be an add-on.`);
    for (const alt of step.insteadOf ?? []) {
      if (!pathway.steps.some((s) => s.code === alt && s.optional)) {
        fail('INSTEAD_OF_UNKNOWN', `Step ${step.code} is offered instead of ${alt}, which is not an add-on of this pathway.`);
      }
    }
    seen.add(step.code);
  }
  if (pathway.steps.filter((s) => s.final).length > 1) fail('FINAL_STEP_TWICE', 'Only one step can be final.');
  if (!seen.has(pathway.exclusion.assessedAt)) {
    fail('EXCLUSION_STEP_UNKNOWN', `Exclusion is assessed at ${pathway.exclusion.assessedAt}, which is not a step.`);
  }
  if (!roles.has(pathway.microteam.initialCoordinator) && pathway.microteam.initialCoordinator !== 'SECRETARY') {
    fail('ROLE_UNKNOWN', `The first coordinator ${pathway.microteam.initialCoordinator} is not a known role.`);
  }
  for (const r of pathway.microteam.singleHolderRoles) {
    if (!roles.has(r)) fail('ROLE_UNKNOWN', `The single-holder role ${r} is not a microteam role.`);
  }
  if (pathway.referral.visitationWithin.value <= 0) fail('VISITATION_DEADLINE_EMPTY', 'The visitation deadline must be positive.');
  if (catalogue) {
    const programmes = new Set(catalogue.programmes.map((p) => p.code));
    const interventions = new Set(catalogue.interventions.map((i) => i.code));
    for (const step of pathway.steps) {
      for (const p of programmesOf(step)) {
        if (!programmes.has(p)) fail('PROGRAMME_UNKNOWN', `Step ${step.code} uses programme ${p}, which the catalogue does not offer.`);
      }
      if (step.kind === 'intervention' && !interventions.has(step.intervention)) {
        fail('INTERVENTION_UNKNOWN', `Step ${step.code} uses intervention ${step.intervention}, which the catalogue does not offer.`);
      }
    }
    if (catalogue.settings.timeZone !== pathway.timeZone) {
      fail('TIME_ZONE_MISMATCH', `The pathway counts days in ${pathway.timeZone}, the catalogue in ${catalogue.settings.timeZone}.`);
    }
    const within = pathway.referral.visitationWithin;
    if (within.unit !== 'hours' || within.value !== catalogue.settings.visitationDeadlineHours) {
      fail('VISITATION_DEADLINE_MISMATCH', 'The pathway and the catalogue settings give different visitation deadlines.');
    }
  }
  return failures;
}

function toApproxHours(d: Duration): number {
  const perUnit = { hours: 1, days: 24, weeks: 168, months: 730 } as const;
  return d.value * perUnit[d.unit];
}

export { standardPathway } from './default-pathway.js';
