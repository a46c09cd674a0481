import type { EntityManager } from 'typeorm';
import type { CourseEvent, PlannedSession, ProgrammeDefinition, TeamEvent } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { streamCategory, streamEntityId, unseenEvents, type Projection } from '#app/projections';
import { TEAM_EVENT_TYPES } from '../teams/team-view.js';
import { clinicOf, isCourseEvent } from '../roster/course-stream.js';
import { applyAppointmentEvent, isAppointmentEvent } from './calendar.appointments.js';
import { addAttendees, changeEntry, insertEntry, joinTeamSessions, leaveTeamSessions, sessionUid, stepUid } from './calendar-entries.sql.js';

export const CALENDAR_PROJECTION = 'calendars.v1';

/**
 * Read model of the calendars (migration 1763800006000): one `calendar_entries` row per team session,
 * appointment and individually booked course step, under a uid that never changes, with a `sequence`
 * that grows on every change of time, place or status (what an iCalendar feed needs as UID + SEQUENCE).
 * Cancelled items stay, as cancelled. `calendar_attendees` says whose calendar an entry is on: the
 * team's therapists and patients (courses) for a session, the clinicians and course of an appointment.
 * Per clinician, room, team and course the feed is a plain indexed query (calendar.service.ts).
 */
export function calendarProjection(): Projection {
  return {
    name: CALENDAR_PROJECTION,
    tables: ['calendar_entries', 'calendar_attendees', 'calendar_sources'],
    async apply(events: readonly RecordedEvent[], manager: EntityManager) {
      const relevant = events.filter((e) => isTeamEvent(e) || isCourseEvent(e) || isAppointmentEvent(e));
      for (const e of await unseenEvents(manager, 'calendar_sources', relevant)) {
        if (isAppointmentEvent(e)) await applyAppointmentEvent(manager, e);
        else if (isCourseEvent(e)) await applyCourseEvent(manager, e);
        else await applyTeamEvent(manager, e);
      }
    },
  };
}

const isTeamEvent = (e: RecordedEvent): boolean => streamCategory(e.streamId) === 'team' && TEAM_EVENT_TYPES.has(e.type);

async function applyTeamEvent(manager: EntityManager, e: RecordedEvent): Promise<void> {
  const teamId = streamEntityId(e.streamId);
  const event = { type: e.type, data: e.data } as TeamEvent;
  switch (event.type) {
    case 'TeamPlanned': {
      const d = event.data;
      for (const [index, session] of d.sessions.entries()) {
        await insertEntry(manager, {
          uid: sessionUid(teamId, session.key),
          clinicId: d.clinicId,
          kind: 'team-session',
          title: sessionTitle(d.programme, session, index, d.sessions.length),
          startsAt: session.startsAt,
          endsAt: session.endsAt,
          timeZone: d.rules.timeZone,
          roomId: session.room.roomId,
          teamId,
          sessionKey: session.key,
          sessionNumber: index + 1,
          programmeCode: d.programmeCode,
          at: e.createdAt,
        });
      }
      return;
    }
    case 'TherapistAssigned':
      return joinTeamSessions(manager, teamId, 'clinician', event.data.clinicianId, event.data.role, event.data.assignedAt);
    case 'TherapistRemoved':
      return leaveTeamSessions(manager, teamId, 'clinician', event.data.clinicianId, event.data.removedAt);
    case 'SeatReserved':
      return joinTeamSessions(manager, teamId, 'course', event.data.courseId, null, event.data.reservedAt);
    case 'SeatReleased':
      return leaveTeamSessions(manager, teamId, 'course', event.data.courseId, event.data.releasedAt);
    case 'SessionCancelled': {
      const d = event.data;
      await changeEntry(manager, sessionUid(teamId, d.sessionKey), { status: 'cancelled', cancelled: { reason: d.reason, at: d.cancelledAt } }, e.createdAt);
      return;
    }
    case 'SessionMoved': {
      const d = event.data;
      await changeEntry(manager, sessionUid(teamId, d.sessionKey), { startsAt: d.startsAt, endsAt: d.endsAt, roomId: d.room.roomId }, e.createdAt);
      return;
    }
    default:
      return; // waitlist, offers and attendance do not change a calendar
  }
}

/**
 * Individually booked steps (consultations booked on the course itself). Group steps are left out: the
 * course's calendar shows its team's sessions instead, through the seat.
 */
async function applyCourseEvent(manager: EntityManager, e: RecordedEvent): Promise<void> {
  const courseId = streamEntityId(e.streamId);
  const event = { type: e.type, data: e.data } as CourseEvent;
  switch (event.type) {
    case 'StepScheduled': {
      const d = event.data;
      if (d.teamId !== undefined) return;
      const uid = stepUid(courseId, d.stepCode);
      const changed = await changeEntry(manager, uid, { startsAt: d.at, endsAt: d.endsAt ?? null, status: 'confirmed' }, e.createdAt);
      if (!changed) {
        await insertEntry(manager, {
          uid,
          clinicId: clinicOf(e),
          kind: 'course-step',
          title: d.intervention ?? d.stepCode,
          startsAt: d.at,
          endsAt: d.endsAt ?? null,
          timeZone: null,
          roomId: null,
          courseId,
          stepCode: d.stepCode,
          ...(d.intervention ? { intervention: d.intervention } : {}),
          ...(d.programme ? { programmeCode: d.programme } : {}),
          at: e.createdAt,
        });
        await addAttendees(manager, uid, 'course', [courseId]);
      }
      return;
    }
    case 'StepUnscheduled':
    case 'StepSkipped': {
      const d = event.data;
      const at = event.type === 'StepUnscheduled' ? event.data.unscheduledAt : event.data.skippedAt;
      await changeEntry(manager, stepUid(courseId, d.stepCode), { status: 'cancelled', cancelled: { reason: d.reason, at } }, e.createdAt);
      return;
    }
    case 'CourseEnded': {
      const d = event.data;
      const open = (await manager.query(
        `SELECT uid FROM calendar_entries WHERE course_id = $1 AND kind = 'course-step' AND status = 'confirmed' AND starts_at > $2 ORDER BY uid`,
        [courseId, d.endedAt],
      )) as Array<{ uid: string }>;
      for (const { uid } of open) {
        await changeEntry(manager, uid, { status: 'cancelled', cancelled: { reason: `The course ended (${d.reason}).`, at: d.endedAt } }, e.createdAt);
      }
      return;
    }
    default:
      return;
  }
}

function sessionTitle(programme: ProgrammeDefinition, session: PlannedSession, index: number, count: number): string {
  if (session.kind === 'retreat') return `${programme.name.en}: silent retreat day`;
  return count === 1 ? programme.name.en : `${programme.name.en}: session ${index + 1} of ${count}`;
}
