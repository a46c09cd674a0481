import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  courseDecider,
  courseStreamId,
  patientCoursesDecider,
  patientCoursesStreamId,
  replay,
  type CourseEvent,
  type CourseState,
  type OpenedCourse,
  type OpenPatientCourse,
  type PatientCourseOpened,
  type PatientCoursesState,
} from '#app/domain';
import type { EventStore, RecordedEvent } from '#app/event-store';
import { Clock } from '../../platform/clock/clock.js';
import { ApiError } from '../../platform/http/api-error.js';
import { EVENT_STORE } from '../../platform/persistence/tokens.js';
import { DeciderStore, type DecisionPolicy } from '../../platform/write-path/decider-store.js';
import type { EventMetadata } from '../../platform/write-path/event-metadata.js';

export interface OpenCourse {
  readonly courseId: string;
  readonly pathway: string;
  readonly status: string;
  readonly receivedAt: string | null;
}

export interface PatientCourse {
  readonly courseId: string;
  readonly state: CourseState;
}

/** an index entry whose course stream is not written yet counts as open for this long (a referral in flight) */
const IN_FLIGHT_MS = 2 * 60_000;

@Injectable()
export class PatientCourses {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Records that `courseId` is opened for the patient on `pathway`, unless the patient already has an open
   * course on it: then `409 OPEN_COURSE_EXISTS` naming it, or, with `newCourse`, the open ones are returned
   * so the course event can name them. Idempotent for the same course id (a retry of the same referral).
   */
  async open(
    clinicId: string,
    patientId: string,
    courseId: string,
    pathway: string,
    newCourse: boolean,
    metadata: EventMetadata,
  ): Promise<{ openCourseIds: string[] }> {
    const streamId = patientCoursesStreamId(patientId);
    let openCourseIds: string[] = [];
    // whether the patient has an open course on the pathway is judged from the course streams, as a policy on
    // the decided PatientCourseOpened: it runs again on the fresh index whenever a racing referral for the same
    // patient makes the append lose (opening a course already in the index decides nothing and skips it)
    const oneOpenCourse: DecisionPolicy<OpenPatientCourse, PatientCourseOpened, PatientCoursesState> = async ({ state }) => {
      const open = (await this.openCourses(clinicId, patientId, state.opened)).filter(
        (c) => c.pathway === pathway && c.courseId !== courseId,
      );
      if (open.length > 0 && !newCourse) {
        const first = open[0];
        throw new ApiError(
          409,
          'OPEN_COURSE_EXISTS',
          `This patient already has an open course on this pathway (course ${first.courseId}, ${readableStatus(first.status)}${first.receivedAt ? `, referred ${first.receivedAt.slice(0, 10)}` : ''}). ` +
            'Add the referral to that course, or send "newCourse": true with a reason to open a second one.',
          { courseId: first.courseId, pathway, status: first.status, receivedAt: first.receivedAt, openCourses: open },
        );
      }
      openCourseIds = open.map((c) => c.courseId);
      return undefined;
    };
    const command: OpenPatientCourse = { type: 'OpenPatientCourse', courseId, pathway, now: this.clock.now().toISOString() };
    await this.store.execute(patientCoursesDecider, streamId, command, { metadata, policies: [oneOpenCourse] });
    return { openCourseIds };
  }

  /** the patient's courses in the clinic, from the index and (for courses from before it) the roster read model */
  async courses(clinicId: string, patientId: string): Promise<PatientCourse[]> {
    const index = await this.events.readStream(patientCoursesStreamId(patientId));
    const ids = await this.courseIds(
      clinicId,
      patientId,
      index.map((e) => e.data as OpenedCourse),
    );
    const found: PatientCourse[] = [];
    for (const id of ids) {
      const events = await this.events.readStream(courseStreamId(id));
      if (!ownCourse(events, clinicId, patientId)) continue;
      found.push({
        courseId: id,
        state: replay(
          courseDecider,
          events.map((e) => ({ type: e.type, data: e.data }) as CourseEvent),
        ),
      });
    }
    return found.sort(
      (a, b) =>
        (a.state.referral?.receivedAt ?? '').localeCompare(b.state.referral?.receivedAt ?? '') || a.courseId.localeCompare(b.courseId),
    );
  }

  private async openCourses(clinicId: string, patientId: string, opened: readonly OpenedCourse[]): Promise<OpenCourse[]> {
    const open: OpenCourse[] = [];
    for (const id of await this.courseIds(clinicId, patientId, opened)) {
      const events = await this.events.readStream(courseStreamId(id));
      if (events.length === 0) {
        // a referral between its index entry and its course: open while it may still be in flight
        const entry = opened.find((o) => o.courseId === id);
        if (entry && this.clock.now().getTime() - Date.parse(entry.openedAt) < IN_FLIGHT_MS)
          open.push({ courseId: id, pathway: entry.pathway, status: 'awaiting_visitation', receivedAt: null });
        continue;
      }
      if (!ownCourse(events, clinicId, patientId)) continue;
      const state = replay(
        courseDecider,
        events.map((e) => ({ type: e.type, data: e.data }) as CourseEvent),
      );
      if (state.status === 'ended' || state.status === 'none') continue;
      open.push({ courseId: id, pathway: state.pathway.code, status: state.status, receivedAt: state.referral.receivedAt });
    }
    return open;
  }

  private async courseIds(clinicId: string, patientId: string, opened: readonly OpenedCourse[]): Promise<string[]> {
    const legacy: Array<{ course_id: string }> = await this.dataSource.query(
      'SELECT course_id FROM roster_courses WHERE clinic_id = $1 AND patient_id = $2',
      [clinicId, patientId],
    );
    return [...new Set([...opened.map((o) => o.courseId), ...legacy.map((r) => r.course_id)])];
  }
}

function ownCourse(events: readonly RecordedEvent[], clinicId: string, patientId: string): boolean {
  const first = events.at(0);
  return (
    first !== undefined &&
    (first.metadata as { clinicId?: string }).clinicId === clinicId &&
    (first.data as { patientId?: string }).patientId === patientId
  );
}

function readableStatus(status: string): string {
  return status === 'active' ? 'active' : status === 'on_hold' ? 'referral on hold' : 'awaiting visitation';
}
