import { formatInZone, isInstant, refuse, type Decider, type DomainError, type DomainEvent } from '#app/domain';

/**
 * One schedule stream per bookable resource — `schedule-clinician-<id>`, `schedule-room-<id>`,
 * `schedule-patient-<patientId>` — and this small decider, which refuses a reservation that overlaps an
 * active one on the same stream. Each stream is written with its expected revision, so two secretaries
 * reserving the same clinician at the same time cannot both succeed: the second append fails, is decided
 * again on the fresh stream and is refused as a clash. Only single-stream appends are used, which
 * PostgreSQL and EventStoreDB (no multi-stream transactions) both guarantee.
 *
 * How a booking spans several streams (see AppointmentBookingService):
 *  1. Resources are reserved one after another in one global order (clinicians by id, then the room, then
 *     the patient), like ordered locking: when bookings contend, the one that wins the first contested
 *     resource can always proceed, so contention never makes every contender fail.
 *  2. The patient's stream is reserved last and is the **commit point**: the appointment exists when, and
 *     only when, it is reserved there. That reservation carries the whole appointment (intervention,
 *     clinicians, room, course) and is the record GET /courses/{id}/appointments reads.
 *  3. If a later reservation clashes, the earlier ones are released again (compensation, `SlotReleased`
 *     with `compensation: true`). A retry with the same Idempotency-Key derives the same appointment id,
 *     and reserving an id already held for the same times is a no-op, so a crashed booking can be finished.
 *  4. A hold left by a crash (clinician/room reserved, patient never) is repaired lazily by the next booking
 *     that runs into it: after ORPHAN_AFTER_MS, it **voids** the appointment id on the commit stream
 *     (`SlotVoided`, refused if the appointment was committed meanwhile — the commit stream decides the
 *     race), then releases the hold. A hold whose appointment is cancelled on the commit stream (a cancel
 *     that crashed half-way) is released at once.
 *
 * Group team sessions occupy clinicians and rooms as well (and patients on the team). They belong on the
 * same streams with `kind: 'team-session'` and `appointmentId` = `<teamId>/<sessionKey>`, reserved with
 * this decider when a team is planned, a therapist assigned or a session moved (team stream as the commit
 * point, same compensation); a seat booked for a course reserves the team's sessions on the patient's
 * stream. Appointments then clash with sessions and vice versa, and the clash message says "a team
 * session". Until the team module does so, team sessions are not checked against appointments.
 *
 * Scaling note: a clinician's stream grows by one or two events per appointment (a few thousand a year),
 * replayed on each booking. If that becomes slow, partition by month (`schedule-clinician-<id>-2026-03`,
 * reserving in every month a slot touches) or snapshot; the decider stays the same.
 */

export type ResourceKind = 'clinician' | 'room' | 'patient';
export interface ResourceRef {
  readonly kind: ResourceKind;
  readonly id: string;
}

export const scheduleStreamId = (r: ResourceRef): string => `schedule-${r.kind}-${r.id}`;

/** a crashed booking's hold is presumed abandoned after this long (a booking takes well under a second) */
export const ORPHAN_AFTER_MS = 2 * 60_000;

export interface SlotData {
  readonly appointmentId: string;
  readonly kind: 'appointment' | 'team-session';
  readonly resource: ResourceRef;
  /** ISO 8601 with offset; the slot is [start, end): back-to-back bookings do not clash */
  readonly start: string;
  readonly end: string;
  readonly courseId?: string;
  readonly teamId?: string;
  readonly intervention?: string;
  readonly clinicianIds?: readonly string[];
  readonly roomId?: string;
  readonly reservedAt: string;
}

export type SlotReserved = DomainEvent<'SlotReserved', SlotData>;
export type SlotReleased = DomainEvent<
  'SlotReleased',
  { readonly appointmentId: string; readonly reason: string; readonly compensation: boolean; readonly releasedAt: string }
>;
export type SlotVoided = DomainEvent<'SlotVoided', { readonly appointmentId: string; readonly reason: string; readonly voidedAt: string }>;
export type ScheduleEvent = SlotReserved | SlotReleased | SlotVoided;

export interface Slot extends SlotData {
  readonly status: 'reserved' | 'released';
  readonly releasedAt?: string;
  readonly releaseReason?: string;
  readonly compensation?: boolean;
}

export interface ScheduleState {
  readonly slots: Readonly<Record<string, Slot>>;
  /** appointment ids that may never be reserved here (an abandoned booking, voided on its commit stream) */
  readonly voided: readonly string[];
}

export interface ReserveSlot extends Omit<SlotData, 'reservedAt'> {
  readonly type: 'ReserveSlot';
  readonly now: string;
  /** clinic time zone, for the clash message */
  readonly timeZone: string;
}
export interface ReleaseSlot {
  readonly type: 'ReleaseSlot';
  readonly now: string;
  readonly appointmentId: string;
  readonly reason: string;
  readonly compensation?: boolean;
}
export interface VoidSlot {
  readonly type: 'VoidSlot';
  readonly now: string;
  readonly appointmentId: string;
  readonly reason: string;
}
export type ScheduleCommand = ReserveSlot | ReleaseSlot | VoidSlot;

/** what a clash refusal carries in `details.clash` (internal: the API passes on only the times and kind) */
export type ClashDetails = Pick<SlotData, 'appointmentId' | 'kind' | 'start' | 'end' | 'courseId' | 'teamId' | 'reservedAt'>;

const ms = (iso: string): number => Date.parse(iso);

export const overlaps = (a: { start: string; end: string }, b: { start: string; end: string }): boolean =>
  ms(a.start) < ms(b.end) && ms(b.start) < ms(a.end);

