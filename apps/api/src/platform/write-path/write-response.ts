import type { Response } from 'express';
import { formatPosition, type Position, type RecordedEvent } from '#app/event-store';
import type { Actor } from '../auth/actor.js';
import { ApiError } from '../http/api-error.js';

/** `ETag: "<revision>"` (for a later If-Match) and `X-Event-Position` (for a later X-Min-Position). */
export function setWriteHeaders(response: Response, result: { revision: number; position?: Position }): void {
  response.setHeader('ETag', `"${result.revision}"`);
  if (result.position) response.setHeader('X-Event-Position', formatPosition(result.position));
}

export function setReadHeaders(response: Response, revision: number): void {
  response.setHeader('ETag', `"${revision}"`);
}

/**
 * A stream exists for the caller only when it was created in the caller's clinic; anything else is
 * the same 404 as a stream that does not exist (no hint that another clinic has it).
 */
export function requireOwnStream(events: readonly RecordedEvent[], actor: Actor, what: string, id: string): void {
  const clinicId = (events[0]?.metadata as { clinicId?: string } | undefined)?.clinicId;
  if (events.length === 0 || clinicId !== actor.clinicId) throw ApiError.notFound(what, id);
}
