import { type PathwayDefinition, type PathwayStep, programmesOf } from '../catalogue/pathway.js';
import { type DomainError, isDomainError, refuse } from '../shared/index.js';
import type { AddAddOn, ChooseOption, CompleteStep, ScheduleStep, SkipStep } from './course.commands.js';
import { blank, compact, factRecorded, findStep, notAccepted, type Result } from './course.decide-support.js';
import type { CourseEvent } from './course.events.js';
import {
  effectivePrerequisites,
  endOf,
  isActive,
  isBookedOrDone,
  labelOf,
  missingPrerequisites,
  programmeLabel,
  programmeOf,
  progressOf,
  readable,
  stepLabel,
  windowOf,
} from './course.rules.js';
import type { CourseState, OpenCourse } from './course.state.js';
import { type ConcreteWindow, instant, isOutside } from './course.time.js';

/** Pathway steps: order, windows, group seats, add-ons and choices (care-model §3). */

function openStep(c: { pathway: PathwayDefinition; stepCode: string }, state: CourseState): PathwayStep | DomainError {
  const gate = notAccepted(state);
  if (gate) return gate;
  const step = findStep(c.pathway, c.stepCode);
  if (isDomainError(step)) return step;
  const progress = progressOf(state, step.code);
  if (progress?.status === 'completed') return refuse('STEP_ALREADY_COMPLETED', `${stepLabel(step)} has already been completed.`);
  if (progress?.status === 'skipped') return refuse('STEP_SKIPPED', `${stepLabel(step)} was skipped for this course.`);
  if (!isActive(state, step)) {
    return refuse('ADD_ON_NOT_ADDED', `${stepLabel(step)} is an add-on: add it to the course, with the reason, before booking it.`);
  }
  return step;
}

function outOfOrder(step: PathwayStep, missing: PathwayStep[], need: 'booked' | 'done'): DomainError {
  const first = missing[0];
  const verb = need === 'booked' ? 'booked' : 'completed';
  return refuse(
    'STEP_OUT_OF_ORDER',
    `${stepLabel(step)} cannot be ${verb} yet: ${stepLabel(first)} has not been ${verb}${missing.length > 1 ? ` (nor ${missing.slice(1).map(stepLabel).join(', ')})` : ''}.`,
    missing.map((m) => ({ code: m.code, reason: `${stepLabel(m)} has not been ${verb}.` })),
    { missing: missing.map((m) => m.code) },
  );
}

/** the step must not start before its prerequisites have ended */
function beforePrerequisite(
  state: CourseState,
  c: { pathway: PathwayDefinition },
  step: PathwayStep,
  atMs: number,
): DomainError | undefined {
  for (const code of effectivePrerequisites(state, c.pathway, step)) {
    const p = progressOf(state, code);
    const endsAt = p && p.status !== 'skipped' ? endOf(p) : undefined;
    const end = instant(endsAt);
    if (endsAt !== undefined && end !== undefined && atMs < end) {
      return refuse(
        'STEP_BEFORE_PREREQUISITE',
        `${stepLabel(step)} cannot take place before ${labelOf(c.pathway, code)} has ended (${endsAt}).`,
        [],
        { prerequisite: code, prerequisiteEndsAt: endsAt },
      );
    }
  }
  return undefined;
}

function missingRoles(state: CourseState, step: PathwayStep): DomainError | undefined {
  const missing = (step.requiresRoles ?? []).filter((r) => !state.microteam.some((m) => m.role === r));
  if (missing.length === 0) return undefined;
  return refuse(
    'MICROTEAM_INCOMPLETE',
    `${stepLabel(step)} needs the microteam to have: ${missing.map(readable).join(', ')}.`,
    missing.map((r) => ({ code: `ROLE_${r}`, reason: `No ${readable(r)} is assigned to the course.` })),
  );
}

function groupProgramme(
  state: CourseState,
  pathway: PathwayDefinition,
  step: PathwayStep,
  teamId: string | undefined,
): { programme?: string; teamId?: string } | DomainError {
  if (step.kind === 'intervention') return {};
  const programme = programmeOf(state, step);
  if (programme === undefined) {
    return refuse(
      'OPTION_NOT_CHOSEN',
      `The patient has not chosen between ${(step.kind === 'choice' ? step.options : []).map(readable).join(' and ')} yet.`,
    );
  }
  teamId ??= state.seats.find((s) => s.programme === programme)?.teamId;
  if (blank(teamId)) return refuse('TEAM_REQUIRED', `${stepLabel(step)} is a group programme: give the team.`);
  if (!state.seats.some((s) => s.teamId === teamId && s.programme === programme)) {
    return refuse(
      'NO_SEAT_ON_TEAM',
      `The course holds no seat on that ${programmeLabel(pathway, programme)} team; book the seat first.`,
      [],
      { teamId, programme },
    );
  }
  return { programme, teamId };
}

