import { createHash } from 'node:crypto';

/** FHIR R4 `id`: 1–64 of A–Z a–z 0–9 - . */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * A FHIR id for one of our ids: the same text where it already is one (uuids, `doc-17`), the read model's
 * uid with `:` → `.` (`session:<team>:<key>` → `session.<team>.<key>`), else a stable hash.
 */
export function fhirId(id: string): string {
  if (FHIR_ID.test(id)) return id;
  const dotted = id.replace(/:/g, '.');
  if (FHIR_ID.test(dotted)) return dotted;
  return `h.${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

export const IDENTIFIER_SYSTEM = {
  calendarUid: 'urn:group-course-scheduler:calendar-uid',
  staffId: 'urn:group-course-scheduler:staff-id',
  roomId: 'urn:group-course-scheduler:room-id',
  teamId: 'urn:group-course-scheduler:team-id',
  programme: 'urn:group-course-scheduler:programme',
  intervention: 'urn:group-course-scheduler:intervention',
  errorCode: 'urn:group-course-scheduler:error-code',
  profession: 'urn:group-course-scheduler:profession',
  staffRole: 'urn:group-course-scheduler:staff-role',
  criterion: 'urn:group-course-scheduler:criterion',
  course: 'urn:group-course-scheduler:course-id',
  patient: 'urn:group-course-scheduler:patient-id',
  hold: 'urn:group-course-scheduler:hold',
} as const;

export interface Reference {
  readonly reference?: string;
  readonly identifier?: { readonly system: string; readonly value: string };
  readonly display?: string;
}

/** `Practitioner/doc-17`; an id that is no FHIR id is referred to by identifier instead */
export function referenceTo(
  type: 'Practitioner' | 'Location' | 'Patient' | 'Schedule' | 'HealthcareService' | 'PractitionerRole',
  id: string,
  system: string,
): Reference {
  return FHIR_ID.test(id) ? { reference: `${type}/${id}` } : { identifier: { system, value: id } };
}
