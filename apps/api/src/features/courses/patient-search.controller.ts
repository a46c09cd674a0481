import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { PatientData } from '../../platform/access-log/patient-data.decorator.js';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../platform/auth/roles.decorator.js';
import { PatientCourses } from '../patients/patient-courses.js';
import { CprField } from '../../platform/privacy/cpr-in-text.guard.js';
import { PatientIdentityService } from '../patients/patient-identity.service.js';
import { ErrorBodyResponse } from '../../platform/http/openapi.js';
import { IsCpr } from '../../platform/http/validators.js';

export class PatientSearchRequest {
  @ApiProperty({ example: '010100-0000', description: "the patient's CPR number (DDMMYY-SSSS or DDMMYYSSSS); only ever in this body, never in a URL" })
  @IsCpr()
  cpr: string;
}

export class PatientCoursePathwayResponse {
  @ApiProperty({ example: 'SMERTEFORLOEB' }) code: string;
  @ApiProperty({ example: 1 }) version: number;
}

export class PatientCourseSeatResponse {
  @ApiProperty({ example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11' }) teamId: string;
  @ApiProperty({ example: 'FORSTAA_SMERTE' }) programme: string;
}

export class PatientCourseSummaryResponse {
  @ApiProperty({ example: '5b8e1c7a-6a55-4f0e-9f7c-3c2d1e0b9a88' }) courseId: string;
  @ApiProperty({ type: PatientCoursePathwayResponse }) pathway: PatientCoursePathwayResponse;
  @ApiProperty({ enum: ['on_hold', 'awaiting_visitation', 'active', 'ended'], example: 'active' }) status: string;
  @ApiProperty({ example: true, description: 'not ended: a new referral on the same pathway would be 409 OPEN_COURSE_EXISTS' }) open: boolean;
  @ApiProperty({ example: '2026-03-02T08:15:00+01:00' }) receivedAt: string;
  @ApiProperty({ example: '2026-03-04T08:15:00+01:00' }) visitationDueBy: string;
  @ApiProperty({ type: String, example: '2026-03-03T10:00:00+01:00', nullable: true }) visitationDecidedAt: string | null;
  @ApiProperty({ type: String, example: null, nullable: true, description: 'when the course ended (also by rejection at visitation)' }) endedAt: string | null;
  @ApiProperty({ type: [PatientCourseSeatResponse], description: 'the teams the course holds seats on' }) seats: PatientCourseSeatResponse[];
  @ApiProperty({ example: ['MBSR'], description: 'programmes the course is waiting for a seat on' }) waitlists: string[];
}

export class PatientSearchResponse {
  @ApiProperty({ type: String, example: '8d3f7a2e-1b4c-4e5d-9a6b-7c8d9e0f1a2b', nullable: true, description: "the clinic's pseudonymous patient id; null when the clinic has no patient with this number" })
  patientId: string | null;
  @ApiProperty({ type: [PatientCourseSummaryResponse], description: "the patient's courses in your clinic, oldest referral first" })
  courses: PatientCourseSummaryResponse[];
}

@ApiTags('courses')
@ApiBearerAuth()
@Controller('patients')
export class PatientSearchController {
  constructor(
    @Inject(PatientIdentityService) private readonly patients: PatientIdentityService,
    @Inject(PatientCourses) private readonly courses: PatientCourses,
  ) {}

  @Post('search')
  @HttpCode(200)
  @Roles('secretary', 'clinician')
  @CprField('cpr')
  @PatientData({ use: 'search', patientFrom: 'response' })
  @ApiOperation({
    summary: "Find a patient by CPR number: the patient's courses in your clinic (secretaries, clinicians, admins)",
    description:
      'The CPR number goes in the body, never in the URL, and is not stored, logged or echoed. Only the caller\'s clinic is searched ' +
      '(a patient is a separate identity per clinic). Every look-up is written to the access log (use `search`, the patient and courses found). ' +
      'Clinicians may search as well as secretaries: a visitation doctor or contact nurse on the phone needs the course as much as a secretary, and the access log records each look-up. ' +
      'Auditors and integrations may not (403). An unknown number is not an error: 200 with `patientId: null` and no courses.',
  })
  @ApiOkResponse({ type: PatientSearchResponse })
  @ApiBadRequestResponse({ type: ErrorBodyResponse, description: 'VALIDATION_FAILED: cpr missing or not a valid CPR number (the number is never repeated), unknown fields' })
  @ApiUnauthorizedResponse({ type: ErrorBodyResponse, description: 'UNAUTHENTICATED' })
  @ApiForbiddenResponse({ type: ErrorBodyResponse, description: 'FORBIDDEN: auditors and integrations may not search for patients' })
  async search(@Body() body: PatientSearchRequest, @CurrentActor() actor: Actor): Promise<PatientSearchResponse> {
    const patientId = await this.patients.find(actor.clinicId, body.cpr);
    if (!patientId) return { patientId: null, courses: [] };
    const courses = await this.courses.courses(actor.clinicId, patientId);
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
