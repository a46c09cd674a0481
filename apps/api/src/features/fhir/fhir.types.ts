/** The parts of FHIR R4 resources this API returns (plain JSON; validated against R4 in the tests). */
export type FhirResource = { readonly resourceType: string; readonly id?: string } & Record<string, unknown>;

export interface BundleEntry {
  readonly fullUrl: string;
  readonly resource: FhirResource;
  /** match: found by the search; include: named by a match and asked for with _include; outcome: notes */
  readonly search: { readonly mode: 'match' | 'include' | 'outcome' };
}

export interface Bundle {
  readonly resourceType: 'Bundle';
  readonly type: 'searchset';
  readonly timestamp: string;
  readonly total: number;
  readonly link: ReadonlyArray<{ readonly relation: string; readonly url: string }>;
  readonly entry: ReadonlyArray<BundleEntry>;
}

export const APPOINTMENT_STATUSES = [
  'proposed',
  'pending',
  'booked',
  'arrived',
  'fulfilled',
  'cancelled',
  'noshow',
  'entered-in-error',
  'checked-in',
  'waitlist',
] as const;
export const SLOT_STATUSES = ['busy', 'free', 'busy-unavailable', 'busy-tentative', 'entered-in-error'] as const;
