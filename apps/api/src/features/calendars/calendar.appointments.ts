import type { RecordedEvent } from '#app/event-store';
import { streamCategory, streamEntityId } from '#app/projections';
import type { ScheduleEvent } from '#app/domain';
import { clinicOf } from '../../platform/projections/course-stream.js';
import { appointmentUid, type CalendarBatch } from './calendar-entries.sql.js';

/**
 * EXTENSION POINT for individual appointments (apps/api/src/appointments). An appointment exists when,
 * and only when, it is reserved on its patient's schedule stream `schedule-patient-<patientId>` (the
 * commit point; the clinician and room streams hold holds that may be compensated), so only that stream
 * is read. `SlotReserved` (kind `appointment`) makes the entry, `SlotReleased` cancels it. When the
 * appointments slice adds moving an appointment (a new time or room under the same appointment id), map
 * that event here with `changeEntry`: SEQUENCE then grows by itself.
 */
export function isAppointmentEvent(e: RecordedEvent): boolean {
  return (
    streamCategory(e.streamId) === 'schedule' &&
    streamEntityId(e.streamId).startsWith('patient-') &&
    (e.type === 'SlotReserved' || e.type === 'SlotReleased')
  );
}

/** the appointment uid an event is about (the calendar batch loads these entries) */
export function appointmentUidOf(e: RecordedEvent): string | undefined {
  const d = e.data as { appointmentId?: unknown } | null;
  return typeof d?.appointmentId === 'string' ? appointmentUid(d.appointmentId) : undefined;
}

export function applyAppointmentEvent(batch: CalendarBatch, e: RecordedEvent): void {
  const event = { type: e.type, data: e.data } as ScheduleEvent;
  if (event.type === 'SlotReserved') {
    const d = event.data;
    if (d.kind !== 'appointment' || !d.courseId) return;
    const uid = appointmentUid(d.appointmentId);
    const changed = batch.changeEntry(
      uid,
      { startsAt: d.start, endsAt: d.end, roomId: d.roomId ?? null, status: 'confirmed' },
      e.createdAt,
    );
    if (!changed) {
      batch.insertEntry({
        uid,
        clinicId: clinicOf(e),
        kind: 'appointment',
        title: d.intervention ?? 'Appointment',
        startsAt: d.start,
        endsAt: d.end,
        timeZone: null,
        roomId: d.roomId ?? null,
        courseId: d.courseId,
        appointmentId: d.appointmentId,
        ...(d.intervention ? { intervention: d.intervention } : {}),
        at: e.createdAt,
      });
    }
    batch.addAttendees(uid, 'clinician', d.clinicianIds ?? []);
    batch.addAttendees(uid, 'course', [d.courseId]);
  } else if (event.type === 'SlotReleased') {
    const d = event.data;
    batch.changeEntry(
      appointmentUid(d.appointmentId),
      { status: 'cancelled', cancelled: { reason: d.reason, at: d.releasedAt } },
      e.createdAt,
    );
  }
}
