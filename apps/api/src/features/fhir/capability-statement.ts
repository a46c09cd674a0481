import { MAX_COUNT } from './fhir-search.js';
import type { FhirResource } from './fhir.types.js';

interface Param {
  readonly name: string;
  readonly type: 'date' | 'reference' | 'token' | 'number' | 'string';
  readonly documentation: string;
}

const DATE_PARAM = (documentation: string): Param => ({ name: 'date', type: 'date', documentation });
const ACTORS: Param[] = [
  { name: 'actor', type: 'reference', documentation: 'Practitioner/<staff id>, Location/<room id> or Patient/<pseudonymous patient id>' },
  { name: 'practitioner', type: 'reference', documentation: 'Practitioner/<staff id>' },
  { name: 'location', type: 'reference', documentation: 'Location/<room id>' },
];
/** taken by every search */
const COMMON: Param[] = [
  { name: '_id', type: 'token', documentation: 'the resource id (comma: any of them)' },
  { name: '_lastUpdated', type: 'date', documentation: 'meta.lastUpdated, with the prefixes eq, ge, gt, le, lt' },
  {
    name: '_count',
    type: 'number',
    documentation: `page size (default 100, at most ${MAX_COUNT}: more is capped, or refused under Prefer: handling=strict)`,
  },
  { name: '_offset', type: 'number', documentation: 'entries to skip (the `next` link carries it)' },
];

interface ResourceSpec {
  readonly type: string;
  readonly documentation: string;
  readonly search: boolean;
  readonly params: readonly Param[];
  readonly includes: readonly string[];
  readonly operations?: ReadonlyArray<{ readonly name: string; readonly definition: string; readonly documentation: string }>;
}

const RESOURCES: readonly ResourceSpec[] = [
  {
    type: 'Appointment',
    documentation: 'Group team sessions (participants: the room, the therapists and the patients on the team) and individual appointments.',
    search: true,
    params: [
      ...ACTORS,
      { name: 'patient', type: 'reference', documentation: 'Patient/<pseudonymous patient id>' },
      DATE_PARAM('Appointment.start, with the prefixes eq, ge, gt, le, lt'),
      { name: 'status', type: 'token', documentation: 'booked or cancelled' },
    ],
    includes: ['Appointment:actor', 'Appointment:practitioner', 'Appointment:location', 'Appointment:patient'],
  },
  {
    type: 'HealthcareService',
    documentation: "One per programme of the clinic's current catalogue.",
    search: true,
    params: [],
    includes: [],
  },
  {
    type: 'Location',
    documentation: 'The rooms the clinic registered or its teams and appointments use.',
    search: true,
    params: [],
    includes: [],
  },
  {
    type: 'Patient',
    documentation: 'Read only, by pseudonymous id: the id and nothing else (no name, no CPR number).',
    search: false,
    params: [],
    includes: [],
  },
  {
    type: 'Practitioner',
    documentation: 'Clinicians by staff id: identifier and professions only.',
    search: true,
    params: [],
    includes: [],
  },
  {
    type: 'PractitionerRole',
    documentation: 'One per therapist on a team: clinician, room(s), programme (HealthcareService) and role.',
    search: true,
    params: [
      { name: 'practitioner', type: 'reference', documentation: 'Practitioner/<staff id>' },
      { name: 'location', type: 'reference', documentation: 'Location/<room id>' },
      { name: 'service', type: 'reference', documentation: 'HealthcareService/<id>' },
    ],
    includes: ['PractitionerRole:practitioner', 'PractitionerRole:location', 'PractitionerRole:service'],
  },
  {
    type: 'Schedule',
    documentation: 'One schedule per group team (hold): its room(s), therapists and programme, and the span of its sessions.',
    search: true,
    params: [
      ...ACTORS.map((a) => (a.name === 'actor' ? { ...a, documentation: 'Practitioner/<staff id> or Location/<room id>' } : a)),
      DATE_PARAM('overlaps the planning horizon'),
      { name: 'active', type: 'token', documentation: 'true while the team is planned or closed for late joiners' },
    ],
    includes: ['Schedule:actor'],
  },
  {
    type: 'Slot',
    documentation:
      "One slot per team session: free while the team has a free seat and takes bookings (a seat is for all the team's sessions).",
    search: true,
    params: [
      { name: 'schedule', type: 'reference', documentation: 'Schedule/<team id>' },
      { name: 'start', type: 'date', documentation: 'Slot.start, with the prefixes eq, ge, gt, le, lt' },
      DATE_PARAM('same as start'),
      { name: 'status', type: 'token', documentation: 'free, busy or busy-unavailable' },
    ],
    includes: ['Slot:schedule'],
  },
];

