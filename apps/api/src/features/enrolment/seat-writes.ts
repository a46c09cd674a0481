import { seatsTaken, type DomainError, type PlannedTeam, type TeamEvent } from '#app/domain';
import type { Position } from '#app/event-store';
import { ApiError, fromDomainError } from '../../platform/http/api-error.js';
import type { SyncReport } from './process-managers/course-seat-sync.js';
import type { SeatOfferResponse, TeamSeatCountResponse } from './enrolment.response.js';

/** domain codes this slice answers with 409 Conflict (the state of the team or course is in the way) */
const CONFLICT_CODES: ReadonlySet<string> = new Set([
  'WAITLIST_HAS_PRIORITY',
  'ROOM_FULL',
  'ALREADY_WAITLISTED',
  'ALREADY_BOOKED_ON_PROGRAMME',
  'SEAT_ALREADY_HELD',
]);

export function httpError(error: DomainError): ApiError {
  const api = fromDomainError(error);
  if (error.code === 'NOT_ENROLLED') return new ApiError(404, error.code, error.message, api.details);
  return CONFLICT_CODES.has(error.code) ? new ApiError(409, api.code, api.message, api.details) : api;
}

export function teamSeats(state: PlannedTeam): TeamSeatCountResponse {
  return { capacity: state.capacity, seatsTaken: seatsTaken(state), waiting: state.waitlist.length };
}

export function offersIn(events: readonly TeamEvent[]): SeatOfferResponse[] {
  return events.flatMap((e) =>
    e.type === 'SeatOffered' ? [{ courseId: e.data.courseId, offeredAt: e.data.offeredAt, expiresAt: e.data.expiresAt }] : [],
  );
}

/** What a seat command answers: the body, its status, the team's revision (ETag) and the last position written. */
export interface WriteOutcome<T> {
  readonly body: T;
  readonly httpStatus: number;
  /** the team stream's revision (ETag) */
  readonly revision: number;
  /** the last position written (team write or its course follow-up) */
  readonly position?: Position;
}

/** the course stream recorded the seat (now, or earlier) */
export function recorded(report: SyncReport, courseId: string): boolean {
  return report.outcomes.some((o) => o.courseId === courseId && (o.outcome === 'applied' || o.outcome === 'already'));
}
