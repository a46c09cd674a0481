import { randomUUID } from 'node:crypto';

/** A random, meaningless patient id: the only patient reference events carry (never the CPR). */
export function newPatientId(): string {
  return randomUUID();
}
