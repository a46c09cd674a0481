import { applyDecorators, Body, Controller, Header, HttpCode, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PatientData } from '../../platform/access-log/patient-data.decorator.js';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../platform/auth/roles.decorator.js';
import { formatPosition, type Position } from '#app/event-store';
import { Write, type WriteContext } from '../../platform/write-path/write-context.js';
import { setWriteHeaders } from '../../platform/write-path/write-response.js';
import { AUTH_ERRORS, baseUrl, OUTCOME } from './fhir.controller.js';
import { FhirParametersRequest } from './fhir-operations.request.js';
import { FhirSchedulingService, type OperationResult, type Seen } from './fhir-scheduling.service.js';
import { FHIR_JSON, OperationOutcomeFilter } from './operation-outcome.filter.js';

const PATIENT = { name: 'patient', valueReference: { reference: 'Patient/5f0c2a1e-7d3b-4c8e-9a1f-2b3c4d5e6f70' } };
const PROPOSED = {
  resourceType: 'Appointment',
  status: 'proposed',
  serviceType: [{ coding: [{ system: 'urn:group-course-scheduler:programme', code: 'FORSTAA_SMERTE', display: 'Forstå smerte' }] }],
  start: '2026-03-02T13:00:00+01:00',
  end: '2026-03-02T15:00:00+01:00',
  slot: [{ reference: 'Slot/0b5e8a52-3c7a-4a39-9f0e-2b9c1d7e4f10.S1' }],
  participant: [{ actor: { reference: 'Patient/5f0c2a1e-7d3b-4c8e-9a1f-2b3c4d5e6f70' }, required: 'required', status: 'needs-action' }],
};
const BUNDLE = (type: string, status: string) => ({
  'application/fhir+json': {
    schema: { type: 'object', additionalProperties: true },
    example: { resourceType: 'Bundle', type, entry: [{ fullUrl: 'urn:uuid:3f1c…', resource: { ...PROPOSED, status } }] },
  },
});
const PARAMETERS = (parameter: unknown[]) =>
  ApiBody({ type: FhirParametersRequest, examples: { parameters: { value: { resourceType: 'Parameters', parameter } } } });
const IDEMPOTENCY = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'A retry with the same key and body returns the first answer and writes nothing new',
});
const WRITE_HEADERS = {
  ETag: { description: 'team seat: the team stream revision; appointment: the patient schedule revision', schema: { type: 'string' } },
  'X-Event-Position': { description: 'the last position written (for X-Min-Position on a later read)', schema: { type: 'string' } },
};
const OPERATION_ERRORS = [
  OUTCOME(
    400,
    'OperationOutcome (invalid): the Parameters are malformed or name a parameter the operation does not take (one issue each)',
    'invalid',
    'VALIDATION_FAILED',
    'The parameter start is not valid.',
  ),
  ...AUTH_ERRORS,
  OUTCOME(
    404,
    'OperationOutcome (not-found): no such course, patient, team or service in your clinic',
    'not-found',
    'NOT_FOUND',
    'No course with that id was found in your clinic.',
  ),
];
const WRITE_ERRORS = [
  OUTCOME(
    409,
    'OperationOutcome (conflict): TEAM_FULL, SCHEDULE_CLASH (one issue per clashing resource), ALREADY_ON_TEAM, CONCURRENCY_CONFLICT …',
    'conflict',
    'TEAM_FULL',
    'All 25 seats on the team are taken; the course can join the waitlist.',
  ),
  OUTCOME(
    422,
    'OperationOutcome (processing): NOT_ELIGIBLE (one business-rule issue per failed criterion), TEAM_CLOSED_FOR_LATE_JOINERS, IDEMPOTENCY_KEY_REUSED …',
    'processing',
    'NOT_ELIGIBLE',
    'The patient does not meet the criteria for Forstå smerte.',
  ),
];

const FIND_ERRORS = applyDecorators(
  ...OPERATION_ERRORS,
  OUTCOME(
    422,
    'OperationOutcome (processing): UNKNOWN_SERVICE, COURSE_REQUIRED, DURATION_REQUIRED',
    'processing',
    'UNKNOWN_SERVICE',
    'The clinic offers no programme or intervention X.',
  ),
);
const ALL_WRITE_ERRORS = applyDecorators(...OPERATION_ERRORS, ...WRITE_ERRORS);

function Operation(summary: string, description: string): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    HttpCode(200),
    Header('Content-Type', FHIR_JSON),
    ApiConsumes('application/fhir+json', 'application/json'),
    ApiProduces('application/fhir+json'),
    ApiOperation({ summary, description }),
  );
}

/**
 * IHE Scheduling (ITI-SCHED) operations on Appointment: $find, $hold, $book. The body is a FHIR Parameters
 * resource; answers are Bundles; errors OperationOutcomes listing every reason (OperationOutcomeFilter).
 */
@ApiTags('fhir')
@UseFilters(OperationOutcomeFilter)
@Controller('fhir/Appointment')
export class FhirOperationsController {
  constructor(@Inject(FhirSchedulingService) private readonly scheduling: FhirSchedulingService) {}

