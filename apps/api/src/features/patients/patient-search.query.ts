import { Inject, Injectable } from '@nestjs/common';
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
        pathway: { code: state.pathway!.code, version: state.pathway!.version },
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
