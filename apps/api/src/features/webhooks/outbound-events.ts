/**
 * The integration events the outbox sends to webhooks. Each concerns one patient course (booking, session
 * and attendance events) or one team (team-level events, `courseId: null`), and carries only pseudonymous
 * ids (course, patient, team, appointment, staff and room ids) and times: no names, no CPR number, no
 * free-text reasons (a secretary's note may name a person).
 *
 * - booking.booked / booking.rebooked / booking.cancelled: a team seat (`data.kind: team-seat`) or an
 *   individual appointment (`data.kind: appointment`) of a course;
 * - session.moved / session.cancelled: a session of a team the course is seated on (one per seated course);
 * - attendance.no-show: the course was recorded as not attending a session;
 * - team.planned: a team was planned, with its sessions, room and capacity;
 * - team.staff-changed: a therapist was assigned to or removed from a team (`data.change`);
 * - team.session-moved / team.session-cancelled: a team's session moved or was cancelled (once per team,
 *   also when nobody is seated yet).
 */
export const OUTBOUND_EVENT_TYPES = [
  'booking.booked',
  'booking.rebooked',
  'booking.cancelled',
  'session.moved',
  'session.cancelled',
  'attendance.no-show',
  'team.planned',
  'team.staff-changed',
  'team.session-moved',
  'team.session-cancelled',
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

/** the test ping's type (POST /webhooks/{id}/ping); never stored, not subscribable */
export const PING_EVENT_TYPE = 'webhook.ping';

/**
 * `version` of the body's shape. 1: { version, id, type, occurredAt, clinicId, courseId (null for team
 * events), teamId (team events), patientId, data, sequence }. A change that could break a receiver raises it.
 */
export const PAYLOAD_VERSION = 1;

/** The JSON body a webhook receives (signed; see webhook-signature.ts). */
export interface OutboundPayload {
  /** the message id: the same for every webhook that gets it and every retry (receivers dedupe by it; also `webhook-id`) */
  readonly id: string;
  readonly type: OutboundEventType;
  /** when it happened (the domain's own time) */
  readonly occurredAt: string;
  readonly clinicId: string;
  /** null for team-level events */
  readonly courseId: string | null;
  /** team-level events: the team */
  readonly teamId?: string;
  /** the course's pseudonymous patient id (null for team events, and for history older than the referral's event) */
  readonly patientId: string | null;
  readonly data: Record<string, unknown>;
}

/** Body as sent: the payload plus its shape's version and its place in the log (grows in delivery order). */
export interface OutboundBody extends OutboundPayload {
  readonly version: number;
  readonly sequence: number;
}
