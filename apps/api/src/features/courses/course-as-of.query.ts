import { Inject, Injectable } from '@nestjs/common';
import {
  appointmentsOfCourse,
  courseDecider,
  courseStreamId,
  isInstant,
  replay,
  scheduleDecider,
  scheduleStreamId,
  teamDecider,
  type CourseEvent,
  type ScheduleEvent,
  type TeamEvent,
  teamStreamId,
} from '#app/domain';
import type { EventStore, RecordedEvent } from '#app/event-store';
import type { Actor } from '../../platform/auth/actor.js';
import { Clock } from '../../platform/clock/clock.js';
import { ApiError } from '../../platform/http/api-error.js';
import { EVENT_STORE } from '../../platform/persistence/tokens.js';
import { isUuid } from '../../platform/write-path/new-stream-id.js';
import { requireOwnStream } from '../../platform/write-path/write-response.js';
import { teamView, type TeamResponse } from '../teams/index.js';
import { CourseReader } from './course-reader.js';
import { courseView, type CourseView } from './course-view.js';
import { referredCourse } from './referred-course.js';

export type TeamAsOf = TeamResponse;

/** GET /courses/{id}?asOf=: the course view exactly as GET /courses/{id} built it then, plus `asOf`. */
export type CourseAsOfView = CourseView & {
  readonly asOf: { readonly at: string; readonly revision: number; readonly teams: TeamAsOf[] };
};

/**
 * The course (and the teams it was on) replayed from the events recorded up to a time, built by the same
 * view builder GET /courses/{id} uses and judged at that time. "Recorded up to a time" = the longest prefix
 * of each stream whose events' `createdAt` ≤ that time: what the system knew then. The audit replay's diff
 * compares two of these.
 */
@Injectable()
export class CourseAsOf {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CourseReader) private readonly courses: CourseReader,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The course as GET /courses/{id} showed it at `at` (an ISO instant), and the teams it was on then. */
  async courseAsOf(actor: Actor, courseId: string, at: string, field = 'asOf'): Promise<CourseAsOfView> {
    const atMs = parseTime(at, field);
    if (atMs > this.clock.now().getTime()) {
      throw new ApiError(400, 'AS_OF_IN_FUTURE', `${field} is in the future; the record can only be shown as it was up to now.`, {
        [field]: at,
      });
    }
    const events = knownAt(await this.ownCourse(actor, courseId), atMs);
    const now = new Date(atMs).toISOString();
    if (events.length === 0) {
      throw new ApiError(404, 'NOT_FOUND', `The course ${courseId} was not yet registered at ${now}.`, {
        what: 'course',
        id: courseId,
        [field]: now,
      });
    }
    const state = referredCourse(
      replay(
        courseDecider,
        events.map((e) => ({ type: e.type, data: e.data }) as CourseEvent),
      ),
      courseId,
    );
    const { pathway } = await this.courses.pathwayOf(actor.clinicId, state.pathway);
    const schedule = knownAt(await this.store.readStream(scheduleStreamId({ kind: 'patient', id: state.patientId })), atMs);
    const scheduleState = replay(
      scheduleDecider,
      schedule.map((e) => ({ type: e.type, data: e.data }) as ScheduleEvent),
    );
    const view = courseView({
      courseId,
      revision: events.length - 1,
      state,
      events,
      pathway,
      appointments: appointmentsOfCourse(scheduleState, courseId),
      now,
    });
    const teamIds = [...new Set([...state.seats, ...state.waitlists].map((s) => s.teamId))];
    const teams: TeamAsOf[] = [];
    for (const teamId of teamIds) {
      const teamEvents = knownAt(await this.store.readStream(teamStreamId(teamId)), atMs);
      const team = replay(
        teamDecider,
        teamEvents.map((e) => ({ type: e.type, data: e.data }) as TeamEvent),
      );
      if (team.status === 'planned' && team.clinicId === actor.clinicId) teams.push(teamView(team, teamEvents.length - 1, now));
    }
    return { ...view, asOf: { at: now, revision: events.length - 1, teams } };
  }

  private async ownCourse(actor: Actor, courseId: string): Promise<RecordedEvent[]> {
    if (!isUuid(courseId)) throw ApiError.notFound('course', courseId);
    const events = await this.store.readStream(courseStreamId(courseId));
    requireOwnStream(events, actor, 'course', courseId);
    return events;
  }
}

/** the longest prefix of a stream recorded at or before `atMs` */
export function knownAt(events: readonly RecordedEvent[], atMs: number): RecordedEvent[] {
  const out: RecordedEvent[] = [];
  for (const e of events) {
    if (e.createdAt.getTime() > atMs) break;
    out.push(e);
  }
  return out;
}

/** an ISO 8601 instant with offset (a `+` sent unencoded arrives as a space) → epoch ms; else 400 */
export function parseTime(value: string, field: string): number {
  const text = typeof value === 'string' ? value.replace(/ (\d{2}:?\d{2})$/, '+$1') : value;
  if (!isInstant(text)) {
    throw new ApiError(400, 'VALIDATION_FAILED', `Some fields are missing or wrong: ${field}.`, {
      fields: [{ field, problems: [`${field} must be an ISO 8601 time with its offset, for example 2026-03-02T10:00:00+01:00`] }],
    });
  }
  return Date.parse(text);
}
