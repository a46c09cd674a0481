export const ROLES = ['secretary', 'clinician', 'auditor', 'integration', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from the verified token. Events record this as their actor. */
export interface Actor {
  readonly staffId: string;
  readonly roles: readonly Role[];
  readonly clinicId: string;
}
