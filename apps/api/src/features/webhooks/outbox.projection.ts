import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { CourseEvent, TeamEvent } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { deleteRows, insertRows, streamCategory, streamEntityId, unseenEvents, upsertClause, type Projection } from '#app/projections';
import type { ScheduleEvent } from '#app/domain';
import { clinicOf } from '../../platform/projections/course-stream.js';
import type { OutboundEventType, OutboundPayload } from './outbound-events.js';

export const OUTBOX_PROJECTION = 'outbox.v1';

const OUTBOX_COURSE_COLUMNS = { course_id: 'text', clinic_id: 'text', patient_id: 'text' } as const;
const COURSE_TYPES = new Set(['ReferralReceived', 'CourseSeatBooked', 'CourseSeatReleased']);
const TEAM_TYPES = new Set([
  'TeamPlanned',
  'TherapistAssigned',
  'TherapistRemoved',
  'SeatReserved',
  'SeatReleased',
  'SessionMoved',
  'SessionCancelled',
  'AttendanceRecorded',
]);
const SCHEDULE_TYPES = new Set(['SlotReserved', 'SlotReleased']);

function relevant(e: RecordedEvent): boolean {
  const category = streamCategory(e.streamId);
  if (category === 'course') return COURSE_TYPES.has(e.type);
  if (category === 'team') return TEAM_TYPES.has(e.type);
  return category === 'schedule' && streamEntityId(e.streamId).startsWith('patient-') && SCHEDULE_TYPES.has(e.type);
}

/**
 * The transactional outbox. A durable subscription (ProjectionRunner) hands every batch of the log to
 * `apply` inside the transaction that also moves its checkpoint, so an outbox message exists if and only
 * if the events it reports are past the checkpoint: no dual write, nothing lost, nothing sent twice
 * (`outbox_sources` makes a redelivered batch a no-op as well).
 *
 * Sources, chosen so each booking change is reported once:
 * - course stream: CourseSeatBooked → booking.booked; CourseSeatReleased → booking.cancelled; a rebook is
 *   ONE append of CourseSeatReleased + CourseSeatBooked carrying the transfer marker → booking.rebooked;
 * - team stream: SessionMoved / SessionCancelled → one message per course seated on the team;
 *   AttendanceRecorded → attendance.no-show per course newly recorded as a no-show (a correction back to
 *   attended and then no-show again reports again);
 * - the patient's schedule stream (the commit point of an appointment): SlotReserved → booking.booked,
 *   SlotReleased → booking.cancelled (kind `appointment`);
 * - team stream, team-level (ordering key `team:<id>`, `courseId: null`): TeamPlanned → team.planned;
 *   TherapistAssigned / TherapistRemoved → team.staff-changed; SessionMoved / SessionCancelled →
 *   team.session-moved / team.session-cancelled (also when nobody is seated).
 * For each message, a `webhook_deliveries` row is added per webhook of the clinic subscribed to its type.
 * The outbox is not rebuildable on purpose (no `tables`): a rebuild would send everything again.
 */
export function outboxProjection(): Projection {
  return {
    name: OUTBOX_PROJECTION,
    categories: ['course', 'team', 'schedule'],
    async apply(events: readonly RecordedEvent[], manager: EntityManager) {
      // referrals (most of a catch-up) go in one multi-row statement, written before any later event reads them
      const referrals = new Map<string, unknown[]>();
      const fresh = await unseenEvents(manager, 'outbox_sources', events.filter(relevant));
      await preloadCourses(manager, fresh);
      const flush = async () => {
        await insertRows(
          manager,
          'outbox_courses',
          OUTBOX_COURSE_COLUMNS,
          [...referrals.values()],
          upsertClause(['course_id'], OUTBOX_COURSE_COLUMNS),
        );
        referrals.clear();
      };
      for (const e of fresh) {
        const category = streamCategory(e.streamId);
        if (category === 'course' && e.type === 'ReferralReceived') {
          const courseId = streamEntityId(e.streamId);
          const patientId = (e.data as { patientId: string }).patientId;
          referrals.set(courseId, [courseId, clinicOf(e), patientId]);
          knownCourses.get(manager)?.set(courseId, { clinic_id: clinicOf(e), patient_id: patientId });
          continue;
        }
        await flush();
        if (category === 'course') await courseEvent(manager, e);
        else if (category === 'team') await teamEvent(manager, e);
        else await scheduleEvent(manager, e);
      }
      await flush();
      await flushSeats(manager);
      await flushMessages(manager);
      knownCourses.delete(manager);
    },
  };
}

