import {
  bookableSteps,
  formatInZone,
  prerequisitesOf,
  programmesOf,
  toMillis,
  type CourseState,
  type OpenCourse,
  type PathwayDefinition,
  type StepProgress,
} from '#app/domain';

/** One group programme a course will need next, and from which local date. */
export interface ProgrammeNeed {
  readonly programme: string;
  readonly stepCode: string;
  /** `YYYY-MM-DD` in the pathway's time zone */
  readonly needFrom: string;
  /** a choice step the patient has not chosen yet: counted under each option */
  readonly undecided: boolean;
  readonly waitlisted: boolean;
}

/**
 * Where the course's pathway stands decides what it needs: each group step (programme or choice) that
 * can be booked now (its prerequisites are booked or done) and holds no seat yet. It is needed from the
 * start of its window when the window's anchor is known, else from the latest date among its
 * prerequisites (their booked time, end or completion), else from receipt of the referral. Steps further
 * ahead cannot be dated from the course alone and are not counted. Pure: no clock, so replay is exact.
 */
export function programmeNeeds(state: CourseState, pathway: PathwayDefinition): ProgrammeNeed[] {
  if (state.status !== 'active') return [];
  const needs: ProgrammeNeed[] = [];
  for (const next of bookableSteps(state, pathway)) {
    if (next.step.kind === 'intervention') continue;
    if (state.seats.some((s) => s.stepCode === next.stepCode || (next.programme !== undefined && s.programme === next.programme))) continue;
    const needFrom = needDate(state, pathway, next.stepCode, next.window);
    const programmes = next.programme !== undefined ? [next.programme] : programmesOf(next.step);
    for (const programme of programmes) {
      needs.push({
        programme,
        stepCode: next.stepCode,
        needFrom,
        undecided: next.programme === undefined,
        waitlisted: state.waitlists.some((w) => w.programme === programme),
      });
    }
  }
  return needs;
}

function needDate(
  state: OpenCourse,
  pathway: PathwayDefinition,
  stepCode: string,
  window: { unit: 'day' | 'hour'; from: string } | undefined,
): string {
  const local = (iso: string) => formatInZone(toMillis(iso), pathway.timeZone).slice(0, 10);
  if (window) return window.unit === 'day' ? window.from : local(window.from);
  let latest: string | undefined;
  for (const code of prerequisitesOf(pathway, stepCode)) {
    const p = state.steps[code] as StepProgress | undefined;
    const at = p?.completedAt ?? p?.endsAt ?? p?.at;
    if (at !== undefined && (latest === undefined || toMillis(at) > toMillis(latest))) latest = at;
  }
  return local(latest ?? state.referral.receivedAt);
}
