import { Controller, Get, Header, Inject, Req, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { PatientData } from '../access-log/patient-data.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/current-actor.decorator.js';
import { Public, Roles } from '../auth/roles.decorator.js';
import { ApiError } from '../http/api-error.js';
import { capabilityStatement } from './capability-statement.js';
import { FhirService } from './fhir.service.js';
import type { Bundle, FhirResource } from './fhir.types.js';
import { FHIR_JSON, OperationOutcomeFilter } from './operation-outcome.filter.js';

const BUNDLE = ApiResponse({
  status: 200,
  description: 'A FHIR R4 Bundle of type searchset (application/fhir+json)',
  content: { 'application/fhir+json': { schema: { type: 'object', example: { resourceType: 'Bundle', type: 'searchset', total: 1, entry: [] } } } },
});
const OUTCOME = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/fhir+json': { schema: { type: 'object', example: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] } } } } });
const ERRORS = [
  OUTCOME(400, 'OperationOutcome (invalid): a search parameter is not valid'),
  OUTCOME(401, 'OperationOutcome (login): no or an invalid access token'),
  OUTCOME(403, 'OperationOutcome (forbidden): roles integration, secretary, auditor or admin'),
];
const Q = (name: string, description: string, example?: string) => ApiQuery({ name, required: false, description, ...(example ? { example } : {}) });
const PAGING = [Q('_count', 'page size (default 100, at most 500)', '50'), Q('_offset', 'entries to skip (see the `next` link)')];
const DATE = Q('date', 'with a prefix: ge, gt, le, lt or eq (default); repeat for a range, e.g. date=ge2026-03-01&date=lt2026-04-01', 'ge2026-03-01');

type FhirRequest = Request & { actor?: Actor };

function each(...decorators: Array<MethodDecorator>): MethodDecorator {
  return (target, key, descriptor) => {
    for (const d of decorators) d(target, key, descriptor);
  };
}

/**
 * FHIR R4 read API for hospital systems (search only). Answers are application/fhir+json; every error is an
 * OperationOutcome (OperationOutcomeFilter) with the matching 4xx.
 */
@ApiTags('fhir')
@Roles('integration', 'secretary', 'auditor')
@UseFilters(OperationOutcomeFilter)
@Controller('fhir')
export class FhirController {
  constructor(@Inject(FhirService) private readonly fhir: FhirService) {}

  @Get('metadata')
  @Public()
  @Header('Content-Type', FHIR_JSON)
  @ApiProduces('application/fhir+json')
  @ApiOperation({ summary: 'FHIR CapabilityStatement: the resources and search parameters this server supports', description: 'Public, like every FHIR server’s capabilities: it holds no data.' })
  @ApiResponse({ status: 200, description: 'CapabilityStatement (application/fhir+json)', content: { 'application/fhir+json': { schema: { type: 'object' } } } })
  metadata(@Req() req: Request): FhirResource {
    return capabilityStatement(baseUrl(req), { name: 'group-course-scheduler', version: '0.1.0' });
  }

  @Get('Appointment')
  @ApiBearerAuth()
  @PatientData({ use: 'read', patientFrom: 'body' })
  @Header('Content-Type', FHIR_JSON)
  @ApiProduces('application/fhir+json')
  @ApiOperation({
    summary: 'Search appointments: group team sessions and individual appointments',
    description:
      "A group session's participants are its room (Location), therapists (Practitioner) and the patients on the team (Patient, by pseudonymous id; never a CPR number). Sorted by start.",
  })
  @each(
    Q('actor', 'Practitioner/<staff id>, Location/<room id> or Patient/<pseudonymous patient id> (comma: any of them)', 'Practitioner/doc-17'),
    Q('patient', 'Patient/<pseudonymous patient id>'),
    Q('practitioner', 'Practitioner/<staff id>'),
    Q('location', 'Location/<room id>'),
    DATE,
    Q('status', 'booked or cancelled (comma: either)', 'booked'),
    ...PAGING,
  )
  @BUNDLE
  @each(...ERRORS)
  async appointments(@Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<Bundle> {
    const found = await this.fhir.appointments(actor, req.query as Record<string, unknown>, baseUrl(req));
    // a GET has no body: the pseudonymous patients this answer names are put there for the access log
    (req as { body?: unknown }).body = { patientIds: found.patientIds, courseIds: found.courseIds };
    return found.bundle;
  }

  @Get('Schedule')
  @ApiBearerAuth()
  @Header('Content-Type', FHIR_JSON)
  @ApiProduces('application/fhir+json')
  @ApiOperation({ summary: 'Search schedules: one per group team (its rooms, therapists and the span of its sessions)' })
  @each(Q('actor', 'Practitioner/<staff id> or Location/<room id>', 'Location/room-1'), Q('practitioner', 'Practitioner/<staff id>'), Q('location', 'Location/<room id>'), DATE, Q('active', 'true or false'), ...PAGING)
  @BUNDLE
  @each(...ERRORS)
  schedules(@Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<Bundle> {
    return this.fhir.schedules(actor, req.query as Record<string, unknown>, baseUrl(req));
  }

  @Get('Slot')
  @ApiBearerAuth()
  @Header('Content-Type', FHIR_JSON)
  @ApiProduces('application/fhir+json')
  @ApiOperation({ summary: "Search slots: one per team session, free while the team has a free seat (a seat is for all the team's sessions)" })
  @each(Q('schedule', 'Schedule/<team id>'), Q('start', 'like date', 'ge2026-03-01'), DATE, Q('status', 'free, busy or busy-unavailable (comma: any)', 'free'), ...PAGING)
  @BUNDLE
  @each(...ERRORS)
  slots(@Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<Bundle> {
    return this.fhir.slots(actor, req.query as Record<string, unknown>, baseUrl(req));
  }

  /** any other FHIR path: an OperationOutcome rather than the contract's JSON 404 */
  @Get('*path')
  @ApiExcludeEndpoint()
  unsupported(@Req() req: Request): never {
    throw new ApiError(404, 'NOT_FOUND', `This FHIR server has no ${req.path.replace(/^\/fhir\/?/, '').slice(0, 100) || 'such'} resource or operation; see /fhir/metadata.`);
  }
}

function baseUrl(req: Request): string {
  const host = req.get('host') ?? 'localhost';
  return `${req.protocol}://${/^[A-Za-z0-9.\-:[\]]{1,255}$/.test(host) ? host : 'localhost'}/fhir`;
}