interface Transfer {
  readonly fromTeamId?: string;
  readonly toTeamId?: string;
  readonly role?: string;
}

/** the rebook marker the enrolment process puts on both halves of a move (course-seat-sync.ts) */
function transferOf(e: RecordedEvent): Transfer | undefined {
  const t = (e.metadata as { transfer?: Transfer }).transfer;
  return t && t.role === undefined && t.fromTeamId && t.toTeamId ? t : undefined;
}

async function courseEvent(manager: EntityManager, e: RecordedEvent): Promise<void> {
  const courseId = streamEntityId(e.streamId);
  const event = { type: e.type, data: e.data } as CourseEvent;
  switch (event.type) {
    case 'ReferralReceived':
      await manager.query(
        `INSERT INTO outbox_courses (course_id, clinic_id, patient_id) VALUES ($1, $2, $3)
         ON CONFLICT (course_id) DO UPDATE SET clinic_id = EXCLUDED.clinic_id, patient_id = EXCLUDED.patient_id`,
        [courseId, clinicOf(e), event.data.patientId],
      );
      return;
    case 'CourseSeatBooked': {
      const d = event.data;
      const transfer = transferOf(e);
      if (transfer) {
        await emit(manager, e, courseId, 'booking.rebooked', d.bookedAt, {
          kind: 'team-seat',
          fromTeamId: transfer.fromTeamId,
          toTeamId: d.teamId,
          programme: d.programme,
          stepCode: d.stepCode,
        });
      } else {
        await emit(manager, e, courseId, 'booking.booked', d.bookedAt, {
          kind: 'team-seat',
          teamId: d.teamId,
          programme: d.programme,
          stepCode: d.stepCode,
        });
      }
      return;
    }
    case 'CourseSeatReleased': {
      if (transferOf(e)) return; // the first half of a rebook: reported with its CourseSeatBooked
      const d = event.data;
      await emit(manager, e, courseId, 'booking.cancelled', d.releasedAt, { kind: 'team-seat', teamId: d.teamId, programme: d.programme });
      return;
    }
    default:
      return;
  }
}

