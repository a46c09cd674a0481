import type { FailedCriterion } from '../shared/index.js';
import type { Catalogue } from './catalogue.types.js';
import type { Duration } from './common.types.js';
import type { PathwayDefinition, PathwayStep, TimingWindow } from './pathway.types.js';

export type * from './pathway.types.js';

export function stepByCode(pathway: PathwayDefinition, code: string): PathwayStep | undefined {
  return pathway.steps.find((s) => s.code === code);
}

/** the prerequisites of a step: `after`, or the nearest earlier required step */
export function prerequisitesOf(pathway: PathwayDefinition, code: string): readonly string[] {
  const index = pathway.steps.findIndex((s) => s.code === code);
  if (index < 0) return [];
  const step = pathway.steps[index];
  if (step.after) return step.after;
  for (let i = index - 1; i >= 0; i--) {
    if (!pathway.steps[i].optional) return [pathway.steps[i].code];
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
      if (!seen.has(step.chosenAt))
        fail('CHOICE_POINT_NOT_EARLIER', `Choice ${step.code} is made at ${step.chosenAt}, which is not an earlier step.`);
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
