import { formatInZone, isInstant } from '../catalogue/calendar.js';
import { refuse, type Decider, type DomainError, type DomainEvent } from '../shared/index.js';

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
 * Team sessions (the MBSR retreat day too) hold their room and every therapist and apprentice on the same
 * streams with `kind: 'team-session'`, `teamId` and `sessionKey`; the team stream is their commit point
 * (TeamScheduler in apps/api/src/schedule). A team write reserves all of a resource's sessions in one
 * append (`ReserveSlots`), so a therapist assigned to a 9-session team hears every clashing date at once.
 * Each hold has its own id per write attempt (`<teamId>/<sessionKey>/<attempt>`), so a write that loses
 * the race on the team stream releases only its own holds, never the winner's. A new hold of a session
 * does not clash with an older hold of the same session (a move by 30 minutes); the older one is released
 * once the team stream has the move. Booked pathway steps hold their staff the same way (`kind:
 * 'pathway-step'`, commit point the course stream).
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

export type SlotKind = 'appointment' | 'team-session' | 'pathway-step';

export interface SlotData {
  /** the hold's id: an appointment id, or `<teamId>/<sessionKey>/<attempt>` for a team session */
  readonly appointmentId: string;
  readonly kind: SlotKind;
  readonly resource: ResourceRef;
  /** ISO 8601 with offset; the slot is [start, end): back-to-back bookings do not clash */
  readonly start: string;
  readonly end: string;
  readonly courseId?: string;
  readonly teamId?: string;
  readonly intervention?: string;
  readonly clinicianIds?: readonly string[];
  readonly roomId?: string;
  /** team sessions: the session's key in the programme's plan (S1, RETREAT) */
  readonly sessionKey?: string;
  /** pathway steps: the step's code */
  readonly stepCode?: string;
  /** the clinic whose booking this is (a clash names a session only to its own clinic) */
  readonly clinicId?: string;
  readonly reservedAt: string;
  /** a hold (FHIR Appointment/$hold): the clinician's or room's time is kept for the patient until then, and lapses after */
  readonly holdUntil?: string;
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
/**
 * Several holds on one resource at once (a team's sessions for its room or one therapist): all or none,
 * refused with every clash listed. A hold of the same team session (or pathway step) does not clash with
 * the new one: the new one replaces it once its commit stream says so (the writer then releases the older
 * one). Never reused: each hold belongs to one write attempt, so undoing an attempt cannot free another's.
 */
export interface ReserveSlots {
  readonly type: 'ReserveSlots';
  readonly now: string;
  readonly timeZone: string;
  readonly resource: ResourceRef;
  readonly slots: readonly Omit<SlotData, 'reservedAt' | 'resource'>[];
}
export interface ReleaseSlots {
  readonly type: 'ReleaseSlots';
  readonly now: string;
  readonly appointmentIds: readonly string[];
  readonly reason: string;
  readonly compensation?: boolean;
}
export type ScheduleCommand = ReserveSlot | ReleaseSlot | VoidSlot | ReserveSlots | ReleaseSlots;

/** what a clash refusal carries in `details.clash` (internal: the API passes on only the times and kind) */
export type ClashDetails = Pick<
  SlotData,
  'appointmentId' | 'kind' | 'start' | 'end' | 'courseId' | 'teamId' | 'sessionKey' | 'stepCode' | 'clinicId' | 'reservedAt' | 'holdUntil'
> & {
  /** the start of the requested slot this one clashes with (several for a team's sessions) */
  readonly requestedStart: string;
};

const ms = (iso: string): number => Date.parse(iso);

export const overlaps = (a: { start: string; end: string }, b: { start: string; end: string }): boolean =>
  ms(a.start) < ms(b.end) && ms(b.start) < ms(a.end);

export function resourceLabel(r: ResourceRef): string {
  if (r.kind === 'patient') return 'The patient';
  return r.kind === 'clinician' ? `Clinician ${r.id}` : `Room ${r.id}`;
}

/** the same booked thing (a session of one team, a step of one course): a newer hold replaces the older */
function sameThing(
  a: Pick<SlotData, 'kind' | 'teamId' | 'sessionKey' | 'courseId' | 'stepCode'>,
  b: Pick<SlotData, 'kind' | 'teamId' | 'sessionKey' | 'courseId' | 'stepCode'>,
): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'team-session') return a.teamId !== undefined && a.teamId === b.teamId && a.sessionKey === b.sessionKey;
  if (a.kind === 'pathway-step') return a.courseId !== undefined && a.courseId === b.courseId && a.stepCode === b.stepCode;
  return false;
}

