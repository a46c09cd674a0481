import type { Decider, DomainEvent } from '../shared/decider.js';

/**
 * Stream `patientcourses-<patientId>`: one `PatientCourseOpened` per course opened for a patient (in the
 * patient's clinic: patients are per clinic). The write-side index that lets a referral see the patient's
 * other courses; whether one of them is still open is judged by the caller from the course streams, and two
 * referrals racing for one patient meet here on the expected revision.
 */
export const patientCoursesStreamId = (patientId: string): string => `patientcourses-${patientId}`;

export interface OpenedCourse {
  readonly courseId: string;
  /** pathway code */
  readonly pathway: string;
  readonly openedAt: string;
}

export type PatientCourseOpened = DomainEvent<'PatientCourseOpened', OpenedCourse>;

export interface OpenPatientCourse {
  readonly type: 'OpenPatientCourse';
  readonly courseId: string;
  readonly pathway: string;
  readonly now: string;
}

export interface PatientCoursesState {
  readonly opened: readonly OpenedCourse[];
}

/** Opening a course already in the index changes nothing (a retry of the same referral). */
export const patientCoursesDecider: Decider<OpenPatientCourse, PatientCourseOpened, PatientCoursesState> = {
  initialState: () => ({ opened: [] }),
  evolve: (state, event) => ({ opened: [...state.opened, event.data] }),
  decide: (command, state) =>
    state.opened.some((o) => o.courseId === command.courseId)
      ? []
      : [{ type: 'PatientCourseOpened', data: { courseId: command.courseId, pathway: command.pathway, openedAt: command.now } }],
};
