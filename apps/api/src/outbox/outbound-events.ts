/**
 * The integration events the outbox sends to webhooks. Every one concerns one patient course and carries
 * only pseudonymous ids (course, patient, team, appointment, staff and room ids): no names, no CPR number,
 * no free-text reasons (a secretary's note may name a person).
 */
export const OUTBOUND_EVENT_TYPES = ['booking.booked', 'booking.rebooked', 'booking.cancelled', 'session.moved', 'session.cancelled', 'attendance.no-show'] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

/** The JSON body a webhook receives (signed; see webhook-signature.ts). */
export interface OutboundPayload {
  /** the message id: the same for every webhook that gets it (receivers dedupe by it) */
  readonly id: string;
  readonly type: OutboundEventType;
  /** when it happened (the domain's own time) */
  readonly occurredAt: string;
  readonly clinicId: string;
  readonly courseId: string;
  /** the course's pseudonymous patient id (null only for history older than the referral's event) */
  readonly patientId: string | null;
  readonly data: Record<string, unknown>;
}

/** Body as sent: the payload plus its place in the log (grows per course in delivery order). */
export interface OutboundBody extends OutboundPayload {
  readonly sequence: number;
}
