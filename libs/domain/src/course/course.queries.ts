import type { PathwayDefinition, PathwayStep } from '../catalogue/pathway.js';
import { isActive, isBookedOrDone, missingPrerequisites, programmeOf, progressOf, stepLabel, windowOf } from './course.rules.js';
import type { CourseState } from './course.state.js';
import { DAY, durationMs, recordedInstant, remainingMs, type ConcreteWindow } from './course.time.js';

/** Pure reads over a course's state. */

/** the paper visitation is still undecided and its deadline (receipt + 48 h, never reset) has passed */
export function visitationOverdue(state: CourseState, now: string): boolean {
  if (!state.referral || state.visitation || state.status === 'ended') return false;
  return recordedInstant(now) > recordedInstant(state.referral.visitationDueBy);
}

export interface CurrentStep {
  readonly stepCode: string;
  readonly status: 'scheduled' | 'completed';
  readonly at?: string;
}

/** where the patient is: the first booked step not yet done, else the step completed last */
export function currentStep(state: CourseState, pathway: PathwayDefinition): CurrentStep | undefined {
  for (const step of pathway.steps) {
    const booked = progressOf(state, step.code);
    if (booked?.status === 'scheduled') return { stepCode: step.code, status: 'scheduled', at: booked.at };
  }
  const last = state.completed.at(-1);
  if (last === undefined) return undefined;
  return { stepCode: last, status: 'completed', at: progressOf(state, last)?.completedAt };
}

export interface NextStep {
  readonly stepCode: string;
  readonly step: PathwayStep;
  /** a choice the patient has not made yet */
  readonly needsChoice: boolean;
  /** the programme to find a seat on, for group steps */
  readonly programme?: string;
  readonly window?: ConcreteWindow;
}

/** every step that may be booked now (prerequisites booked or done, itself not booked), in pathway order */
export function bookableSteps(state: CourseState, pathway: PathwayDefinition): NextStep[] {
  if (state.status !== 'active') return [];
  return pathway.steps
    .filter((s) => isActive(state, s) && !isBookedOrDone(state, s.code) && missingPrerequisites(state, pathway, s, 'booked').length === 0)
    .map((s) => {
      const programme = programmeOf(state, s);
      const window = windowOf(state, s, pathway);
      return {
        stepCode: s.code,
        step: s,
        needsChoice: s.kind === 'choice' && programme === undefined,
        ...(programme !== undefined ? { programme } : {}),
        ...(window ? { window } : {}),
      };
    });
}

/** the first step to book next, in pathway order; undefined when nothing can be booked */
export function nextStep(state: CourseState, pathway: PathwayDefinition): NextStep | undefined {
  return bookableSteps(state, pathway)[0];
}

export type OpenItemCode =
  | 'REFERRAL_ON_HOLD'
  | 'VISITATION_DUE'
  | 'VISITATION_OVERDUE'
  | 'STEP_WINDOW_CLOSING'
  | 'STEP_WINDOW_MISSED'
  | 'STEP_BOOKED_OUTSIDE_WINDOW'
  | 'WAITING_FOR_SEAT'
  | 'READY_TO_END';

export interface OpenItem {
  readonly code: OpenItemCode;
  readonly message: string;
  readonly stepCode?: string;
  readonly programme?: string;
  readonly teamId?: string;
  readonly dueBy?: string;
  readonly since?: string;
}

