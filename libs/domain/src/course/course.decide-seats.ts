import type { PathwayDefinition, PathwayStep } from '../catalogue/pathway.js';
import { type DomainError, isDomainError, refuse } from '../shared/index.js';
import type { RecordLeftWaitlist, RecordSeatBooked, RecordSeatReleased, RecordWaitlisted } from './course.commands.js';
import { blank, compact, notAccepted, type Result } from './course.decide-support.js';
import type { CourseEvent } from './course.events.js';
import { isActive, programmeLabel, programmeOf, progressOf, readable, stepForProgramme, stepLabel } from './course.rules.js';
import type { CourseState, OpenCourse } from './course.state.js';

/** Seats and waitlist places, from the course's side (care-model §1). */

function programmeStep(c: { pathway: PathwayDefinition; programme: string }, state: CourseState): PathwayStep | DomainError {
  const gate = notAccepted(state);
  if (gate) return gate;
  const step = stepForProgramme(state, c.pathway, c.programme);
  if (!step) return refuse('PROGRAMME_NOT_IN_PATHWAY', `The course's pathway has no ${readable(c.programme)} programme.`);
  if (!isActive(state, step))
    return refuse('ADD_ON_NOT_ADDED', `${stepLabel(step)} is an add-on: add it to the course, with the reason, first.`);
  const status = progressOf(state, step.code)?.status;
  if (status === 'completed') return refuse('STEP_ALREADY_COMPLETED', `${stepLabel(step)} has already been completed.`);
  if (status === 'skipped') return refuse('STEP_SKIPPED', `${stepLabel(step)} was skipped for this course.`);
  if (step.kind === 'choice' && programmeOf(state, step) !== c.programme) {
    return refuse('OPTION_NOT_CHOSEN', `The patient has not chosen ${readable(c.programme)} for ${stepLabel(step)}.`);
  }
  return step;
}

export function recordSeatBooked(c: RecordSeatBooked, state: OpenCourse): Result {
  if (blank(c.teamId)) return refuse('TEAM_REQUIRED', 'Give the team.');
  const step = programmeStep(c, state);
  if (isDomainError(step)) return step;
  if (state.seats.some((s) => s.teamId === c.teamId && s.programme === c.programme)) return [];
  const other = state.seats.find((s) => s.programme === c.programme);
  if (other) {
    return refuse(
      'ALREADY_BOOKED_ON_PROGRAMME',
      `The course already has a seat on another ${programmeLabel(c.pathway, c.programme)} team; release that seat first.`,
      [],
      { teamId: other.teamId, programme: c.programme },
    );
  }
  return [{ type: 'CourseSeatBooked', data: { teamId: c.teamId, programme: c.programme, stepCode: step.code, bookedAt: c.now } }];
}

export function recordSeatReleased(c: RecordSeatReleased, state: OpenCourse): Result {
  const seat = state.seats.find((s) => s.teamId === c.teamId && s.programme === c.programme);
  if (!seat) return refuse('SEAT_NOT_HELD', `The course holds no seat on that ${programmeLabel(c.pathway, c.programme)} team.`);
  const events: CourseEvent[] = [
    { type: 'CourseSeatReleased', data: compact({ teamId: c.teamId, programme: c.programme, releasedAt: c.now, reason: c.reason }) },
  ];
  const booked = progressOf(state, seat.stepCode);
  if (booked?.status === 'scheduled' && booked.at !== undefined && booked.teamId === c.teamId) {
    events.push({
      type: 'StepUnscheduled',
      data: { stepCode: seat.stepCode, previousAt: booked.at, reason: 'seat released', unscheduledAt: c.now },
    });
  }
  return events;
}

export function recordWaitlisted(c: RecordWaitlisted, state: OpenCourse): Result {
  if (blank(c.teamId)) return refuse('TEAM_REQUIRED', 'Give the team.');
  const step = programmeStep(c, state);
  if (isDomainError(step)) return step;
  if (state.waitlists.some((w) => w.teamId === c.teamId)) return [];
  if (state.seats.some((s) => s.teamId === c.teamId)) return refuse('SEAT_ALREADY_HELD', 'The course already has a seat on that team.');
  return [{ type: 'CourseWaitlistJoined', data: { teamId: c.teamId, programme: c.programme, stepCode: step.code, waitlistedAt: c.now } }];
}

export function recordLeftWaitlist(c: RecordLeftWaitlist, state: OpenCourse): Result {
  if (!state.waitlists.some((w) => w.teamId === c.teamId && w.programme === c.programme)) {
    return refuse('NOT_ON_WAITLIST', `The course is not on the waitlist of that ${programmeLabel(c.pathway, c.programme)} team.`);
  }
  return [{ type: 'CourseWaitlistLeft', data: { teamId: c.teamId, programme: c.programme, leftAt: c.now } }];
}
