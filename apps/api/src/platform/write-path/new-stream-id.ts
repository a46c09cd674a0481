import { createHash, randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (text: string): boolean => UUID.test(text);

/**
 * The same UUID for the same request: derived from the caller and their Idempotency-Key, so a retry
 * after a lost response or a crash writes to the same new stream (course, team, room, appointment)
 * instead of creating a second one; DeciderStore then recognises the events the key already wrote.
 * UUID version 8 (RFC 9562, name-based with SHA-256).
 */
export function idForRequest(scope: string, clinicId: string, staffId: string, idempotencyKey: string): string {
  const hex = createHash('sha256').update(`${scope}\n${clinicId}\n${staffId}\n${idempotencyKey}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** the id of a new stream's entity for this request: derived from its Idempotency-Key, else random */
export function newIdFor(scope: string, actor: { clinicId: string; staffId: string }, idempotencyKey: string | undefined): string {
  return idempotencyKey ? idForRequest(scope, actor.clinicId, actor.staffId, idempotencyKey) : randomUUID();
}
