import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { formatInZone } from '#app/domain';
import type { Actor } from '../../platform/auth/actor.js';
import { Clock } from '../../platform/clock/clock.js';
import { ApiError } from '../../platform/http/api-error.js';
import { PathwayLookup, ReadAccess } from '../roster/index.js';
import type { CalendarEntryResponse, CalendarResponse } from './calendar.response.js';
import type { CalendarQuery } from './calendars.request.js';

export type CalendarKind = 'clinician' | 'room' | 'team' | 'course';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 92;
const MAX_DAYS = 366;

interface EntryRow {
  uid: string;
  kind: string;
  status: string;
  sequence: number;
  title: string;
  starts_at: Date;
  ends_at: Date | null;
  time_zone: string | null;
  room_id: string | null;
  team_id: string | null;
  session_key: string | null;
  session_number: number | null;
  programme_code: string | null;
  course_id: string | null;
  appointment_id: string | null;
  intervention: string | null;
  step_code: string | null;
  cancel_reason: string | null;
  cancelled_at: Date | null;
  updated_at: Date;
  clinician_ids: string[];
  course_ids: string[];
}

/** which entries a calendar holds: the attendee table for people, the entry's own columns for places and teams */
const TARGET: Record<CalendarKind, string> = {
  clinician: `e.uid IN (SELECT uid FROM calendar_attendees WHERE attendee_kind = 'clinician' AND attendee_id = $2)`,
  course: `e.uid IN (SELECT uid FROM calendar_attendees WHERE attendee_kind = 'course' AND attendee_id = $2)`,
  room: `e.room_id = $2`,
  team: `e.team_id = $2`,
};

const SELECT_ENTRIES = `
  SELECT e.*,
    COALESCE(array_agg(a.attendee_id ORDER BY a.attendee_id) FILTER (WHERE a.attendee_kind = 'clinician'), '{}') AS clinician_ids,
    COALESCE(array_agg(a.attendee_id ORDER BY a.attendee_id) FILTER (WHERE a.attendee_kind = 'course'), '{}') AS course_ids
  FROM calendar_entries e LEFT JOIN calendar_attendees a ON a.uid = e.uid`;

/** Calendars per clinician, room, team and patient course, from the `calendar_entries` read model. */
@Injectable()
export class CalendarService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ReadAccess) private readonly access: ReadAccess,
    @Inject(PathwayLookup) private readonly pathways: PathwayLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async calendar(actor: Actor, kind: CalendarKind, id: string, query: CalendarQuery): Promise<CalendarResponse> {
    const fromMs = query.from ? Date.parse(query.from) : this.clock.now().getTime();
    const toMs = query.to ? Date.parse(query.to) : fromMs + DEFAULT_DAYS * DAY_MS;
    if (toMs <= fromMs || toMs - fromMs > MAX_DAYS * DAY_MS) {
      throw new ApiError(400, 'VALIDATION_FAILED', `"to" must come after "from", and the range may span at most ${MAX_DAYS} days.`, {
        fields: [{ field: 'to', problems: [`to must be after from and at most ${MAX_DAYS} days later`] }],
      });
    }
    await this.authorise(actor, kind, id);
    const rows = await this.dataSource.query<EntryRow[]>(
      `${SELECT_ENTRIES}
       WHERE e.clinic_id = $1 AND ${TARGET[kind]} AND e.starts_at < $4 AND COALESCE(e.ends_at, e.starts_at) >= $3 AND ($5 OR e.status = 'confirmed')
       GROUP BY e.uid ORDER BY e.starts_at, e.uid`,
      [actor.clinicId, id, new Date(fromMs), new Date(toMs), query.includeCancelled ?? true],
    );
    const timeZone = await this.pathways.timeZone(actor.clinicId);
    const visible = await this.access.visibleCourses(actor);
    const shown = kind === 'course' ? withoutBookedTwice(rows) : rows;
    return {
      calendar: kind,
      id,
      from: formatInZone(fromMs, timeZone),
      to: formatInZone(toMs, timeZone),
      timeZone,
      entries: shown.map((row) => entryView(row, timeZone, actor, visible)),
    };
  }

  private async authorise(actor: Actor, kind: CalendarKind, id: string): Promise<void> {
    if (kind === 'clinician') return this.access.requireClinicianView(actor, id, 'calendar');
    if (kind === 'course') return this.access.requireCourseView(actor, id);
    const sql =
      kind === 'team'
        ? `SELECT 1 FROM team_boards WHERE team_id = $1 AND clinic_id = $2`
        : `SELECT 1 FROM rooms WHERE room_id = $1 AND clinic_id = $2 UNION ALL SELECT 1 FROM calendar_entries WHERE room_id = $1 AND clinic_id = $2 LIMIT 1`;
    const found = await this.dataSource.query<unknown[]>(sql, [id, actor.clinicId]);
    if (found.length === 0) throw ApiError.notFound(kind, id);
  }
}

/**
 * A consultation may be on a course twice: booked as a pathway step and as an appointment with
 * clinicians and a room. The appointment is the richer record; the step entry at the same time is left out.
 */
function withoutBookedTwice(rows: readonly EntryRow[]): EntryRow[] {
  const appointments = new Set(rows.filter((r) => r.kind === 'appointment' && r.status === 'confirmed').map(bookedKey));
  return rows.filter((r) => r.kind !== 'course-step' || !appointments.has(bookedKey(r)));
}

/** course, intervention and start: the same consultation whether booked as a step or as an appointment */
function bookedKey(r: EntryRow): string {
  return `${String(r.course_id)}|${String(r.intervention)}|${r.starts_at.getTime()}`;
}

/** course ids: all for those who see everyone or take part in the item, else only the caller's microteams' */
function entryView(row: EntryRow, clinicTimeZone: string, actor: Actor, visible: ReadonlySet<string> | undefined): CalendarEntryResponse {
  const zone = row.time_zone ?? clinicTimeZone;
  const at = (d: Date) => formatInZone(d.getTime(), zone);
  const takesPart = row.clinician_ids.includes(actor.staffId);
  const courseIds = visible === undefined || takesPart ? row.course_ids : row.course_ids.filter((c) => visible.has(c));
  return {
    uid: row.uid,
    sequence: row.sequence,
    kind: row.kind,
    status: row.status,
    title: row.title,
    startsAt: at(row.starts_at),
    endsAt: row.ends_at ? at(row.ends_at) : null,
    roomId: row.room_id,
    ...(row.team_id ? { teamId: row.team_id } : {}),
    ...(row.session_key ? { sessionKey: row.session_key } : {}),
    ...(row.session_number !== null ? { sessionNumber: row.session_number } : {}),
    ...(row.programme_code ? { programme: row.programme_code } : {}),
    ...(row.intervention ? { intervention: row.intervention } : {}),
    ...(row.step_code ? { stepCode: row.step_code } : {}),
    ...(row.appointment_id ? { appointmentId: row.appointment_id } : {}),
    clinicianIds: row.clinician_ids,
    courseIds,
    ...(row.cancel_reason ? { cancelReason: row.cancel_reason } : {}),
    ...(row.cancelled_at ? { cancelledAt: at(row.cancelled_at) } : {}),
    updatedAt: at(row.updated_at),
  };
}