async function teamEvent(manager: EntityManager, e: RecordedEvent): Promise<void> {
  const teamId = streamEntityId(e.streamId);
  const event = { type: e.type, data: e.data } as TeamEvent;
  switch (event.type) {
    case 'TeamPlanned': {
      const d = event.data;
      await manager.query(
        `INSERT INTO outbox_teams (team_id, clinic_id) VALUES ($1, $2) ON CONFLICT (team_id) DO UPDATE SET clinic_id = EXCLUDED.clinic_id`,
        [teamId, d.clinicId],
      );
      await emitTeam(manager, e, teamId, 'team.planned', d.plannedAt, {
        teamId,
        programme: d.programmeCode,
        catalogueVersion: d.catalogueVersion,
        roomId: d.room.roomId,
        capacity: d.capacity,
        sessions: d.sessions.map((s) => ({
          sessionKey: s.key,
          kind: s.kind,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          roomId: s.room.roomId,
        })),
      });
      return;
    }
    case 'TherapistAssigned': {
      const d = event.data;
      await emitTeam(manager, e, teamId, 'team.staff-changed', d.assignedAt, {
        teamId,
        change: 'assigned',
        clinicianId: d.clinicianId,
        role: d.role,
        competentUntil: d.competentUntil,
      });
      return;
    }
    case 'TherapistRemoved': {
      const d = event.data;
      await emitTeam(manager, e, teamId, 'team.staff-changed', d.removedAt, {
        teamId,
        change: 'removed',
        clinicianId: d.clinicianId,
        role: d.role,
      });
      return;
    }
    case 'SeatReserved':
      seatChange(manager, teamId, event.data.courseId, true);
      return;
    case 'SeatReleased':
      seatChange(manager, teamId, event.data.courseId, false);
      return;
    case 'SessionMoved': {
      const d = event.data;
      await emitTeam(manager, e, teamId, 'team.session-moved', d.movedAt, {
        teamId,
        sessionKey: d.sessionKey,
        startsAt: d.startsAt,
        endsAt: d.endsAt,
        roomId: d.room.roomId,
        previous: { startsAt: d.from.startsAt, roomId: d.from.roomId },
      });
      for (const courseId of await seated(manager, teamId)) {
        await emit(manager, e, courseId, 'session.moved', d.movedAt, {
          teamId,
          sessionKey: d.sessionKey,
          startsAt: d.startsAt,
          endsAt: d.endsAt,
          roomId: d.room.roomId,
          previous: { startsAt: d.from.startsAt, roomId: d.from.roomId },
        });
      }
      return;
    }
    case 'SessionCancelled': {
      const d = event.data;
      await emitTeam(manager, e, teamId, 'team.session-cancelled', d.cancelledAt, { teamId, sessionKey: d.sessionKey });
      for (const courseId of await seated(manager, teamId)) {
        await emit(manager, e, courseId, 'session.cancelled', d.cancelledAt, { teamId, sessionKey: d.sessionKey });
      }
      return;
    }
    case 'AttendanceRecorded': {
      const d = event.data;
      for (const entry of d.entries) {
        if (entry.status === 'noShow') {
          const inserted = await manager.query<unknown[]>(
            `INSERT INTO outbox_no_shows (team_id, session_key, course_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING course_id`,
            [teamId, d.sessionKey, entry.courseId],
          );
          if (inserted.length > 0)
            await emit(manager, e, entry.courseId, 'attendance.no-show', d.recordedAt, { teamId, sessionKey: d.sessionKey });
        } else {
          await manager.query(`DELETE FROM outbox_no_shows WHERE team_id = $1 AND session_key = $2 AND course_id = $3`, [
            teamId,
            d.sessionKey,
            entry.courseId,
          ]);
        }
      }
      return;
    }
    default:
      return;
  }
}

async function scheduleEvent(manager: EntityManager, e: RecordedEvent): Promise<void> {
  const event = { type: e.type, data: e.data } as ScheduleEvent;
  if (event.type === 'SlotReserved') {
    const d = event.data;
    if (d.kind !== 'appointment' || !d.courseId) return;
    const rows = await manager.query<Array<{ cancelled: boolean }>>(`SELECT cancelled FROM outbox_appointments WHERE appointment_id = $1`, [
      d.appointmentId,
    ]);
    if (rows[0] && !rows[0].cancelled) return; // the same appointment reserved again (a retried booking)
    await manager.query(
      `INSERT INTO outbox_appointments (appointment_id, course_id, cancelled) VALUES ($1, $2, false)
       ON CONFLICT (appointment_id) DO UPDATE SET cancelled = false`,
      [d.appointmentId, d.courseId],
    );
    await emit(manager, e, d.courseId, 'booking.booked', d.reservedAt, {
      kind: 'appointment',
      appointmentId: d.appointmentId,
      ...(d.intervention ? { intervention: d.intervention } : {}),
      start: d.start,
      end: d.end,
      roomId: d.roomId ?? null,
      clinicianIds: [...(d.clinicianIds ?? [])],
    });
  } else if (event.type === 'SlotReleased') {
    const d = event.data;
    if (d.compensation) return;
    const rows = await manager.query<Array<{ course_id: string }> | [Array<{ course_id: string }>, number]>(
      `UPDATE outbox_appointments SET cancelled = true WHERE appointment_id = $1 AND NOT cancelled RETURNING course_id`,
      [d.appointmentId],
    );
    const updated = Array.isArray(rows[0]) ? (rows[0] as Array<{ course_id: string }>) : (rows as Array<{ course_id: string }>);
    const courseId = updated[0]?.course_id;
    if (courseId)
      await emit(manager, e, courseId, 'booking.cancelled', d.releasedAt, { kind: 'appointment', appointmentId: d.appointmentId });
  }
}