export interface OperationSpec {
  readonly resource: string;
  readonly name: string;
  readonly documentation: string;
}

/** the operations the server gives (after IHE ITI Scheduling: ITI-115 $find, ITI-116 $hold, ITI-117 $book; parameters as documented) */
export const OPERATIONS: readonly OperationSpec[] = [
  {
    resource: 'Appointment',
    name: 'find',
    documentation:
      'POST Parameters: patient (Reference) or course (string/Identifier); service-type (programme or intervention code) or healthcare-service (Reference); start, end; ' +
      'practitioner (1..6) and location for an intervention; _count. Bundle of proposed Appointments: open seats on teams the course may join, free times of an individual intervention. Roles integration, secretary, clinician.',
  },
  {
    resource: 'Appointment',
    name: 'hold',
    documentation:
      'POST Parameters: appt-resource (or appointment-resource: the proposed Appointment), course, reason. Holds a seat on a team, or an individual appointment’s ' +
      'practitioners and room, for settings.holdMinutes; $book takes it, after that it lapses. Roles integration, secretary.',
  },
  {
    resource: 'Appointment',
    name: 'book',
    documentation:
      'POST Parameters: appt-resource (or appointment-resource), course, reason. Books through the same write path as POST /courses/{id}/enrolments and /courses/{id}/appointments ' +
      '(same refusals as an OperationOutcome, Idempotency-Key). Roles integration, secretary.',
  },
];

/**
 * GET /fhir/metadata: exactly what this server does (FHIR R4, JSON): read and search-type per resource,
 * the search parameters and _include values each search applies, and the operations given.
 */
export function capabilityStatement(
  base: string,
  software: { name: string; version: string },
  operations: readonly OperationSpec[] = OPERATIONS,
): FhirResource {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-03',
    publisher: 'group-course-scheduler',
    kind: 'instance',
    software,
    implementation: { description: 'Group course scheduling: group sessions, appointments, team schedules and free seats', url: base },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Read and search for hospital systems, for the caller’s clinic only. Patients appear only by pseudonymous id; never by CPR number. ' +
          'Search handling: lenient by default (unsupported parameters are ignored and left out of the self link; _count above the maximum is capped); ' +
          'Prefer: handling=strict refuses them with a 400 OperationOutcome naming each.',
        security: {
          cors: false,
          service: [
            { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth', display: 'OAuth' }] },
          ],
          description: 'Authorization: Bearer <JWT> with one of the roles integration, secretary, auditor or admin (operations: see each).',
        },
        resource: RESOURCES.map((r) => {
          const ops = operations.filter((o) => o.resource === r.type);
          return {
            type: r.type,
            documentation: r.documentation,
            interaction: [{ code: 'read' }, ...(r.search ? [{ code: 'search-type' }] : [])],
            ...(r.search
              ? { searchInclude: r.includes.length > 0 ? [...r.includes] : undefined, searchParam: [...r.params, ...COMMON] }
              : {}),
            ...(ops.length > 0
              ? {
                  operation: ops.map((o) => ({
                    name: o.name,
                    definition: `urn:group-course-scheduler:OperationDefinition:${r.type}-${o.name}`,
                    documentation: o.documentation,
                  })),
                }
              : {}),
          };
        }).map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>),
      },
    ],
  };
}