  @Post('$find')
  @Roles('integration', 'secretary', 'clinician')
  @PatientData({ use: 'search', patientFrom: 'body' })
  @Operation(
    'IHE $find: proposed Appointments for a patient’s course (open seats on teams, free times for an individual intervention)',
    'Parameters: `patient` (Patient/<pseudonymous id>: the patient’s one open course) or `course` (valueString or valueIdentifier: the course id); ' +
      '`service-type` (a programme or intervention code) or `healthcare-service` (HealthcareService/<id>); `start`, `end` (default now and 90 days on); ' +
      'for an intervention `practitioner` (1–6, who take part) and `location` (the room, optional); `_count` (default 20, at most 100). ' +
      'Team seats: planned teams with a free seat (nobody waiting first), open for new patients, starting in the range, that the course passes the enrolment’s checks for (eligibility criteria on its facts, its pathway, no seat on the programme yet). ' +
      'Intervention times: every 15 minutes within 08–16 on weekdays (clinic time) at which the practitioners, the room and the patient are free (the booking’s clash rule; team sessions count too). Writes nothing.',
  )
  @PARAMETERS([
    PATIENT,
    { name: 'service-type', valueCoding: { system: 'urn:group-course-scheduler:programme', code: 'FORSTAA_SMERTE' } },
    { name: 'start', valueDate: '2026-03-01' },
    { name: 'end', valueDate: '2026-05-01' },
  ])
  @ApiResponse({
    status: 200,
    description: 'Bundle (searchset) of proposed Appointments (fullUrl urn:uuid:…; their references resolve)',
    content: BUNDLE('searchset', 'proposed'),
  })
  @FIND_ERRORS
  async find(@Body() body: FhirParametersRequest, @Req() req: Request, @CurrentActor() actor: Actor): Promise<unknown> {
    return strip(await this.scheduling.find(actor, body.parameter, note(req)));
  }

  @Post('$hold')
  @Roles('integration', 'secretary')
  @PatientData({ use: 'write', patientFrom: 'body' })
  @Operation(
    'IHE $hold: keep a proposed seat or individual appointment time for the catalogue’s settings.holdMinutes (default 15)',
    'Parameters: `appt-resource` (the Appointment as $find proposed it), optional `course`, `reason`. The practitioners and the room are reserved with an expiry; ' +
      'the patient is checked but not booked. $book with the returned Appointment (its identifier names the hold) completes it; after the expiry the hold lapses ' +
      'and the time is free for others. A seat on a team (an Appointment with Slot references) is held on the team with the enrolment’s own checks (eligibility, ' +
      'free seat, nobody waiting first); $book (or POST /courses/{id}/enrolments) takes it, and after the expiry it is free again.',
  )
  @IDEMPOTENCY
  @PARAMETERS([
    {
      name: 'appt-resource',
      resource: {
        ...PROPOSED,
        slot: undefined,
        serviceType: [{ coding: [{ system: 'urn:group-course-scheduler:intervention', code: 'KORT_PRIMAERSAMTALE' }] }],
      },
    },
  ])
  @ApiResponse({
    status: 200,
    description: 'Bundle (collection) with the held Appointment (status pending, identifier = the hold)',
    content: BUNDLE('collection', 'pending'),
    headers: WRITE_HEADERS,
  })
  @ALL_WRITE_ERRORS
  async hold(
    @Body() body: FhirParametersRequest,
    @Req() req: Request,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const result = await this.scheduling.hold(ctx, body.parameter, note(req));
    if (result.revision !== undefined)
      setWriteHeaders(res, { revision: result.revision, position: result.position as Position | undefined });
    else if (result.position) res.setHeader('X-Event-Position', formatPosition(result.position as Position));
    return strip(result);
  }

  @Post('$book')
  @Roles('integration', 'secretary')
  @PatientData({ use: 'write', patientFrom: 'body' })
  @Operation(
    'IHE $book: book a proposed (or held) Appointment through the REST API’s write path',
    'Parameters: `appt-resource` (the Appointment from $find or $hold), optional `course`, `reason`. A team seat goes through POST /courses/{id}/enrolments’ code and an ' +
      'individual appointment through POST /courses/{id}/appointments’ code: the same eligibility, competence, capacity and clash refusals (an OperationOutcome with ' +
      'one issue per failed criterion or clashing resource), Idempotency-Key, and events recording the caller (the integration) as actor.',
  )
  @IDEMPOTENCY
  @PARAMETERS([{ name: 'appt-resource', resource: PROPOSED }])
  @ApiResponse({
    status: 200,
    description: 'Bundle (collection) with the booked Appointment; its fullUrl reads back once the read models have it (X-Min-Position)',
    content: BUNDLE('collection', 'booked'),
    headers: WRITE_HEADERS,
  })
  @ALL_WRITE_ERRORS
  async book(
    @Body() body: FhirParametersRequest,
    @Req() req: Request,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const result = await this.scheduling.book(ctx, body.parameter, baseUrl(req), note(req));
    if (result.revision !== undefined)
      setWriteHeaders(res, { revision: result.revision, position: result.position as Position | undefined });
    return strip(result);
  }
}

/** puts the course's pseudonymous ids where the access log reads them (the request body), once known */
function note(req: Request): Seen {
  return (course) => {
    (req as { body?: unknown }).body = { ...(req.body as object), patientIds: [course.state.patientId], courseIds: [course.courseId] };
  };
}

function strip(result: OperationResult): unknown {
  const { patientIds: _p, courseIds: _c, revision: _r, position: _x, ...bundle } = result;
  return bundle;
}
