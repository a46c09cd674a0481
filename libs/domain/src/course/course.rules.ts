import { prerequisitesOf, stepByCode, type PathwayDefinition, type PathwayStep } from '../catalogue/pathway.js';
import type { CourseState, StepProgress } from './course.state.js';
import { concreteWindow, instant, type ConcreteWindow } from './course.time.js';

/** Pathway rules read against a course's state; shared by the decider and the queries. */

export const stepLabel = (step: PathwayStep): string => step.name.en;

export const labelOf = (pathway: PathwayDefinition, code: string): string => {
  const step = stepByCode(pathway, code);
  return step ? stepLabel(step) : code;
};

export const progressOf = (state: CourseState, code: string): StepProgress | undefined =>
  Object.hasOwn(state.steps, code) ? state.steps[code] : undefined;

/** required steps, and add-ons once added */
export const isActive = (state: CourseState, step: PathwayStep): boolean => !step.optional || Object.hasOwn(state.addOns, step.code);

export const isDone = (state: CourseState, code: string): boolean => {
  const s = progressOf(state, code)?.status;
  return s === 'completed' || s === 'skipped';
};

export const isBookedOrDone = (state: CourseState, code: string): boolean => progressOf(state, code) !== undefined;

/** what must come first: the pathway's prerequisites, and for the final step every add-on of the course */
export function effectivePrerequisites(state: CourseState, pathway: PathwayDefinition, step: PathwayStep): readonly string[] {
  const base = prerequisitesOf(pathway, step.code);
  if (!step.final) return base;
  const addOns = pathway.steps.filter((s) => s.optional && s.code !== step.code && Object.hasOwn(state.addOns, s.code)).map((s) => s.code);
  return [...base, ...addOns.filter((c) => !base.includes(c))];
}

/** prerequisites not yet booked (`need: 'booked'`) or not yet done (`need: 'done'`) */
export function missingPrerequisites(
  state: CourseState,
  pathway: PathwayDefinition,
  step: PathwayStep,
  need: 'booked' | 'done',
): PathwayStep[] {
  return effectivePrerequisites(state, pathway, step)
    .filter((code) => (need === 'done' ? !isDone(state, code) : !isBookedOrDone(state, code)))
    .map((code) => stepByCode(pathway, code))
    .filter((s) => s !== undefined);
}

export const startOf = (p: StepProgress): string | undefined => p.at ?? p.completedAt;
export const endOf = (p: StepProgress): string | undefined => p.completedAt ?? p.endsAt ?? p.at;

/** the group programme a step is (or would be) booked on: the step's, or the chosen option */
export function programmeOf(state: CourseState, step: PathwayStep): string | undefined {
  if (step.kind === 'programme') return step.programme;
  if (step.kind === 'choice') return Object.hasOwn(state.choices, step.code) ? state.choices[step.code] : undefined;
  return undefined;
}

export function anchorOf(
  state: CourseState,
  step: PathwayStep,
  pathway: PathwayDefinition,
): { relativeTo: string; anchorAt: string } | undefined {
  const anchor = step.window?.after;
  if (!anchor) return undefined;
  if (anchor.kind === 'referralReceived') {
    return state.referral ? { relativeTo: 'referral received', anchorAt: state.referral.receivedAt } : undefined;
  }
  if (anchor.kind === 'step') {
    const p = progressOf(state, anchor.step);
    if (!p || p.status === 'skipped') return undefined;
    const at = anchor.edge === 'end' ? endOf(p) : startOf(p);
    return at ? { relativeTo: `${labelOf(pathway, anchor.step)} (${anchor.edge})`, anchorAt: at } : undefined;
  }
  let latest: { code: string; at: string; ms: number } | undefined;
  for (const [code, p] of Object.entries(state.steps)) {
    if (code === step.code || p.status === 'skipped') continue;
    const at = endOf(p);
    const ms = instant(at);
    if (at !== undefined && ms !== undefined && (!latest || ms > latest.ms)) latest = { code, at, ms };
  }
  return latest ? { relativeTo: `${labelOf(pathway, latest.code)} (end, the last intervention)`, anchorAt: latest.at } : undefined;
}

export function windowOf(state: CourseState, step: PathwayStep, pathway: PathwayDefinition): ConcreteWindow | undefined {
  if (!step.window) return undefined;
  const anchor = anchorOf(state, step, pathway);
  return anchor ? concreteWindow(step.window, anchor.relativeTo, anchor.anchorAt, pathway.timeZone) : undefined;
}

/** the active, not yet done step a programme seat belongs to (or, failing that, any step offering it) */
export function stepForProgramme(state: CourseState, pathway: PathwayDefinition, programme: string): PathwayStep | undefined {
  const offering = pathway.steps.filter((s) =>
    s.kind === 'programme' ? s.programme === programme : s.kind === 'choice' && s.options.includes(programme),
  );
  return offering.find((s) => isActive(state, s) && !isDone(state, s.code)) ?? offering[0];
}

/** a code as words for messages: `CONTACT_NURSE` → "contact nurse"; short acronyms (PAL, MBSR, HA) stay */
export const readable = (code: string): string => (code.length <= 4 ? code : code.toLowerCase().replaceAll('_', ' '));

export function programmeLabel(pathway: PathwayDefinition, programme: string): string {
  const step = pathway.steps.find((s) => s.kind === 'programme' && s.programme === programme);
  return step ? stepLabel(step) : readable(programme);
}
