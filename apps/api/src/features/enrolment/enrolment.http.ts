import type { Response } from 'express';
import { setWriteHeaders } from '../../platform/write-path/write-response.js';
import type { WriteOutcome } from './seat-writes.js';

/** What the enrolment slice's write routes document (WriteEndpoint options). */
export const IF_MATCH_TEAM = 'The team’s ETag (team stream revision) you last read, e.g. "7"; 412 if the team changed since';
export const SEAT_CONFLICTS = [
  'TEAM_FULL (details.waitlist: how many wait, and how to join)',
  'WAITLIST_HAS_PRIORITY',
  'ROOM_FULL',
  'ALREADY_ON_TEAM',
  'ALREADY_WAITLISTED',
  'ALREADY_BOOKED_ON_PROGRAMME',
  'SEAT_ALREADY_HELD',
];
export const SEAT_REFUSALS = [
  'NOT_ELIGIBLE (details.failures lists every failed criterion)',
  'TEAM_CLOSED_FOR_LATE_JOINERS',
  'OFFER_EXPIRED',
  'NO_OFFER',
];

/** ETag, X-Event-Position and the status of a seat command's outcome; the body to send. */
export function send<T>(res: Response, outcome: WriteOutcome<T>): T {
  setWriteHeaders(res, { revision: outcome.revision, position: outcome.position });
  res.status(outcome.httpStatus);
  return outcome.body;
}
