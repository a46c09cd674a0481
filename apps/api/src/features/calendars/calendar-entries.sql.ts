import type { EntityManager } from 'typeorm';
import { deleteRows, insertRows, updateRows, upsertClause } from '#app/projections';

/**
 * The calendar projection's changes to `calendar_entries` / `calendar_attendees` for one batch of events.
 * The entries the batch can touch (its teams' sessions, its courses' steps, its appointments) are loaded
 * with one query; every event then changes them in memory exactly as its own statements would have (same
 * SEQUENCE rule, same "not yet over at" cut for attendees), and `write` stores the result with one
 * statement per table and kind of change.
 */

export type EntryKind = 'team-session' | 'appointment' | 'course-step';

export interface NewEntry {
  readonly uid: string;
  readonly clinicId: string;
  readonly kind: EntryKind;
  readonly title: string;
  readonly startsAt: string;
  readonly endsAt: string | null;
  readonly timeZone: string | null;
  readonly roomId: string | null;
  readonly teamId?: string;
  readonly sessionKey?: string;
  readonly sessionNumber?: number;
  readonly programmeCode?: string;
  readonly courseId?: string;
  readonly appointmentId?: string;
  readonly intervention?: string;
  readonly stepCode?: string;
  readonly at: Date;
}

/** iCalendar-style uids: stable for the life of the item, whatever happens to it */
export const sessionUid = (teamId: string, sessionKey: string): string => `session:${teamId}:${sessionKey}`;
export const appointmentUid = (appointmentId: string): string => `appointment:${appointmentId}`;
export const stepUid = (courseId: string, stepCode: string): string => `step:${courseId}:${stepCode}`;

export interface EntryChange {
  readonly startsAt?: string;
  /** `null` clears it */
  readonly endsAt?: string | null;
  readonly roomId?: string | null;
  readonly status?: 'confirmed' | 'cancelled';
  /** with status cancelled */
  readonly cancelled?: { readonly reason: string; readonly at: string };
}

export type AttendeeKind = 'clinician' | 'course';

/** an entry as the batch sees it; times as epoch milliseconds (what SEQUENCE and the cuts compare) */
interface Entry {
  uid: string;
  clinic_id: string;
  kind: EntryKind;
  status: 'confirmed' | 'cancelled';
  sequence: number;
  title: string;
  starts_ms: number;
  ends_ms: number | null;
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
  cancelled_at: Date | string | null;
  created_at: Date;
  updated_at: Date;
}

const ENTRY_COLUMNS = {
  uid: 'text',
  clinic_id: 'text',
  kind: 'text',
  status: 'text',
  sequence: 'int',
  title: 'text',
  starts_at: 'timestamptz',
  ends_at: 'timestamptz',
  time_zone: 'text',
  room_id: 'text',
  team_id: 'text',
  session_key: 'text',
  session_number: 'int',
  programme_code: 'text',
  course_id: 'text',
  appointment_id: 'text',
  intervention: 'text',
  step_code: 'text',
  cancel_reason: 'text',
  cancelled_at: 'timestamptz',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
} as const;
const CHANGED_COLUMNS = {
  sequence: 'int',
  starts_at: 'timestamptz',
  ends_at: 'timestamptz',
  room_id: 'text',
  status: 'text',
  cancel_reason: 'text',
  cancelled_at: 'timestamptz',
  updated_at: 'timestamptz',
} as const;
const ATTENDEE_KEY = { uid: 'text', attendee_kind: 'text', attendee_id: 'text' } as const;
const ATTENDEE_COLUMNS = { ...ATTENDEE_KEY, role: 'text' } as const;

type AttendeeChange = { readonly uid: string; readonly kind: AttendeeKind; readonly id: string } & (
  { readonly present: true; readonly role: string | null } | { readonly present: false }
);

export interface CalendarScope {
  readonly teams: readonly string[];
  readonly courses: readonly string[];
  readonly uids: readonly string[];
}

export class CalendarBatch {
  private readonly created = new Set<string>();
  private readonly changed = new Set<string>();
  /** per (uid, kind, id) the last change: an upsert or a delete decides the row whatever it was before */
  private readonly attendees = new Map<string, AttendeeChange>();

  private constructor(private readonly entries: Map<string, Entry>) {}

  /** the entries of the scope's teams (sessions), courses (steps) and uids (appointments) */
  static async load(manager: EntityManager, scope: CalendarScope): Promise<CalendarBatch> {
    const rows = await manager.query<Entry[]>(
      `SELECT uid, clinic_id, kind, status, sequence, title, (extract(epoch FROM starts_at) * 1000)::float8 AS starts_ms,
              (extract(epoch FROM ends_at) * 1000)::float8 AS ends_ms, time_zone, room_id, team_id, session_key, session_number,
              programme_code, course_id, appointment_id, intervention, step_code, cancel_reason, cancelled_at, created_at, updated_at
       FROM calendar_entries
       WHERE (team_id = ANY($1) AND kind = 'team-session') OR (course_id = ANY($2) AND kind = 'course-step') OR uid = ANY($3)`,
      [scope.teams, scope.courses, scope.uids],
    );
    return new CalendarBatch(new Map(rows.map((r) => [r.uid, r])));
  }

