import {
  addDaysToLocalDate,
  addMonthsMillis,
  courseDecider,
  evaluateEligibility,
  formatInZone,
  isDomainError,
  toMillis,
  type CourseState,
  type DomainError,
  type Duration,
  type FailedCriterion,
  type PathwayDefinition,
  type PathwayStep,
  type PlannedTeam,
} from '#app/domain';
import type { LoadedCourse } from './streams.js';

/**
 * Whether a course can take a seat on a team now, read from the course's CURRENT state: used before a
 * freed seat is offered to a waiting course, and when looking for the next team to rebook onto.
 * Every reason is a sentence a secretary can read aloud.
 */
export function seatFitFailures(
  course: LoadedCourse | undefined,
  team: PlannedTeam,
  now: string,
  options: { releasing?: string } = {},
): FailedCriterion[] {
  if (!course) return [{ code: 'COURSE_NOT_FOUND', reason: 'The course can no longer be found.' }];
  const failures: FailedCriterion[] = [];
  const courseSide = courseSideRefusal(course, team, now, options);
  if (courseSide) failures.push({ code: courseSide.code, reason: courseSide.message });
  if (course.state.status === 'ended') return failures;
  failures.push(
    ...evaluateEligibility(team.programme, course.state.facts, {
      factDefinitions: team.rules.factDefinitions,
      unknownFact: team.rules.unknownFact,
    }).map((f) => ({ code: f.code, reason: f.reason })),
  );
  const window = pathwayWindowFailure(course, team);
  if (window) failures.push(window);
  return failures;
}

/**
 * Would the course stream accept the seat (course active and accepted, programme in its pathway, step
 * not done, no seat on another team of the programme)? `releasing`: a team whose seat the same write
 * gives up (a rebook), so its seat does not count.
 */
export function courseSideRefusal(
  course: LoadedCourse,
  team: PlannedTeam,
  now: string,
  options: { releasing?: string } = {},
): DomainError | null {
  let state: CourseState = course.state;
  const programme = team.programme.code;
  if (options.releasing && state.seats.some((s) => s.teamId === options.releasing)) {
    const released = courseDecider.decide(
      { type: 'RecordSeatReleased', teamId: options.releasing, programme, pathway: course.pathway, now, reason: 'rebooked' },
      state,
    );
    if (!isDomainError(released)) state = released.reduce<CourseState>((s, event) => courseDecider.evolve(s, event), state);
  }
  const booked = courseDecider.decide({ type: 'RecordSeatBooked', teamId: team.teamId, programme, pathway: course.pathway, now }, state);
  return isDomainError(booked) ? booked : null;
}

export function waitlistRefusal(course: LoadedCourse, team: PlannedTeam, now: string): DomainError | null {
  const joined = courseDecider.decide(
    { type: 'RecordWaitlisted', teamId: team.teamId, programme: team.programme.code, pathway: course.pathway, now },
    course.state,
  );
  return isDomainError(joined) ? joined : null;
}

/**
 * The pathway window of the step the team's programme serves (e.g. "1–2 weeks after X"), made concrete
 * for this course, against the team's first session. No window, or an anchor that has not happened
 * yet, fits. Windows in days, weeks or months count local calendar days in the pathway's time zone;
 * windows in hours are exact (the same reading as the course decider's).
 */
export function pathwayWindowFailure(course: LoadedCourse, team: PlannedTeam): FailedCriterion | undefined {
  const { pathway, state } = course;
  const step = stepServing(pathway, state, team.programme.code);
  const window = step?.window;
  if (!step || !window) return undefined;
  const anchor = anchorOf(state, step, pathway);
  if (!anchor) return undefined;
  const first = team.sessions.find((s) => s.cancelled === null) ?? team.sessions.at(0);
  if (!first) return undefined;
  const tz = pathway.timeZone;
  const startMs = toMillis(first.startsAt);
  let from: string;
  let to: string;
  let outside: boolean;
  if (window.from.unit === 'hours') {
    const fromMs = toMillis(anchor.at) + window.from.value * 3_600_000;
    const toMs = toMillis(anchor.at) + window.to.value * 3_600_000;
    outside = startMs < fromMs || startMs > toMs;
    from = formatInZone(fromMs, tz);
    to = formatInZone(toMs, tz);
  } else {
    const anchorDate = formatInZone(toMillis(anchor.at), tz).slice(0, 10);
    from = addDuration(anchorDate, window.from);
    to = addDuration(anchorDate, window.to);
    const date = formatInZone(startMs, tz).slice(0, 10);
    outside = date < from || date > to;
  }
  if (!outside) return undefined;
  return {
    code: 'OUTSIDE_PATHWAY_WINDOW',
    reason: `${step.name.en} should take place between ${from} and ${to} (after ${anchor.relativeTo}); this team starts ${formatInZone(startMs, tz).slice(0, 16).replace('T', ' ')}.`,
  };
}

function stepServing(pathway: PathwayDefinition, state: CourseState, programme: string): PathwayStep | undefined {
  const offering = pathway.steps.filter((s) =>
    s.kind === 'programme' ? s.programme === programme : s.kind === 'choice' && s.options.includes(programme),
  );
  const open = offering.find((s) => {
    const status = progress(state, s.code)?.status;
    return (!s.optional || Object.hasOwn(state.addOns, s.code)) && status !== 'completed' && status !== 'skipped';
  });
  return open ?? offering[0];
}

const progress = (state: CourseState, code: string) => (Object.hasOwn(state.steps, code) ? state.steps[code] : undefined);

function anchorOf(state: CourseState, step: PathwayStep, pathway: PathwayDefinition): { relativeTo: string; at: string } | undefined {
  const anchor = step.window?.after;
  if (!anchor) return undefined;
  const label = (code: string) => pathway.steps.find((s) => s.code === code)?.name.en ?? code;
  if (anchor.kind === 'referralReceived')
    return state.referral ? { relativeTo: 'the referral was received', at: state.referral.receivedAt } : undefined;
  if (anchor.kind === 'step') {
    const p = progress(state, anchor.step);
    if (!p || p.status === 'skipped') return undefined;
    const at = anchor.edge === 'end' ? (p.completedAt ?? p.endsAt ?? p.at) : (p.at ?? p.completedAt);
    return at ? { relativeTo: `${label(anchor.step)} (${anchor.edge})`, at } : undefined;
  }
  let latest: { code: string; at: string } | undefined;
  for (const [code, p] of Object.entries(state.steps)) {
    if (code === step.code || p.status === 'skipped') continue;
    const at = p.completedAt ?? p.endsAt ?? p.at;
    if (at !== undefined && (!latest || toMillis(at) > toMillis(latest.at))) latest = { code, at };
  }
  return latest ? { relativeTo: `${label(latest.code)} (the last intervention)`, at: latest.at } : undefined;
}

function addDuration(date: string, d: Duration): string {
  if (d.unit === 'months') return new Date(addMonthsMillis(date, d.value)).toISOString().slice(0, 10);
  return addDaysToLocalDate(date, d.value * (d.unit === 'weeks' ? 7 : d.unit === 'days' ? 1 : 0));
}