function checkWindow(
  c: { pathway: PathwayDefinition; deviationReason?: string },
  state: CourseState,
  step: PathwayStep,
  atMs: number,
): { window?: ConcreteWindow; outsideWindow: boolean } | DomainError {
  const window = windowOf(state, step, c.pathway);
  if (!window) return { outsideWindow: false };
  const outsideWindow = isOutside(window, atMs, c.pathway.timeZone);
  if (outsideWindow && c.pathway.windowPolicy === 'refuse') {
    return refuse(
      'OUTSIDE_WINDOW',
      `${stepLabel(step)} must take place between ${window.from} and ${window.to} (after ${window.relativeTo}).`,
      [],
      { window },
    );
  }
  return { window, outsideWindow };
}

export function scheduleStep(c: ScheduleStep, state: OpenCourse): Result {
  const step = openStep(c, state);
  if (isDomainError(step)) return step;
  const atMs = instant(c.at);
  if (atMs === undefined) return refuse('INVALID_TIME', 'The booked time must be an ISO 8601 time with its offset.', [], { field: 'at' });
  if (c.endsAt !== undefined) {
    const endMs = instant(c.endsAt);
    if (endMs === undefined || endMs < atMs)
      return refuse('INVALID_TIME', 'The end must be an ISO 8601 time with offset, not before the start.', [], { field: 'endsAt' });
  }
  const missing = missingPrerequisites(state, c.pathway, step, 'booked');
  if (missing.length > 0) return outOfOrder(step, missing, 'booked');
  const tooEarly = beforePrerequisite(state, c, step, atMs);
  if (tooEarly) return tooEarly;
  const group = groupProgramme(state, c.pathway, step, c.teamId ?? progressOf(state, step.code)?.teamId);
  if (isDomainError(group)) return group;
  const roles = missingRoles(state, step);
  if (roles) return roles;
  const win = checkWindow(c, state, step, atMs);
  if (isDomainError(win)) return win;
  const previous = progressOf(state, step.code);
  if (previous && previous.at === c.at && previous.endsAt === c.endsAt && previous.teamId === group.teamId) return [];
  return [
    {
      type: 'StepScheduled',
      data: compact({
        stepCode: step.code,
        programme: group.programme,
        intervention: step.kind === 'intervention' ? step.intervention : undefined,
        teamId: group.teamId,
        at: c.at,
        endsAt: c.endsAt,
        window: win.window,
        outsideWindow: win.outsideWindow,
        deviationReason: win.outsideWindow ? c.deviationReason : undefined,
        previousAt: previous?.at,
        bookedAt: c.now,
      }),
    },
  ];
}

export function completeStep(c: CompleteStep, state: OpenCourse, nowMs: number): Result {
  const step = openStep(c, state);
  if (isDomainError(step)) return step;
  const completedAt = c.completedAt ?? c.now;
  const atMs = instant(completedAt);
  if (atMs === undefined)
    return refuse('INVALID_TIME', 'The completion time must be an ISO 8601 time with its offset.', [], { field: 'completedAt' });
  if (atMs > nowMs) return refuse('COMPLETION_IN_FUTURE', `${stepLabel(step)} cannot be recorded as done before it has happened.`);
  const missing = missingPrerequisites(state, c.pathway, step, 'done');
  if (missing.length > 0) return outOfOrder(step, missing, 'done');
  const tooEarly = beforePrerequisite(state, c, step, atMs);
  if (tooEarly) return tooEarly;
  const group = groupProgramme(state, c.pathway, step, c.teamId ?? progressOf(state, step.code)?.teamId);
  if (isDomainError(group)) return group;
  const roles = missingRoles(state, step);
  if (roles) return roles;
  const win = checkWindow(c, state, step, atMs);
  if (isDomainError(win)) return win;
  const events: CourseEvent[] = [
    {
      type: 'StepCompleted',
      data: compact({
        stepCode: step.code,
        programme: group.programme,
        intervention: step.kind === 'intervention' ? step.intervention : undefined,
        teamId: group.teamId,
        completedAt,
        window: win.window,
        outsideWindow: win.outsideWindow,
        deviationReason: win.outsideWindow ? c.deviationReason : undefined,
        recordedAt: c.now,
      }),
    },
  ];
  if (step.handsCoordinationTo && state.coordinator.role !== step.handsCoordinationTo) {
    const holder = state.microteam.find((m) => m.role === step.handsCoordinationTo);
    if (!holder) {
      return refuse(
        'COORDINATOR_MISSING',
        `Coordination passes to the ${readable(step.handsCoordinationTo)} at ${stepLabel(step)}: assign one to the course first.`,
      );
    }
    events.push({
      type: 'CoordinationHandedOver',
      data: compact({
        fromRole: state.coordinator.role,
        fromClinicianId: state.coordinator.clinicianId,
        toRole: holder.role,
        toClinicianId: holder.clinicianId,
        atStep: step.code,
        handedOverAt: completedAt,
      }),
    });
  }
  if (step.completionFact) {
    events.push(factRecorded(step.completionFact.fact, step.completionFact.value, { source: 'COURSE', stepCode: step.code }, completedAt));
  }
  return events;
}

