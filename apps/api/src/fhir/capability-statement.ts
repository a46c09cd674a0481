import type { FhirResource } from './fhir.types.js';

const DATE_PARAM = (documentation: string) => ({ name: 'date', type: 'date', documentation });
const ACTORS = [
  { name: 'actor', type: 'reference', documentation: 'Practitioner/<staff id>, Location/<room id> or Patient/<pseudonymous patient id>' },
  { name: 'practitioner', type: 'reference', documentation: 'Practitioner/<staff id>' },
  { name: 'location', type: 'reference', documentation: 'Location/<room id>' },
];
const PAGING = [
  { name: '_count', type: 'number', documentation: 'page size (default 100, at most 500)' },
  { name: '_offset', type: 'number', documentation: 'entries to skip (the `next` link carries it)' },
];

/** GET /fhir/metadata: what this server does (FHIR R4, search only, JSON). */
export function capabilityStatement(base: string, software: { name: string; version: string }): FhirResource {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-03-01',
    publisher: 'group-course-scheduler',
    kind: 'instance',
    software,
    implementation: { description: 'Group course scheduling: group sessions, appointments, team schedules and free seats', url: base },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Read-only search API for hospital systems. Patients appear only by pseudonymous id; never by CPR number.',
        security: {
          cors: false,
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth', display: 'OAuth' }] }],
          description: 'Authorization: Bearer <JWT> with one of the roles integration, secretary, auditor or admin.',
        },
        resource: [
          {
            type: 'Appointment',
            documentation: 'Group team sessions (participants: the room, the therapists and the patients on the team) and individual appointments.',
            interaction: [{ code: 'search-type' }],
            searchParam: [
              ...ACTORS,
              { name: 'patient', type: 'reference', documentation: 'Patient/<pseudonymous patient id>' },
              DATE_PARAM('Appointment.start, with the prefixes eq, ge, gt, le, lt'),
              { name: 'status', type: 'token', documentation: 'booked or cancelled' },
              ...PAGING,
            ],
          },
          {
            type: 'Schedule',
            documentation: 'One schedule per group team (hold): its room(s) and therapists, and the span of its sessions.',
            interaction: [{ code: 'search-type' }],
            searchParam: [
              ...ACTORS.map((a) => (a.name === 'actor' ? { ...a, documentation: 'Practitioner/<staff id> or Location/<room id>' } : a)),
              DATE_PARAM('overlaps the planning horizon'),
              { name: 'active', type: 'token', documentation: 'true while the team is planned or closed for late joiners' },
              ...PAGING,
            ],
          },
          {
            type: 'Slot',
            documentation: "One slot per team session: free while the team has a free seat and takes bookings (a seat is for all the team's sessions).",
            interaction: [{ code: 'search-type' }],
            searchParam: [
              { name: 'schedule', type: 'reference', documentation: 'Schedule/<team id>' },
              { name: 'start', type: 'date', documentation: 'Slot.start, with the prefixes eq, ge, gt, le, lt' },
              DATE_PARAM('same as start'),
              { name: 'status', type: 'token', documentation: 'free, busy or busy-unavailable' },
              ...PAGING,
            ],
          },
        ],
      },
    ],
  };
}
