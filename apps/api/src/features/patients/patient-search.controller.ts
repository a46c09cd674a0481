import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { PatientData } from '../../platform/access-log/patient-data.decorator.js';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../platform/auth/roles.decorator.js';
import { ErrorResponse } from '../../platform/http/openapi.js';
import { CprField } from '../../platform/privacy/cpr-in-text.guard.js';
import { PatientSearch } from './patient-search.query.js';
import { PatientSearchRequest } from './patient-search.request.js';
import { PatientSearchResponse } from './patient-search.response.js';

/** POST /patients/search: a read (a CPR number never goes in a URL, so the query is a POST body); no command. */
@ApiTags('courses')
@ApiBearerAuth()
@Controller('patients')
export class PatientSearchController {
  constructor(@Inject(PatientSearch) private readonly patients: PatientSearch) {}

  @Post('search')
  @HttpCode(200)
  @Roles('secretary', 'clinician')
  @CprField('cpr')
  @PatientData({ use: 'search', patientFrom: 'response' })
  @ApiOperation({
    summary: "Find a patient by CPR number: the patient's courses in your clinic (secretaries, clinicians, admins)",
    description:
      "The CPR number goes in the body, never in the URL, and is not stored, logged or echoed. Only the caller's clinic is searched " +
      '(a patient is a separate identity per clinic). Every look-up is written to the access log (use `search`, the patient and courses found). ' +
      'Clinicians may search as well as secretaries: a visitation doctor or contact nurse on the phone needs the course as much as a secretary, and the access log records each look-up. ' +
      'Auditors and integrations may not (403). An unknown number is not an error: 200 with `patientId: null` and no courses.',
  })
  @ApiOkResponse({ type: PatientSearchResponse })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'VALIDATION_FAILED: cpr missing or not a valid CPR number (the number is never repeated), unknown fields',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'UNAUTHENTICATED' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'FORBIDDEN: auditors and integrations may not search for patients' })
  search(@Body() body: PatientSearchRequest, @CurrentActor() actor: Actor): Promise<PatientSearchResponse> {
    return this.patients.search(actor.clinicId, body.cpr);
  }
}
