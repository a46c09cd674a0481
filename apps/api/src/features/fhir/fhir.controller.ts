import { applyDecorators, Controller, Get, Header, Inject, Param, Post, Req, UseFilters } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExcludeEndpoint,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { PatientData } from '../../platform/access-log/patient-data.decorator.js';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { Public, Roles } from '../../platform/auth/roles.decorator.js';
import { ApiError } from '../../platform/http/api-error.js';
import { capabilityStatement } from './capability-statement.js';
import { strictHandling, MAX_COUNT } from './fhir-search.js';
import { FhirService, SEARCH_SPECS, type ReadType, type SearchType } from './fhir.service.js';
import type { Bundle, FhirResource } from './fhir.types.js';
import { FHIR_JSON, OperationOutcomeFilter } from './operation-outcome.filter.js';

const FHIR_CONTENT = (example: unknown) => ({
  'application/fhir+json': { schema: { type: 'object', additionalProperties: true }, example },
});
const OUTCOME_EXAMPLE = (code: string, text: string, stable: string) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code, details: { coding: [{ system: 'urn:group-course-scheduler:error-code', code: stable }], text } }],
});
export const OUTCOME = (status: number, description: string, code: string, stable: string, text: string) =>
  ApiResponse({ status, description, content: FHIR_CONTENT(OUTCOME_EXAMPLE(code, text, stable)) });
export const AUTH_ERRORS = [
  OUTCOME(
    401,
    'OperationOutcome (login): no or an invalid access token',
    'login',
    'UNAUTHENTICATED',
    'Please sign in: send an access token as "Authorization: Bearer <token>".',
  ),
  OUTCOME(
    403,
    'OperationOutcome (forbidden): the role does not allow this',
    'forbidden',
    'FORBIDDEN',
    'Your role does not allow this; it needs one of: integration, secretary, auditor.',
  ),
];
const SEARCH_ERRORS = [
  OUTCOME(
    400,
    'OperationOutcome (invalid): a search parameter is not valid, or (Prefer: handling=strict) not supported; diagnostics name each',
    'invalid',
    'UNSUPPORTED_SEARCH_PARAMETER',
    'This server does not support the search parameter foo; see /fhir/metadata.',
  ),
  ...AUTH_ERRORS,
];
const READ_ERRORS = [
  ...AUTH_ERRORS,
  OUTCOME(
    404,
    'OperationOutcome (not-found): no such resource in your clinic',
    'not-found',
    'NOT_FOUND',
    'There is no Location with id room-9 in your clinic.',
  ),
];

const PREFER = ApiHeader({
  name: 'Prefer',
  required: false,
  description:
    '`handling=strict`: unsupported parameters (and _include values) are a 400 naming each; `handling=lenient` (default): they are ignored and left out of the self link',
  example: 'handling=strict',
});
const Q = (name: string, description: string, example?: string) =>
  ApiQuery({ name, required: false, description, ...(example ? { example } : {}) });
const COMMON = [
  Q('_id', 'the resource id (comma: any of them)'),
  Q('_lastUpdated', 'meta.lastUpdated, with a prefix ge, gt, le, lt or eq; repeat for a range', 'ge2026-03-01'),
  Q('_count', `page size (default 100, at most ${MAX_COUNT}; more is capped, or a 400 under handling=strict)`, '50'),
  Q('_offset', 'entries to skip (see the `next` link)'),
];
const DATE = Q(
  'date',
  'with a prefix: ge, gt, le, lt or eq (default); repeat for a range, e.g. date=ge2026-03-01&date=lt2026-04-01',
  'ge2026-03-01',
);
const INCLUDE = (type: SearchType) =>
  SEARCH_SPECS[type].includes.length > 0
    ? [Q('_include', `one of ${SEARCH_SPECS[type].includes.join(', ')} (repeatable)`, SEARCH_SPECS[type].includes[0])]
    : [];

