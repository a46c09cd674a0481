import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { currentStep, formatInZone, nextStep, openItems, type CourseState, type PathwayDefinition } from '#app/domain';
import type { Actor } from '../../platform/auth/actor.js';
import { fromJson } from '../../platform/projections/course-stream.js';
import { PathwayLookup } from './pathway-lookup.js';
import { ReadAccess } from './read-access.js';
import type { RosterCourseResponse, RosterEventResponse, RosterResponse } from './roster.response.js';
import { Clock } from '../../platform/clock/clock.js';

interface RosterRow {
  course_id: string;
  patient_id: string;
  status: string;
  state: unknown;
  roles: string[];
}

interface NextRow {
  course_id: string;
  uid: string;
  kind: string;
  title: string;
  starts_at: Date;
  ends_at: Date | null;
  time_zone: string | null;
  room_id: string | null;
  team_id: string | null;
}

/**
 * A clinician's microteam roster from the roster.v1 read model (courses and members) and the calendars.v1
 * one (next session or appointment). Everything that depends on the clock is judged here, at `at`, from
 * the stored state and deadlines with the domain's own queries (openItems, nextStep), never stored.
 */
@Injectable()
export class RosterService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ReadAccess) private readonly access: ReadAccess,
    @Inject(PathwayLookup) private readonly pathways: PathwayLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async roster(actor: Actor, clinicianId: string, options: { at?: string; includeEnded?: boolean }): Promise<RosterResponse> {
    await this.access.requireClinicianView(actor, clinicianId, 'roster');
    const atMs = options.at ? Date.parse(options.at) : this.clock.now().getTime();
    const timeZone = await this.pathways.timeZone(actor.clinicId);
    const at = formatInZone(atMs, timeZone);
    const rows = await this.dataSource.query<RosterRow[]>(
      `SELECT c.course_id, c.patient_id, c.status, c.state, array_agg(m.role ORDER BY m.role) AS roles
       FROM roster_members m JOIN roster_courses c ON c.course_id = m.course_id
       WHERE m.clinician_id = $1 AND c.clinic_id = $2 AND ($3 OR c.status <> 'ended')
       GROUP BY c.course_id ORDER BY c.referral_received_at, c.course_id`,
      [clinicianId, actor.clinicId, options.includeEnded ?? false],
    );
    const pathwayOf = await this.pathways.pathways(actor.clinicId);
    const next = await this.nextItems(
      actor.clinicId,
      rows.map((r) => r.course_id),
      new Date(atMs),
      timeZone,
    );
    return {
      clinicianId,
      evaluatedAt: at,
      courses: rows.map((row) => {
        const state = fromJson<CourseState>(row.state);
        const pathway = state.pathway ? pathwayOf(state.pathway) : undefined;
        return courseView(row, state, pathway, at, next.get(row.course_id) ?? null);
      }),
    };
  }

  /** the next confirmed item on each course's calendar at or after `after` */
  private async nextItems(
    clinicId: string,
    courseIds: readonly string[],
    after: Date,
    timeZone: string,
  ): Promise<Map<string, RosterEventResponse>> {
    if (courseIds.length === 0) return new Map();
    const rows = await this.dataSource.query<NextRow[]>(
      `SELECT DISTINCT ON (a.attendee_id) a.attendee_id AS course_id, e.uid, e.kind, e.title, e.starts_at, e.ends_at, e.time_zone, e.room_id, e.team_id
       FROM calendar_attendees a JOIN calendar_entries e ON e.uid = a.uid
       WHERE a.attendee_kind = 'course' AND a.attendee_id = ANY($2) AND e.clinic_id = $1 AND e.status = 'confirmed' AND e.starts_at >= $3
       ORDER BY a.attendee_id, e.starts_at, e.uid`,
      [clinicId, courseIds, after],
    );
    return new Map(
      rows.map((r) => {
        const zone = r.time_zone ?? timeZone;
        return [
          r.course_id,
          {
            uid: r.uid,
            kind: r.kind,
            title: r.title,
            startsAt: formatInZone(r.starts_at.getTime(), zone),
            endsAt: r.ends_at ? formatInZone(r.ends_at.getTime(), zone) : null,
            roomId: r.room_id,
            teamId: r.team_id,
          },
        ];
      }),
    );
  }
}

function courseView(
  row: RosterRow,
  state: CourseState,
  pathway: PathwayDefinition | undefined,
  at: string,
  next: RosterEventResponse | null,
): RosterCourseResponse {
  const name = (code: string) => pathway?.steps.find((s) => s.code === code)?.name.en ?? code;
  const current = pathway ? currentStep(state, pathway) : undefined;
  const upcoming = pathway ? nextStep(state, pathway) : undefined;
  return {
    courseId: row.course_id,
    patientId: row.patient_id,
    status: row.status,
    roles: row.roles,
    coordinator: { ...state.coordinator },
    pathwayStep: current
      ? { stepCode: current.stepCode, name: name(current.stepCode), status: current.status, ...(current.at ? { at: current.at } : {}) }
      : null,
    nextStep: upcoming
      ? {
          stepCode: upcoming.stepCode,
          name: name(upcoming.stepCode),
          needsChoice: upcoming.needsChoice,
          ...(upcoming.programme ? { programme: upcoming.programme } : {}),
          ...(upcoming.window
            ? { window: { from: upcoming.window.from, to: upcoming.window.to, relativeTo: upcoming.window.relativeTo } }
            : {}),
        }
      : null,
    nextAppointment: next,
    openItems: pathway ? openItems(state, at, pathway).map((item) => ({ ...item })) : [],
  };
}
