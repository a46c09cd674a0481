import { evolveTeam, initialTeamState, standardPathway, type PathwayDefinition, type PlannedTeam } from '#app/domain';
import { courseAfter } from '../../../../../libs/domain/src/course/testing/course.fixtures.js';
import { eligibleFor, planned } from '../../../../../libs/domain/src/team/testing/team.fixtures.js';
import { followUpEventId } from './process-managers/follow-up-ids.js';
import { pathwayWindowFailure, seatFitFailures } from './seat-fit.js';
import type { LoadedCourse } from './streams.js';

/** the standard pathway, with Livet med smerter due 1–3 weeks after Lang primærsamtale (a data-only change) */
const withWindow: PathwayDefinition = {
  ...standardPathway,
  steps: standardPathway.steps.map((s) =>
    s.code === 'LIVET_MED_SMERTER'
      ? {
          ...s,
          window: {
            after: { kind: 'step', step: 'LANG_PRIMAERSAMTALE', edge: 'end' },
            from: { value: 7, unit: 'days' },
            to: { value: 21, unit: 'days' },
            source: s.source,
          },
        }
      : s,
  ),
};

function course(label: string, pathway: PathwayDefinition = withWindow, facts = {}): LoadedCourse {
  const { state } = courseAfter(label);
  if (state.status === 'none') throw new Error(`the course after ${label} has no referral`);
  return {
    courseId: 'course-1',
    streamId: 'course-course-1',
    state: { ...state, facts: { ...state.facts, ...facts } },
    revision: 0,
    events: [],
    pathway,
    clinicId: 'smertecenter-syd',
  };
}

function lmsTeam(startsOn: string): PlannedTeam {
  return evolveTeam(
    initialTeamState,
    planned('LIVET_MED_SMERTER', { teamId: 'lms-9', startsOn, now: '2024-01-01T00:00:00+01:00' }),
  ) as PlannedTeam;
}

describe('seat fit (waitlist review and next-eligible rebooking)', () => {
  // Lang primærsamtale ended 2024-03-27 11:30 → the window is 2024-04-03 … 2024-04-17 (local dates)
  it('a team inside the course’s pathway window fits; one after it does not, with a sentence naming the window', () => {
    expect(pathwayWindowFailure(course('lang'), lmsTeam('2024-04-10'))).toBeUndefined();
    expect(pathwayWindowFailure(course('lang'), lmsTeam('2024-04-17'))).toBeUndefined();
    const late = pathwayWindowFailure(course('lang'), lmsTeam('2024-04-24'));
    expect(late).toEqual({
      code: 'OUTSIDE_PATHWAY_WINDOW',
      reason: expect.stringContaining('between 2024-04-03 and 2024-04-17') as unknown,
    });
  });

  it('no window (the default pathway), or an anchor that has not happened yet, fits', () => {
    expect(pathwayWindowFailure(course('lang', standardPathway), lmsTeam('2024-09-01'))).toBeUndefined();
    expect(pathwayWindowFailure(course('accept'), lmsTeam('2024-09-01'))).toBeUndefined();
  });

  it('lists every reason a waiting course cannot take the seat: eligibility on current facts and the window', () => {
    const failures = seatFitFailures(
      course('lang', withWindow, { ...eligibleFor('LIVET_MED_SMERTER'), ongoingMedicationTrial: true }),
      lmsTeam('2024-04-24'),
      '2024-04-01T09:00:00+02:00',
    );
    expect(failures.map((f) => f.code)).toEqual(['LMS_MEDICATION_TRIAL', 'OUTSIDE_PATHWAY_WINDOW']);
    expect(seatFitFailures(undefined, lmsTeam('2024-04-24'), '2024-04-01T09:00:00+02:00').map((f) => f.code)).toEqual(['COURSE_NOT_FOUND']);
  });

  it('follow-up event ids are deterministic uuids (v5), different per purpose and index', () => {
    const source = '3f0f6f52-8a57-4a57-9d6c-6c4b8a0f2e11';
    const id = followUpEventId(source, 'course');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(followUpEventId(source.toUpperCase(), 'course')).toBe(id);
    expect(new Set([id, followUpEventId(source, 'course', 1), followUpEventId(source, 'compensate')]).size).toBe(3);
  });
});