export function skipStep(c: SkipStep, state: OpenCourse): Result {
  const step = openStep(c, state);
  if (isDomainError(step)) return step;
  if (step.final) return refuse('FINAL_STEP_REQUIRED', `${stepLabel(step)} cannot be skipped: end the course instead.`);
  if (blank(c.reason)) return refuse('REASON_REQUIRED', `Give the reason ${stepLabel(step)} is skipped.`);
  const programmes = programmesOf(step);
  const seat = state.seats.find((s) => programmes.includes(s.programme));
  if (seat)
    return refuse(
      'SEAT_HELD',
      `The course still holds a seat on a ${programmeLabel(c.pathway, seat.programme)} team; release it before skipping ${stepLabel(step)}.`,
    );
  return [{ type: 'StepSkipped', data: { stepCode: step.code, reason: c.reason, skippedAt: c.now } }];
}

export function addAddOn(c: AddAddOn, state: OpenCourse): Result {
  const gate = notAccepted(state);
  if (gate) return gate;
  const step = findStep(c.pathway, c.stepCode);
  if (isDomainError(step)) return step;
  if (!step.optional) return refuse('NOT_AN_ADD_ON', `${stepLabel(step)} is part of every course; it is not an add-on.`);
  if (Object.hasOwn(state.addOns, step.code))
    return refuse('ADD_ON_ALREADY_ADDED', `${stepLabel(step)} has already been added to the course.`);
  if (blank(c.reason)) return refuse('REASON_REQUIRED', `Give the reason ${stepLabel(step)} is added.`);
  const conflict = (step.insteadOf ?? []).find((alt) => Object.hasOwn(state.addOns, alt) && progressOf(state, alt)?.status !== 'skipped');
  if (conflict) {
    return refuse(
      'ADD_ON_CONFLICT',
      `${stepLabel(step)} is offered instead of ${labelOf(c.pathway, conflict)}, which the course already has.`,
    );
  }
  return [{ type: 'AddOnAdded', data: { stepCode: step.code, reason: c.reason, addedAt: c.now } }];
}

export function chooseOption(c: ChooseOption, state: OpenCourse, nowMs: number): Result {
  const gate = notAccepted(state);
  if (gate) return gate;
  const step = findStep(c.pathway, c.stepCode);
  if (isDomainError(step)) return step;
  if (step.kind !== 'choice') return refuse('NOT_A_CHOICE', `${stepLabel(step)} offers no choice.`);
  if (!step.options.includes(c.option)) {
    return refuse('UNKNOWN_OPTION', `${stepLabel(step)} offers ${step.options.map(readable).join(' or ')}, not "${c.option}".`);
  }
  const at = progressOf(state, step.chosenAt);
  const reached = at?.status === 'completed' || (at?.status === 'scheduled' && isAtOrBefore(at.at, nowMs));
  if (!reached) {
    return refuse('CHOICE_TOO_EARLY', `The choice is made at ${labelOf(c.pathway, step.chosenAt)}, which has not taken place yet.`);
  }
  const previous = Object.hasOwn(state.choices, step.code) ? state.choices[step.code] : undefined;
  if (previous === c.option) return [];
  if (
    isBookedOrDone(state, step.code) ||
    state.seats.some((s) => step.options.includes(s.programme)) ||
    state.waitlists.some((w) => step.options.includes(w.programme))
  ) {
    return refuse('CHOICE_LOCKED', `The choice for ${stepLabel(step)} has been acted on (seat, waitlist or booking); undo that first.`);
  }
  const events: CourseEvent[] = [
    { type: 'OptionChosen', data: compact({ stepCode: step.code, option: c.option, chosenAt: c.now, previous }) },
  ];
  if (step.fact) events.push(factRecorded(step.fact, c.option, { source: 'COURSE', stepCode: step.chosenAt }, c.now));
  return events;
}

/** the instant is given and not later than `nowMs` */
function isAtOrBefore(iso: string | undefined, nowMs: number): boolean {
  const ms = instant(iso);
  return ms !== undefined && ms <= nowMs;
}