const EXAMPLES: Record<ReadType, FhirResource> = {
  Appointment: {
    resourceType: 'Appointment',
    id: 'session.0b5e8a52-3c7a-4a39-9f0e-2b9c1d7e4f10.S1',
    meta: { versionId: '0', lastUpdated: '2026-02-20T09:00:00.000Z' },
    status: 'booked',
    start: '2026-03-02T13:00:00+01:00',
    end: '2026-03-02T15:00:00+01:00',
    participant: [
      { actor: { reference: 'Location/room-1' }, required: 'required', status: 'accepted' },
      { actor: { reference: 'Practitioner/doc-17' }, required: 'required', status: 'accepted' },
      { actor: { reference: 'Patient/5f0c2a1e-7d3b-4c8e-9a1f-2b3c4d5e6f70' }, required: 'required', status: 'accepted' },
    ],
  },
  Schedule: {
    resourceType: 'Schedule',
    id: '0b5e8a52-3c7a-4a39-9f0e-2b9c1d7e4f10',
    active: true,
    actor: [{ reference: 'Location/room-1' }, { reference: 'HealthcareService/forstaa-smerte' }],
  },
  Slot: {
    resourceType: 'Slot',
    id: '0b5e8a52-3c7a-4a39-9f0e-2b9c1d7e4f10.S1',
    schedule: { reference: 'Schedule/0b5e8a52-3c7a-4a39-9f0e-2b9c1d7e4f10' },
    status: 'free',
    start: '2026-03-02T13:00:00+01:00',
    end: '2026-03-02T15:00:00+01:00',
  },
  Practitioner: {
    resourceType: 'Practitioner',
    id: 'doc-17',
    identifier: [{ system: 'urn:group-course-scheduler:staff-id', value: 'doc-17' }],
    active: true,
  },
  PractitionerRole: {
    resourceType: 'PractitionerRole',
    id: '0b5e8a52-3c7a-4a39-9f0e-2b9c1d7e4f10.doc-17',
    practitioner: { reference: 'Practitioner/doc-17' },
    code: [{ text: 'Primær behandler' }],
    healthcareService: [{ reference: 'HealthcareService/forstaa-smerte' }],
  },
  Location: { resourceType: 'Location', id: 'room-1', status: 'active', name: 'Store sal', mode: 'instance' },
  HealthcareService: { resourceType: 'HealthcareService', id: 'forstaa-smerte', active: true, name: 'Forstå smerte' },
  Patient: { resourceType: 'Patient', id: '5f0c2a1e-7d3b-4c8e-9a1f-2b3c4d5e6f70', active: true },
};

const DESCRIPTIONS: Record<SearchType, string> = {
  Appointment:
    "Group team sessions and individual appointments. A group session's participants are its room (Location), therapists (Practitioner) and the patients on the team (Patient, by pseudonymous id; never a CPR number). Sorted by start.",
  Schedule: 'One per group team (hold): its room(s), therapists and programme (HealthcareService), and the span of its sessions.',
  Slot: "One per team session: free while the team has a free seat and takes bookings (a seat is for all the team's sessions).",
  Practitioner:
    'Every clinician the clinic’s teams and appointments name (a registered clinician is also found by _id): staff id and professions only.',
  PractitionerRole:
    "One per therapist on a team: the clinician, the team's room(s), the programme and the role on the team, for the team's span.",
  Location: 'Every room the clinic registered or its teams and appointments use.',
  HealthcareService: "One per programme of the clinic's current catalogue, named in the clinic's language.",
};
const TYPE_PARAMS: Record<SearchType, MethodDecorator[]> = {
  Appointment: [
    Q(
      'actor',
      'Practitioner/<staff id>, Location/<room id> or Patient/<pseudonymous patient id> (comma: any of them)',
      'Practitioner/doc-17',
    ),
    Q('patient', 'Patient/<pseudonymous patient id>'),
    Q('practitioner', 'Practitioner/<staff id>'),
    Q('location', 'Location/<room id>'),
    DATE,
    Q('status', 'booked or cancelled (comma: either)', 'booked'),
  ],
  Schedule: [
    Q('actor', 'Practitioner/<staff id> or Location/<room id>', 'Location/room-1'),
    Q('practitioner', 'Practitioner/<staff id>'),
    Q('location', 'Location/<room id>'),
    DATE,
    Q('active', 'true or false'),
  ],
  Slot: [
    Q('schedule', 'Schedule/<team id>'),
    Q('start', 'like date', 'ge2026-03-01'),
    DATE,
    Q('status', 'free, busy or busy-unavailable (comma: any)', 'free'),
  ],
  Practitioner: [],
  PractitionerRole: [
    Q('practitioner', 'Practitioner/<staff id>', 'Practitioner/doc-17'),
    Q('location', 'Location/<room id>'),
    Q('service', 'HealthcareService/<id>', 'HealthcareService/forstaa-smerte'),
  ],
  Location: [],
  HealthcareService: [],
};

