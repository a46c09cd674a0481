import type { Role } from '../auth/actor.js';

/**
 * Stored with every event: who acted, in which role, for whom, why, and how the write relates to
 * others. Never patient identity (events carry only pseudonymous ids).
 */
export interface EventMetadata {
  readonly schemaVersion: 1;
  readonly actor: { readonly staffId: string; readonly roles: readonly Role[] };
  /** the responsible clinician when a secretary acts for them */
  readonly onBehalfOf?: string;
  readonly reason?: string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly occurredAt: string;
  readonly clinicId: string;
  readonly idempotencyKey?: string;
  readonly [key: string]: unknown;
}