const KIND_WORDS: Record<SlotKind, string> = {
  appointment: 'another appointment',
  'team-session': 'a team session',
  'pathway-step': 'a pathway step',
};

function clashDetails(clash: Slot, requestedStart: string): ClashDetails {
  return {
    appointmentId: clash.appointmentId,
    kind: clash.kind,
    start: clash.start,
    end: clash.end,
    reservedAt: clash.reservedAt,
    requestedStart,
    ...(clash.courseId ? { courseId: clash.courseId } : {}),
    ...(clash.teamId ? { teamId: clash.teamId } : {}),
    ...(clash.sessionKey ? { sessionKey: clash.sessionKey } : {}),
    ...(clash.stepCode ? { stepCode: clash.stepCode } : {}),
    ...(clash.clinicId ? { clinicId: clash.clinicId } : {}),
    ...(clash.holdUntil ? { holdUntil: clash.holdUntil } : {}),
  };
}

function reserveMany(c: ReserveSlots, state: ScheduleState): ScheduleEvent[] | DomainError {
  if (c.slots.length === 0) return [];
  for (const slot of c.slots) {
    if (!isInstant(slot.start) || !isInstant(slot.end) || ms(slot.end) <= ms(slot.start)) {
      return refuse('INVALID_TIME', 'Every booking needs a start and an end (ISO 8601 with offset), the end after the start.');
    }
    if (state.voided.includes(slot.appointmentId)) {
      return refuse('BOOKING_ABANDONED', 'This booking was interrupted and has been cleared; please book again.', [], {
        appointmentId: slot.appointmentId,
      });
    }
  }
  const reserved = Object.values(state.slots).filter((s) => s.status === 'reserved');
  const events: ScheduleEvent[] = [];
  const clashes: ClashDetails[] = [];
  const messages: string[] = [];
  for (const slot of c.slots) {
    const same = slotOf(state, slot.appointmentId);
    if (same) {
      if (same.status === 'reserved' && same.start === slot.start && same.end === slot.end) continue;
      return refuse('APPOINTMENT_ID_IN_USE', 'This booking has already been made or cancelled; make a new booking.', [], {
        appointmentId: slot.appointmentId,
      });
    }
    const hits = reserved.filter((r) => !sameThing(r, slot) && overlaps(r, slot)).sort((x, y) => ms(x.start) - ms(y.start));
    for (const hit of hits) {
      clashes.push(clashDetails(hit, slot.start));
      messages.push(`${KIND_WORDS[hit.kind]} from ${formatInZone(ms(hit.start), c.timeZone)} to ${formatInZone(ms(hit.end), c.timeZone)}`);
    }
    if (hits.length === 0) events.push({ type: 'SlotReserved', data: { ...slot, resource: c.resource, reservedAt: c.now } });
  }
  // two of the requested slots overlapping each other (a session moved onto another one of the same team)
  const requested = c.slots;
  for (let i = 0; i < requested.length; i++) {
    for (let j = i + 1; j < requested.length; j++) {
      if (overlaps(requested[i], requested[j])) {
        return refuse(
          'SCHEDULE_CLASH',
          `${resourceLabel(c.resource)} would be booked twice at once, from ${formatInZone(ms(requested[j].start), c.timeZone)}.`,
          [],
          {
            resource: c.resource,
            clash: clashDetails({ ...requested[i], resource: c.resource, reservedAt: c.now, status: 'reserved' }, requested[j].start),
            clashes: [],
          },
        );
      }
    }
  }
  if (clashes.length > 0) {
    const listed = messages.length > 1 ? `${messages.slice(0, -1).join(', ')} and ${messages[messages.length - 1]}` : messages[0];
    return refuse('SCHEDULE_CLASH', `${resourceLabel(c.resource)} is already booked for ${listed}.`, [], {
      resource: c.resource,
      clash: clashes[0],
      clashes,
    });
  }
  return events;
}