/**
 * A batch's seat changes and messages are kept per transaction (its EntityManager) and written with one
 * statement each: seat changes before anything reads the seats and at the end of the batch (the last change
 * of a seat decides it), messages at the end of the batch in the order they were made (their seq follows it).
 */
const pendingSeats = new WeakMap<EntityManager, Map<string, { teamId: string; courseId: string; seated: boolean }>>();
const pendingMessages = new WeakMap<EntityManager, Array<{ payload: OutboundPayload; orderingKey: string; sourceEventId: string }>>();

/** the clinic and patient of the courses a batch names, loaded with one query (emit falls back to one per course) */
const knownCourses = new WeakMap<EntityManager, Map<string, { clinic_id: string; patient_id: string }>>();

async function preloadCourses(manager: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
  const ids = new Set<string>();
  for (const e of events) {
    if (streamCategory(e.streamId) === 'course') ids.add(streamEntityId(e.streamId));
    const d = e.data as { courseId?: unknown; entries?: Array<{ courseId?: unknown } | null> } | null;
    if (typeof d?.courseId === 'string') ids.add(d.courseId);
    for (const entry of Array.isArray(d?.entries) ? d.entries : []) if (typeof entry?.courseId === 'string') ids.add(entry.courseId);
  }
  const rows =
    ids.size === 0
      ? []
      : await manager.query<Array<{ course_id: string; clinic_id: string; patient_id: string }>>(
          `SELECT course_id, clinic_id, patient_id FROM outbox_courses WHERE course_id = ANY($1)`,
          [[...ids]],
        );
  knownCourses.set(manager, new Map(rows.map((r) => [r.course_id, { clinic_id: r.clinic_id, patient_id: r.patient_id }])));
}

function seatChange(manager: EntityManager, teamId: string, courseId: string, seated: boolean): void {
  const seats = pendingSeats.get(manager) ?? new Map<string, { teamId: string; courseId: string; seated: boolean }>();
  pendingSeats.set(manager, seats);
  seats.set(`${teamId}\u0000${courseId}`, { teamId, courseId, seated });
}

async function flushSeats(manager: EntityManager): Promise<void> {
  const seats = [...(pendingSeats.get(manager)?.values() ?? [])];
  pendingSeats.delete(manager);
  await deleteRows(
    manager,
    'outbox_team_seats',
    { team_id: 'text', course_id: 'text' },
    seats.filter((x) => !x.seated).map((x) => [x.teamId, x.courseId]),
  );
  await insertRows(
    manager,
    'outbox_team_seats',
    { team_id: 'text', course_id: 'text' },
    seats.filter((x) => x.seated).map((x) => [x.teamId, x.courseId]),
    'ON CONFLICT DO NOTHING',
  );
}

