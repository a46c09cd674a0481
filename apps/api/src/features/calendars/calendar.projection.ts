import type { EntityManager } from 'typeorm';
import type { CourseEvent, PlannedSession, ProgrammeDefinition, TeamEvent } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { streamCategory, streamEntityId, unseenEvents, type Projection } from '#app/projections';
import { TEAM_EVENT_TYPES } from '../teams/index.js';
import { clinicOf, isCourseEvent } from '../../platform/projections/course-stream.js';
import { applyAppointmentEvent, appointmentUidOf, isAppointmentEvent } from './calendar.appointments.js';
import { CalendarBatch, sessionUid, stepUid } from './calendar-entries.sql.js';

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
    categories: ['team', 'course', 'schedule'],
    async apply(events: readonly RecordedEvent[], manager: EntityManager) {
      const relevant = events.filter((e) => isTeamEvent(e) || isCourseEvent(e) || isAppointmentEvent(e));
      const fresh = await unseenEvents(manager, 'calendar_sources', relevant);
      if (fresh.length === 0) return;
      const teams = new Set<string>();
      const courses = new Set<string>();
      const uids = new Set<string>();
      for (const e of fresh) {
        if (isAppointmentEvent(e)) {
          const uid = appointmentUidOf(e);
          if (uid) uids.add(uid);
        } else if (isCourseEvent(e)) courses.add(streamEntityId(e.streamId));
        else teams.add(streamEntityId(e.streamId));
      }
      // the entries the batch can touch, in one query; changed in memory; written with one statement per table
      const batch = await CalendarBatch.load(manager, { teams: [...teams], courses: [...courses], uids: [...uids] });
      for (const e of fresh) {
        if (isAppointmentEvent(e)) applyAppointmentEvent(batch, e);
        else if (isCourseEvent(e)) applyCourseEvent(batch, e);
        else applyTeamEvent(batch, e);
      }
      await batch.write(manager);
    },
  };
}

const isTeamEvent = (e: RecordedEvent): boolean => streamCategory(e.streamId) === 'team' && TEAM_EVENT_TYPES.has(e.type);

function applyTeamEvent(batch: CalendarBatch, e: RecordedEvent): void {
  const teamId = streamEntityId(e.streamId);
  const event = { type: e.type, data: e.data } as TeamEvent;
  switch (event.type) {
    case 'TeamPlanned': {
      const d = event.data;
      for (const [index, session] of d.sessions.entries()) {
        batch.insertEntry({
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
      batch.joinTeamSessions(teamId, 'clinician', event.data.clinicianId, event.data.role, event.data.assignedAt);
      return;
    case 'TherapistRemoved':
      batch.leaveTeamSessions(teamId, 'clinician', event.data.clinicianId, event.data.removedAt);
      return;
    case 'SeatReserved':
      batch.joinTeamSessions(teamId, 'course', event.data.courseId, null, event.data.reservedAt);
      return;
    case 'SeatReleased':
      batch.leaveTeamSessions(teamId, 'course', event.data.courseId, event.data.releasedAt);
      return;
    case 'SessionCancelled': {
      const d = event.data;
      batch.changeEntry(
        sessionUid(teamId, d.sessionKey),
        { status: 'cancelled', cancelled: { reason: d.reason, at: d.cancelledAt } },
        e.createdAt,
      );
      return;
    }
    case 'SessionMoved': {
      const d = event.data;
      batch.changeEntry(sessionUid(teamId, d.sessionKey), { startsAt: d.startsAt, endsAt: d.endsAt, roomId: d.room.roomId }, e.createdAt);
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
function applyCourseEvent(batch: CalendarBatch, e: RecordedEvent): void {
  const courseId = streamEntityId(e.streamId);
  const event = { type: e.type, data: e.data } as CourseEvent;
  switch (event.type) {
    case 'StepScheduled': {
      const d = event.data;
      if (d.teamId !== undefined) return;
      const uid = stepUid(courseId, d.stepCode);
      const changed = batch.changeEntry(uid, { startsAt: d.at, endsAt: d.endsAt ?? null, status: 'confirmed' }, e.createdAt);
      if (!changed) {
        batch.insertEntry({
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
        batch.addAttendees(uid, 'course', [courseId]);
      }
      return;
    }
    case 'StepUnscheduled':
    case 'StepSkipped': {
      const d = event.data;
      const at = event.type === 'StepUnscheduled' ? event.data.unscheduledAt : event.data.skippedAt;
      batch.changeEntry(stepUid(courseId, d.stepCode), { status: 'cancelled', cancelled: { reason: d.reason, at } }, e.createdAt);
      return;
    }
    case 'CourseEnded': {
      const d = event.data;
      for (const uid of batch.openCourseSteps(courseId, d.endedAt)) {
        batch.changeEntry(
          uid,
          { status: 'cancelled', cancelled: { reason: `The course ended (${d.reason}).`, at: d.endedAt } },
          e.createdAt,
        );
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
