import { addMinutes, toMillis } from '../catalogue/calendar.js';
import type { PathwayDefinition } from '../catalogue/pathway.js';
import type { CourseState } from '../course/course.state.js';
import type { SessionUse } from './team-holds.js';

/** a booked step without a known length holds its staff this long */
export const DEFAULT_STEP_MINUTES = 60;

/**
 * What a course (its stream's current state) holds on the clinicians' schedule streams: every booked
 * (scheduled, not yet completed or skipped) individual pathway step holds the microteam members in the
 * roles the step requires (PAL and contact nurse at the long first talk and the closing talk, the contact
 * nurse at the nurse follow-ups) from its booked start to its booked end, or for the intervention's length
 * in the catalogue. Group steps are held by their team's sessions instead. Pure, like teamResourceUse.
 */
export function courseStepUse(
  state: CourseState,
  pathway: PathwayDefinition,
  minutesOf: (intervention: string) => number | undefined,
  courseId: string,
  clinicId: string,
  timeZone: string,
): SessionUse[] {
  const uses: SessionUse[] = [];
  for (const step of pathway.steps) {
    if (step.kind !== 'intervention') continue;
    const progress = Object.hasOwn(state.steps, step.code) ? state.steps[step.code] : undefined;
    if (progress?.status !== 'scheduled' || !progress.at || progress.teamId) continue;
    const roles = step.requiresRoles ?? [];
    const staff = [...new Set(state.microteam.filter((m) => roles.includes(m.role)).map((m) => m.clinicianId))].sort();
    if (staff.length === 0) continue;
    const end =
      progress.endsAt && toMillis(progress.endsAt) > toMillis(progress.at)
        ? progress.endsAt
        : addMinutes(progress.at, minutesOf(step.intervention) ?? DEFAULT_STEP_MINUTES, timeZone);
    for (const clinicianId of staff) {
      uses.push({ resource: { kind: 'clinician', id: clinicianId }, owner: courseId, clinicId, key: step.code, start: progress.at, end });
    }
  }
  return uses;
}