  /** a new entry (an existing uid is left as it is) */
  insertEntry(e: NewEntry): void {
    if (this.entries.has(e.uid)) return;
    this.entries.set(e.uid, {
      uid: e.uid,
      clinic_id: e.clinicId,
      kind: e.kind,
      status: 'confirmed',
      sequence: 0,
      title: e.title,
      starts_ms: Date.parse(e.startsAt),
      ends_ms: e.endsAt === null ? null : Date.parse(e.endsAt),
      time_zone: e.timeZone,
      room_id: e.roomId,
      team_id: e.teamId ?? null,
      session_key: e.sessionKey ?? null,
      session_number: e.sessionNumber ?? null,
      programme_code: e.programmeCode ?? null,
      course_id: e.courseId ?? null,
      appointment_id: e.appointmentId ?? null,
      intervention: e.intervention ?? null,
      step_code: e.stepCode ?? null,
      cancel_reason: null,
      cancelled_at: null,
      created_at: e.at,
      updated_at: e.at,
    });
    this.created.add(e.uid);
  }

  /**
   * Changes an entry's time, place or status. SEQUENCE (RFC 5545 §3.8.7.4) grows by one when any of them
   * really changes; the same values again change nothing. Returns false when there is no such entry.
   */
  changeEntry(uid: string, change: EntryChange, at: Date): boolean {
    const current = this.entries.get(uid);
    if (!current) return false;
    const startsMs = change.startsAt !== undefined ? Date.parse(change.startsAt) : current.starts_ms;
    const endsMs = change.endsAt !== undefined ? (change.endsAt === null ? null : Date.parse(change.endsAt)) : current.ends_ms;
    const roomId = change.roomId !== undefined ? change.roomId : current.room_id;
    const status = change.status ?? current.status;
    const significant =
      startsMs !== current.starts_ms || endsMs !== current.ends_ms || roomId !== current.room_id || status !== current.status;
    if (!significant) return true;
    current.sequence += 1;
    current.starts_ms = startsMs;
    current.ends_ms = endsMs;
    current.room_id = roomId;
    current.status = status;
    current.cancel_reason = status === 'cancelled' ? (change.cancelled?.reason ?? null) : null;
    current.cancelled_at = status === 'cancelled' ? (change.cancelled?.at ?? null) : null;
    current.updated_at = at;
    if (!this.created.has(uid)) this.changed.add(uid);
    return true;
  }

  addAttendees(uid: string, kind: AttendeeKind, ids: readonly string[], role: string | null = null): void {
    for (const id of ids) this.attendees.set(`${uid}\u0000${kind}\u0000${id}`, { uid, kind, id, present: true, role });
  }

  /** a team's sessions not yet over at `at` gain an attendee (a therapist assigned, a seat reserved) */
  joinTeamSessions(teamId: string, kind: AttendeeKind, id: string, role: string | null, at: string): void {
    for (const uid of this.teamSessionsNotOverAt(teamId, at)) this.addAttendees(uid, kind, [id], role);
  }

  /** a team's sessions not yet over at `at` lose an attendee; sessions already held keep who was there */
  leaveTeamSessions(teamId: string, kind: AttendeeKind, id: string, at: string): void {
    for (const uid of this.teamSessionsNotOverAt(teamId, at))
      this.attendees.set(`${uid}\u0000${kind}\u0000${id}`, { uid, kind, id, present: false });
  }

  /** the course's individually booked steps still confirmed and starting after `after`, by uid */
  openCourseSteps(courseId: string, after: string): string[] {
    const cut = Date.parse(after);
    return [...this.entries.values()]
      .filter((e) => e.course_id === courseId && e.kind === 'course-step' && e.status === 'confirmed' && e.starts_ms > cut)
      .map((e) => e.uid)
      .sort();
  }

  private teamSessionsNotOverAt(teamId: string, at: string): string[] {
    const cut = Date.parse(at);
    return [...this.entries.values()]
      .filter((e) => e.team_id === teamId && e.kind === 'team-session' && (e.ends_ms ?? e.starts_ms) > cut)
      .map((e) => e.uid);
  }

  /** an entry this batch created or changed: it is in the batch by construction */
  private entryOf(uid: string): Entry {
    const e = this.entries.get(uid);
    if (!e) throw new Error(`calendar batch: no entry ${uid}`);
    return e;
  }

  async write(manager: EntityManager): Promise<void> {
    const time = (ms: number | null) => (ms === null ? null : new Date(ms));
    const created = [...this.created].map((uid) => {
      const e = this.entryOf(uid);
      return [
        e.uid,
        e.clinic_id,
        e.kind,
        e.status,
        e.sequence,
        e.title,
        time(e.starts_ms),
        time(e.ends_ms),
        e.time_zone,
        e.room_id,
        e.team_id,
        e.session_key,
        e.session_number,
        e.programme_code,
        e.course_id,
        e.appointment_id,
        e.intervention,
        e.step_code,
        e.cancel_reason,
        e.cancelled_at,
        e.created_at,
        e.updated_at,
      ];
    });
    await insertRows(manager, 'calendar_entries', ENTRY_COLUMNS, created, 'ON CONFLICT (uid) DO NOTHING');
    const changed = [...this.changed].map((uid) => {
      const e = this.entryOf(uid);
      return [e.uid, e.sequence, time(e.starts_ms), time(e.ends_ms), e.room_id, e.status, e.cancel_reason, e.cancelled_at, e.updated_at];
    });
    await updateRows(manager, 'calendar_entries', { uid: 'text' }, CHANGED_COLUMNS, changed);
    const changes = [...this.attendees.values()];
    await deleteRows(
      manager,
      'calendar_attendees',
      ATTENDEE_KEY,
      changes.filter((c) => !c.present).map((c) => [c.uid, c.kind, c.id]),
    );
    await insertRows(
      manager,
      'calendar_attendees',
      ATTENDEE_COLUMNS,
      changes.flatMap((c) => (c.present ? [[c.uid, c.kind, c.id, c.role]] : [])),
      upsertClause(['uid', 'attendee_kind', 'attendee_id'], ATTENDEE_COLUMNS),
    );
  }
}