/** the decorators of GET /fhir/{type} */
function SearchRoute(type: SearchType): MethodDecorator {
  return applyDecorators(
    Get(type),
    ApiBearerAuth(),
    Header('Content-Type', FHIR_JSON),
    ApiProduces('application/fhir+json'),
    ApiOperation({
      summary: `Search ${type} (FHIR R4 search-type)`,
      description: `${DESCRIPTIONS[type]} Every search also takes _id, _lastUpdated, _count and _offset.`,
    }),
    PREFER,
    ...TYPE_PARAMS[type],
    ...INCLUDE(type),
    ...COMMON,
    ApiResponse({
      status: 200,
      description: `A FHIR R4 Bundle (searchset) of ${type}; _include'd resources follow with search.mode include`,
      content: FHIR_CONTENT({
        resourceType: 'Bundle',
        type: 'searchset',
        total: 1,
        link: [{ relation: 'self', url: `https://scheduler.example/fhir/${type}?_id=${String(EXAMPLES[type].id)}` }],
        entry: [
          {
            fullUrl: `https://scheduler.example/fhir/${type}/${String(EXAMPLES[type].id)}`,
            resource: EXAMPLES[type],
            search: { mode: 'match' },
          },
        ],
      }),
    }),
    ...SEARCH_ERRORS,
  );
}

/** the decorators of GET /fhir/{type}/{id} */
function ReadRoute(type: ReadType, summary: string): MethodDecorator {
  return applyDecorators(
    Get(`${type}/:id`),
    ApiBearerAuth(),
    Header('Content-Type', FHIR_JSON),
    ApiProduces('application/fhir+json'),
    ApiOperation({
      summary: `Read ${type} by id (FHIR R4 read)`,
      description: `${summary} Only the caller's clinic: another clinic's id is a 404 like an unknown one.`,
    }),
    ApiParam({ name: 'id', description: 'the FHIR id (as in Bundle.entry.fullUrl and references)', example: EXAMPLES[type].id }),
    ApiResponse({ status: 200, description: `The ${type} (application/fhir+json)`, content: FHIR_CONTENT(EXAMPLES[type]) }),
    ...READ_ERRORS,
  );
}

type FhirRequest = Request & { actor?: Actor };

/**
 * FHIR R4 API for hospital systems: read and search over the read models. Answers are
 * application/fhir+json; every error is an OperationOutcome (OperationOutcomeFilter) with the matching 4xx.
 */
@ApiTags('fhir')
@UseFilters(OperationOutcomeFilter)
@Controller('fhir')
export class FhirController {
  constructor(@Inject(FhirService) private readonly fhir: FhirService) {}