/** what needs someone's attention on this course now */
export function openItems(state: CourseState, now: string, pathway: PathwayDefinition): OpenItem[] {
  if (state.status === 'none' || state.status === 'ended') return [];
  const nowMs = recordedInstant(now);
  const items: OpenItem[] = [];
  const referral = state.referral;
  if (state.status === 'on_hold') {
    const labels = pathway.referral.requiredContent.filter((i) => referral.missing.includes(i.code)).map((i) => i.label);
    items.push({
      code: 'REFERRAL_ON_HOLD',
      message: `The referral is on hold; the referrer has been asked for: ${labels.join(', ')}.`,
      since: referral.holds.at(-1)?.from,
    });
  }
  if (!state.visitation) {
    const overdue = visitationOverdue(state, now);
    items.push({
      code: overdue ? 'VISITATION_OVERDUE' : 'VISITATION_DUE',
      message: overdue
        ? `Paper visitation is overdue: it was due by ${referral.visitationDueBy}, counted from receipt of the referral.`
        : `Paper visitation is due by ${referral.visitationDueBy}.`,
      dueBy: referral.visitationDueBy,
    });
  }
  if (state.status !== 'active') return items;
  const warnMs = durationMs(pathway.windowWarning);
  for (const step of pathway.steps) {
    if (!isActive(state, step)) continue;
    const progress = progressOf(state, step.code);
    if (progress?.status === 'scheduled' && progress.outsideWindow && progress.window) {
      items.push({
        code: 'STEP_BOOKED_OUTSIDE_WINDOW',
        message: `${stepLabel(step)} is booked outside its window (${progress.window.from} to ${progress.window.to}).`,
        stepCode: step.code,
        dueBy: progress.window.to,
      });
    }
    if (progress || missingPrerequisites(state, pathway, step, 'booked').length > 0) continue;
    const window = windowOf(state, step, pathway);
    if (!window) continue;
    const left = remainingMs(window, nowMs, pathway.timeZone);
    if (left < 0) {
      items.push({
        code: 'STEP_WINDOW_MISSED',
        message: `${stepLabel(step)} should have taken place by ${window.to} and is not booked.`,
        stepCode: step.code,
        dueBy: window.to,
      });
    } else if (left <= warnMs) {
      items.push({
        code: 'STEP_WINDOW_CLOSING',
        message: `${stepLabel(step)} must be booked by ${window.to}.`,
        stepCode: step.code,
        dueBy: window.to,
      });
    }
  }
  for (const w of state.waitlists) {
    if (state.seats.some((s) => s.programme === w.programme)) continue;
    items.push({
      code: 'WAITING_FOR_SEAT',
      message: `Waiting for a seat on a ${w.programme} team.`,
      programme: w.programme,
      teamId: w.teamId,
      since: w.since,
    });
  }
  const final = pathway.steps.find((s) => s.final);
  if (final && progressOf(state, final.code)?.status === 'completed') {
    items.push({
      code: 'READY_TO_END',
      message: `${stepLabel(final)} has taken place: the course can be ended as completed.`,
      stepCode: final.code,
    });
  }
  return items;
}

export interface StepWait {
  readonly stepCode: string;
  readonly bookedAt?: string;
  readonly at?: string;
  readonly completedAt?: string;
  /** from receipt of the referral to the appointment (or completion) */
  readonly daysFromReferral: number;
}

export interface WaitingTimes {
  readonly referralReceivedAt: string;
  /** the region's measure: receipt of the referral → the first consultation (booked or held) */
  readonly firstConsultation?: { readonly stepCode: string; readonly at: string; readonly days: number };
  readonly visitation?: { readonly decidedAt: string; readonly hours: number; readonly withinDeadline: boolean };
  readonly steps: readonly StepWait[];
}

const roundTo1 = (n: number) => Math.round(n * 10) / 10;

export function waitingTimes(state: CourseState): WaitingTimes | undefined {
  if (!state.referral) return undefined;
  const receivedMs = recordedInstant(state.referral.receivedAt);
  const steps: StepWait[] = [];
  for (const [stepCode, p] of Object.entries(state.steps)) {
    const at = p.at ?? p.completedAt;
    if (at === undefined) continue;
    steps.push({
      stepCode,
      ...(p.bookedAt ? { bookedAt: p.bookedAt } : {}),
      ...(p.at ? { at: p.at } : {}),
      ...(p.completedAt ? { completedAt: p.completedAt } : {}),
      daysFromReferral: roundTo1((recordedInstant(at) - receivedMs) / DAY),
    });
  }
  steps.sort((a, b) => a.daysFromReferral - b.daysFromReferral);
  const first = steps.at(0);
  const firstAt = first?.at ?? first?.completedAt;
  const visitation = state.visitation;
  return {
    referralReceivedAt: state.referral.receivedAt,
    ...(first && firstAt !== undefined
      ? { firstConsultation: { stepCode: first.stepCode, at: firstAt, days: first.daysFromReferral } }
      : {}),
    ...(visitation
      ? {
          visitation: {
            decidedAt: visitation.decidedAt,
            hours: roundTo1((recordedInstant(visitation.decidedAt) - receivedMs) / 3_600_000),
            withinDeadline: visitation.withinDeadline,
          },
        }
      : {}),
    steps,
  };
}