async function flushMessages(manager: EntityManager): Promise<void> {
  const messages = pendingMessages.get(manager) ?? [];
  pendingMessages.delete(manager);
  if (messages.length === 0) return;
  await manager.query(
    `WITH m AS (
       INSERT INTO outbox_messages (message_id, clinic_id, course_id, type, payload, source_event_id, occurred_at)
       SELECT x.message_id::uuid, x.clinic_id, x.course_id, x.type, x.payload::jsonb, x.source_event_id, x.occurred_at::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         WITH ORDINALITY AS x(message_id, clinic_id, course_id, type, payload, source_event_id, occurred_at, ord)
       ORDER BY x.ord
       RETURNING message_id, seq, course_id, clinic_id, type)
     INSERT INTO webhook_deliveries (delivery_id, webhook_id, message_id, seq, course_id, status, next_attempt_at)
     SELECT gen_random_uuid(), w.webhook_id, m.message_id, m.seq, m.course_id, 'pending', now()
     FROM m JOIN webhooks w ON w.clinic_id = m.clinic_id AND w.deleted_at IS NULL AND m.type = ANY(w.event_types)
     ORDER BY m.seq`,
    [
      messages.map((x) => x.payload.id),
      messages.map((x) => x.payload.clinicId),
      messages.map((x) => x.orderingKey),
      messages.map((x) => x.payload.type),
      messages.map((x) => JSON.stringify(x.payload)),
      messages.map((x) => x.sourceEventId),
      messages.map((x) => x.payload.occurredAt),
    ],
  );
}

async function seated(manager: EntityManager, teamId: string): Promise<string[]> {
  await flushSeats(manager);
  const rows = await manager.query<Array<{ course_id: string }>>(
    `SELECT course_id FROM outbox_team_seats WHERE team_id = $1 ORDER BY course_id`,
    [teamId],
  );
  return rows.map((r) => r.course_id);
}

/** a team-level message: no course, no patient; ordered per team (ordering key `team:<id>`) */
async function emitTeam(
  manager: EntityManager,
  e: RecordedEvent,
  teamId: string,
  type: OutboundEventType,
  occurredAt: string | undefined,
  data: Record<string, unknown>,
): Promise<void> {
  const team = await manager.query<Array<{ clinic_id: string }>>(`SELECT clinic_id FROM outbox_teams WHERE team_id = $1`, [teamId]);
  const clinicId = clinicOf(e) || team[0]?.clinic_id || '';
  const payload: OutboundPayload = {
    id: randomUUID(),
    type,
    occurredAt: occurredAt ?? e.createdAt.toISOString(),
    clinicId,
    courseId: null,
    teamId,
    patientId: null,
    data,
  };
  store(manager, e, payload, `team:${teamId}`);
}

/** one outbox message, and one pending delivery per webhook of the clinic subscribed to its type */
async function emit(
  manager: EntityManager,
  e: RecordedEvent,
  courseId: string,
  type: OutboundEventType,
  occurredAt: string | undefined,
  data: Record<string, unknown>,
): Promise<void> {
  const known = knownCourses.get(manager)?.get(courseId);
  const course = known
    ? [known]
    : await manager.query<Array<{ clinic_id: string; patient_id: string }>>(
        `SELECT clinic_id, patient_id FROM outbox_courses WHERE course_id = $1`,
        [courseId],
      );
  const clinicId = clinicOf(e) || course[0]?.clinic_id || '';
  const messageId = randomUUID();
  const payload: OutboundPayload = {
    id: messageId,
    type,
    occurredAt: occurredAt ?? e.createdAt.toISOString(),
    clinicId,
    courseId,
    patientId: course[0]?.patient_id ?? null,
    data,
  };
  store(manager, e, payload, courseId);
}

/** `orderingKey` (stored in `course_id`): deliveries with the same key go to a webhook one after the other, in order */
function store(manager: EntityManager, e: RecordedEvent, payload: OutboundPayload, orderingKey: string): void {
  // written with the batch's other messages in one statement (flushMessages), in this order
  const messages = pendingMessages.get(manager) ?? [];
  pendingMessages.set(manager, messages);
  messages.push({ payload, orderingKey, sourceEventId: e.id });
}