function reserve(c: ReserveSlot, state: ScheduleState): ScheduleEvent[] | DomainError {
  if (!isInstant(c.start) || !isInstant(c.end) || ms(c.end) <= ms(c.start)) {
    return refuse('INVALID_TIME', 'The appointment needs a start and an end (ISO 8601 with offset), the end after the start.');
  }
  if (state.voided.includes(c.appointmentId)) {
    return refuse('BOOKING_ABANDONED', 'This booking was interrupted and has been cleared; please book again.', [], {
      appointmentId: c.appointmentId,
    });
  }
  const same = slotOf(state, c.appointmentId);
  if (same) {
    if (same.status === 'reserved' && same.start === c.start && same.end === c.end) return [];
    return refuse('APPOINTMENT_ID_IN_USE', 'This booking has already been made or cancelled; make a new booking.', [], {
      appointmentId: c.appointmentId,
    });
  }
  const clashes = Object.values(state.slots)
    .filter((s) => s.status === 'reserved' && overlaps(s, c))
    .sort((a, b) => ms(a.start) - ms(b.start));
  if (clashes.length > 0) {
    const first = clashes[0];
    const more = clashes.length > 1 ? ` (and ${clashes.length - 1} more)` : '';
    return refuse(
      'SCHEDULE_CLASH',
      `${resourceLabel(c.resource)} is already booked for ${KIND_WORDS[first.kind]} from ${formatInZone(ms(first.start), c.timeZone)} to ${formatInZone(ms(first.end), c.timeZone)}${more}.`,
      [],
      { resource: c.resource, clash: clashDetails(first, c.start), clashes: clashes.map((x) => clashDetails(x, c.start)) },
    );
  }
  const { type: _t, now, timeZone: _z, ...data } = c;
  return [{ type: 'SlotReserved', data: { ...data, reservedAt: now } }];
}

/** the slot reserved under this id, if any (the record is keyed by id, so a lookup can miss) */
const slotOf = (state: ScheduleState, appointmentId: string): Slot | undefined => state.slots[appointmentId];

function decide(c: ScheduleCommand, state: ScheduleState): ScheduleEvent[] | DomainError {
  switch (c.type) {
    case 'ReserveSlot':
      return reserve(c, state);
    case 'ReserveSlots':
      return reserveMany(c, state);
    case 'ReleaseSlots':
      return c.appointmentIds
        .filter((id, i, all) => all.indexOf(id) === i && slotOf(state, id)?.status === 'reserved')
        .map((appointmentId) => ({
          type: 'SlotReleased' as const,
          data: { appointmentId, reason: c.reason, compensation: c.compensation ?? false, releasedAt: c.now },
        }));
    case 'ReleaseSlot': {
      const slot = slotOf(state, c.appointmentId);
      if (!slot || slot.status !== 'reserved') return [];
      return [
        {
          type: 'SlotReleased',
          data: { appointmentId: c.appointmentId, reason: c.reason, compensation: c.compensation ?? false, releasedAt: c.now },
        },
      ];
    }
    case 'VoidSlot': {
      if (state.voided.includes(c.appointmentId)) return [];
      const slot = slotOf(state, c.appointmentId);
      if (slot?.status === 'reserved') {
        return refuse('APPOINTMENT_COMMITTED', 'The appointment has been booked; it cannot be cleared as abandoned.', [], {
          appointmentId: c.appointmentId,
        });
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
      const slot = slotOf(state, event.data.appointmentId);
      if (!slot) return state;
      const released: Slot = {
        ...slot,
        status: 'released',
        releasedAt: event.data.releasedAt,
        releaseReason: event.data.reason,
        compensation: event.data.compensation,
      };
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

/** the appointment a course's slot holds; only an appointment reservation (which names its course and intervention) is one */
export function appointmentOf(slot: Slot): AppointmentRecord {
  const { courseId, intervention } = slot;
  if (courseId === undefined || intervention === undefined) {
    throw new Error(`Slot ${slot.appointmentId} is not a course's appointment (it names no course or intervention).`);
  }
  return {
    appointmentId: slot.appointmentId,
    courseId,
    intervention,
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
