import { Inject, Injectable } from '@nestjs/common';
import type { CourseState } from '#app/domain';
import { PatientCourses } from './patient-courses.js';
import { PatientIdentityService } from './patient-identity.service.js';
import type { PatientSearchResponse } from './patient-search.response.js';

/** The clinic's patient with a CPR number and the patient's courses there (oldest referral first). */
@Injectable()
export class PatientSearch {
  constructor(
    @Inject(PatientIdentityService) private readonly patients: PatientIdentityService,
    @Inject(PatientCourses) private readonly courses: PatientCourses,
  ) {}

  async search(clinicId: string, cpr: string): Promise<PatientSearchResponse> {
    const patientId = await this.patients.find(clinicId, cpr);
    if (!patientId) return { patientId: null, courses: [] };
    const courses = await this.courses.courses(clinicId, patientId);
    return {
      patientId,
      courses: courses.map(({ courseId, state }) => ({
        courseId,
        pathway: pathwayOf(courseId, state),
        status: state.status,
        open: state.status !== 'ended',
        receivedAt: state.referral?.receivedAt ?? '',
        visitationDueBy: state.referral?.visitationDueBy ?? '',
        visitationDecidedAt: state.visitation?.decidedAt ?? null,
        endedAt: state.ended?.endedAt ?? null,
        seats: state.seats.map((s) => ({ teamId: s.teamId, programme: s.programme })),
        waitlists: state.waitlists.map((w) => w.programme),
      })),
    };
  }
}

/** a course the search found was referred (its stream starts with the referral), so it names its pathway */
function pathwayOf(courseId: string, state: CourseState): { code: string; version: number } {
  if (!state.pathway) throw new Error(`course ${courseId} has events but no pathway`);
  return { code: state.pathway.code, version: state.pathway.version };
}
