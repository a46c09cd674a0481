import { ApiHeader } from '@nestjs/swagger';
import type { Response } from 'express';
import { setWriteHeaders } from '../../platform/write-path/write-response.js';
import type { WriteOutcome } from './seat-writes.js';

/** Header docs and the answer shared by the enrolment slice's write routes. */
export const IF_MATCH_TEAM = ApiHeader({ name: 'If-Match', required: false, description: 'The team’s ETag (team stream revision) you last read, e.g. "7"; 412 if the team changed since' });
export const IDEMPOTENCY = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key and body returns the first response and writes nothing new' });

/** ETag, X-Event-Position and the status of a seat command's outcome; the body to send. */
export function send<T>(res: Response, outcome: WriteOutcome<T>): T {
  setWriteHeaders(res, { revision: outcome.revision, position: outcome.position });
  res.status(outcome.httpStatus);
  return outcome.body;
}
