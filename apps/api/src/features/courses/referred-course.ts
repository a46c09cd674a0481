import type { CourseState, EndedCourse, OpenCourse } from '#app/domain';
import { ApiError } from '../../platform/http/api-error.js';

/** a course with its referral: open or ended (every stored course stream starts with ReferralReceived) */
export type ReferredCourseState = OpenCourse | EndedCourse;

/** Narrows a replayed course to one with a referral; a stream without one is no course (404). */
export function referredCourse(state: CourseState, courseId: string): ReferredCourseState {
  if (state.status === 'none') throw ApiError.notFound('course', courseId);
  return state;
}