export function resourceLabel(r: ResourceRef): string {
  if (r.kind === 'patient') return 'The patient';
  return r.kind === 'clinician' ? `Clinician ${r.id}` : `Room ${r.id}`;
}

function reserve(c: ReserveSlot, state: ScheduleState): ScheduleEvent[] | DomainError {
  if (!isInstant(c.start) || !isInstant(c.end) || ms(c.end) <= ms(c.start)) {
    return refuse('INVALID_TIME', 'The appointment needs a start and an end (ISO 8601 with offset), the end after the start.');
  }
  if (state.voided.includes(c.appointmentId)) {
    return refuse('BOOKING_ABANDONED', 'This booking was interrupted and has been cleared; please book again.', [], { appointmentId: c.appointmentId });
  }
  const same = state.slots[c.appointmentId];
  if (same) {
    if (same.status === 'reserved' && same.start === c.start && same.end === c.end) return [];
    return refuse('APPOINTMENT_ID_IN_USE', 'This booking has already been made or cancelled; make a new booking.', [], { appointmentId: c.appointmentId });
  }
  const clash = Object.values(state.slots)
    .filter((s) => s.status === 'reserved' && overlaps(s, c))
    .sort((a, b) => ms(a.start) - ms(b.start))[0];
  if (clash) {
    const what = clash.kind === 'team-session' ? 'a team session' : 'another appointment';
    const details: ClashDetails = {
      appointmentId: clash.appointmentId,
      kind: clash.kind,
      start: clash.start,
      end: clash.end,
      reservedAt: clash.reservedAt,
      ...(clash.courseId ? { courseId: clash.courseId } : {}),
      ...(clash.teamId ? { teamId: clash.teamId } : {}),
    };
    return refuse(
      'SCHEDULE_CLASH',
      `${resourceLabel(c.resource)} is already booked for ${what} from ${formatInZone(ms(clash.start), c.timeZone)} to ${formatInZone(ms(clash.end), c.timeZone)}.`,
      [],
      { resource: c.resource, clash: details },
    );
  }
  const { type: _t, now, timeZone: _z, ...data } = c;
  return [{ type: 'SlotReserved', data: { ...data, reservedAt: now } }];
}

function decide(c: ScheduleCommand, state: ScheduleState): ScheduleEvent[] | DomainError {
  switch (c.type) {
    case 'ReserveSlot':
      return reserve(c, state);
    case 'ReleaseSlot': {
      const slot = state.slots[c.appointmentId];
      if (!slot || slot.status !== 'reserved') return [];
      return [{ type: 'SlotReleased', data: { appointmentId: c.appointmentId, reason: c.reason, compensation: c.compensation ?? false, releasedAt: c.now } }];
    }
    case 'VoidSlot': {
      if (state.voided.includes(c.appointmentId)) return [];
      const slot = state.slots[c.appointmentId];
      if (slot?.status === 'reserved') {
        return refuse('APPOINTMENT_COMMITTED', 'The appointment has been booked; it cannot be cleared as abandoned.', [], { appointmentId: c.appointmentId });
      }
      return [{ type: 'SlotVoided', data: { appointmentId: c.appointmentId, reason: c.reason, voidedAt: c.now } }];
    }
  }
}

function evolve(state: ScheduleState, event: ScheduleEvent): ScheduleState {
  switch (event.type) {
    case 'SlotReserved':
      return { ...state, slots: { ...state.slots, [event.data.appointmentId]: { ...event.data, status: 'reserved' } } };
    case 'SlotReleased': {
      const slot = state.slots[event.data.appointmentId];
      if (!slot) return state;
      const released: Slot = { ...slot, status: 'released', releasedAt: event.data.releasedAt, releaseReason: event.data.reason, compensation: event.data.compensation };
      return { ...state, slots: { ...state.slots, [event.data.appointmentId]: released } };
    }
    case 'SlotVoided':
      return { ...state, voided: [...state.voided, event.data.appointmentId] };
  }
}

export const scheduleDecider: Decider<ScheduleCommand, ScheduleEvent, ScheduleState> = {
  initialState: () => ({ slots: {}, voided: [] }),
  evolve,
  decide,
};

/** The appointments of one course as its patient's schedule records them (booked and cancelled). */
export interface AppointmentRecord {
  readonly appointmentId: string;
  readonly courseId: string;
  readonly intervention: string;
  readonly start: string;
  readonly end: string;
  readonly durationMinutes: number;
  readonly clinicianIds: readonly string[];
  readonly roomId?: string;
  readonly status: 'booked' | 'cancelled';
  readonly bookedAt: string;
  readonly cancelledAt?: string;
  readonly cancelReason?: string;
}

export function appointmentOf(slot: Slot): AppointmentRecord {
  return {
    appointmentId: slot.appointmentId,
    courseId: slot.courseId!,
    intervention: slot.intervention!,
    start: slot.start,
    end: slot.end,
    durationMinutes: Math.round((ms(slot.end) - ms(slot.start)) / 60_000),
    clinicianIds: slot.clinicianIds ?? [],
    ...(slot.roomId ? { roomId: slot.roomId } : {}),
    status: slot.status === 'reserved' ? 'booked' : 'cancelled',
    bookedAt: slot.reservedAt,
    ...(slot.releasedAt ? { cancelledAt: slot.releasedAt } : {}),
    ...(slot.releaseReason ? { cancelReason: slot.releaseReason } : {}),
  };
}

export function appointmentsOfCourse(state: ScheduleState, courseId: string): AppointmentRecord[] {
  return Object.values(state.slots)
    .filter((s) => s.kind === 'appointment' && s.courseId === courseId)
    .map(appointmentOf)
    .sort((a, b) => ms(a.start) - ms(b.start));
}