  @Get('metadata')
  @Public()
  @Header('Content-Type', FHIR_JSON)
  @ApiProduces('application/fhir+json')
  @ApiOperation({
    summary: 'FHIR CapabilityStatement: exactly the interactions, search parameters, includes and operations this server supports',
    description: 'Public, like every FHIR server’s capabilities: it holds no data.',
  })
  @ApiResponse({
    status: 200,
    description: 'CapabilityStatement (application/fhir+json)',
    content: FHIR_CONTENT({ resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1' }),
  })
  metadata(@Req() req: Request): FhirResource {
    return capabilityStatement(baseUrl(req), { name: 'group-course-scheduler', version: '0.1.0' });
  }

  // ---------------------------------------------------------------- search

  @SearchRoute('Appointment')
  @Roles('integration', 'secretary', 'auditor')
  @PatientData({ use: 'read', patientFrom: 'body' })
  searchAppointments(@Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<Bundle> {
    return this.search('Appointment', req, actor);
  }

  @SearchRoute('Schedule')
  @Roles('integration', 'secretary', 'auditor')
  searchSchedules(@Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<Bundle> {
    return this.search('Schedule', req, actor);
  }

  @SearchRoute('Slot')
  @Roles('integration', 'secretary', 'auditor')
  searchSlots(@Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<Bundle> {
    return this.search('Slot', req, actor);
  }

  @SearchRoute('Practitioner')
  @Roles('integration', 'secretary', 'auditor')
  searchPractitioners(@Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<Bundle> {
    return this.search('Practitioner', req, actor);
  }

  @SearchRoute('PractitionerRole')
  @Roles('integration', 'secretary', 'auditor')
  searchPractitionerRoles(@Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<Bundle> {
    return this.search('PractitionerRole', req, actor);
  }

  @SearchRoute('Location')
  @Roles('integration', 'secretary', 'auditor')
  searchLocations(@Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<Bundle> {
    return this.search('Location', req, actor);
  }

  @SearchRoute('HealthcareService')
  @Roles('integration', 'secretary', 'auditor')
  searchServices(@Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<Bundle> {
    return this.search('HealthcareService', req, actor);
  }

  // ---------------------------------------------------------------- read

  @ReadRoute('Appointment', 'A group session (id session.<team>.<session>) or an individual appointment (id appointment.<id>).')
  @Roles('integration', 'secretary', 'auditor')
  @PatientData({ use: 'read', patientFrom: 'body' })
  readAppointment(@Param('id') id: string, @Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<FhirResource> {
    return this.read('Appointment', id, req, actor);
  }

  @ReadRoute('Schedule', 'A team (hold): id = the team id.')
  @Roles('integration', 'secretary', 'auditor')
  readSchedule(@Param('id') id: string, @Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<FhirResource> {
    return this.read('Schedule', id, req, actor);
  }

  @ReadRoute('Slot', 'A team session: id = <team id>.<session key>.')
  @Roles('integration', 'secretary', 'auditor')
  readSlot(@Param('id') id: string, @Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<FhirResource> {
    return this.read('Slot', id, req, actor);
  }

  @ReadRoute('Practitioner', 'A clinician by staff id: identifier and professions, no other personal data.')
  @Roles('integration', 'secretary', 'auditor')
  readPractitioner(@Param('id') id: string, @Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<FhirResource> {
    return this.read('Practitioner', id, req, actor);
  }

  @ReadRoute('PractitionerRole', 'A therapist on a team: id = <team id>.<staff id>.')
  @Roles('integration', 'secretary', 'auditor')
  readPractitionerRole(@Param('id') id: string, @Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<FhirResource> {
    return this.read('PractitionerRole', id, req, actor);
  }

  @ReadRoute('Location', 'A room by room id.')
  @Roles('integration', 'secretary', 'auditor')
  readLocation(@Param('id') id: string, @Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<FhirResource> {
    return this.read('Location', id, req, actor);
  }

  @ReadRoute('HealthcareService', 'A programme of the catalogue: id = its code in lower case with - (forstaa-smerte).')
  @Roles('integration', 'secretary', 'auditor')
  readService(@Param('id') id: string, @Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<FhirResource> {
    return this.read('HealthcareService', id, req, actor);
  }

  @ReadRoute(
    'Patient',
    'A patient of the clinic by pseudonymous id: the id and nothing else (no name, no CPR number); it is what Appointment participants refer to. Logged in the access log.',
  )
  @Roles('integration', 'secretary', 'auditor')
  @PatientData({ use: 'read', patientFrom: 'body' })
  readPatient(@Param('id') id: string, @Req() req: FhirRequest, @CurrentActor() actor: Actor): Promise<FhirResource> {
    return this.read('Patient', id, req, actor);
  }

  /** any other FHIR path: an OperationOutcome rather than the contract's JSON 404 */
  @Get('*path')
  @Roles('integration', 'secretary', 'auditor')
  @ApiExcludeEndpoint()
  unsupported(@Req() req: Request): never {
    throw new ApiError(
      404,
      'NOT_FOUND',
      `This FHIR server has no ${req.path.replace(/^\/fhir\/?/, '').slice(0, 100) || 'such'} resource or operation; see /fhir/metadata.`,
    );
  }

  /** any other FHIR operation or write: an OperationOutcome too (this server takes no create, update or delete) */
  @Post('*path')
  @Roles('integration', 'secretary', 'auditor')
  @ApiExcludeEndpoint()
  unsupportedPost(@Req() req: Request): never {
    throw new ApiError(
      404,
      'NOT_FOUND',
      `This FHIR server has no ${req.path.replace(/^\/fhir\/?/, '').slice(0, 100) || 'such'} operation; see /fhir/metadata.`,
    );
  }

  private async search(type: SearchType, req: FhirRequest, actor: Actor): Promise<Bundle> {
    const found = await this.fhir.search(type, actor, req.query, baseUrl(req), strictHandling(req.headers.prefer));
    // a GET has no body: the pseudonymous patients this answer names are put there for the access log
    (req as { body?: unknown }).body = { patientIds: found.patientIds, courseIds: found.courseIds };
    return found.bundle;
  }

  private async read(type: ReadType, id: string, req: FhirRequest, actor: Actor): Promise<FhirResource> {
    const found = await this.fhir.read(type, actor, id);
    (req as { body?: unknown }).body = { patientIds: found.patientIds, courseIds: found.courseIds };
    return found.resource;
  }
}

export function baseUrl(req: Request): string {
  const host = req.get('host') ?? 'localhost';
  return `${req.protocol}://${/^[A-Za-z0-9.\-:[\]]{1,255}$/.test(host) ? host : 'localhost'}/fhir`;
}
