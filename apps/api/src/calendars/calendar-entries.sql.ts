import type { EntityManager } from 'typeorm';

/** Writes to `calendar_entries` / `calendar_attendees` shared by the calendar projection's stream handlers. */

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

export async function insertEntry(manager: EntityManager, e: NewEntry): Promise<void> {
  await manager.query(
    `INSERT INTO calendar_entries (uid, clinic_id, kind, status, sequence, title, starts_at, ends_at, time_zone, room_id, team_id, session_key,
       session_number, programme_code, course_id, appointment_id, intervention, step_code, created_at, updated_at)
     VALUES ($1, $2, $3, 'confirmed', 0, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
     ON CONFLICT (uid) DO NOTHING`,
    [
      e.uid,
      e.clinicId,
      e.kind,
      e.title,
      e.startsAt,
      e.endsAt,
      e.timeZone,
      e.roomId,
      e.teamId ?? null,
      e.sessionKey ?? null,
      e.sessionNumber ?? null,
      e.programmeCode ?? null,
      e.courseId ?? null,
      e.appointmentId ?? null,
      e.intervention ?? null,
      e.stepCode ?? null,
      e.at,
    ],
  );
}

export interface EntryChange {
  readonly startsAt?: string;
  /** `null` clears it */
  readonly endsAt?: string | null;
  readonly roomId?: string | null;
  readonly status?: 'confirmed' | 'cancelled';
  /** with status cancelled */
  readonly cancelled?: { readonly reason: string; readonly at: string };
}

interface CurrentEntry {
  starts_ms: number;
  ends_ms: number | null;
  room_id: string | null;
  status: 'confirmed' | 'cancelled';
}

/**
 * Changes an entry's time, place or status. SEQUENCE (RFC 5545 §3.8.7.4) grows by one when any of them
 * really changes; the same values again change nothing. Returns false when there is no such entry.
 */
export async function changeEntry(manager: EntityManager, uid: string, change: EntryChange, at: Date): Promise<boolean> {
  const rows = (await manager.query(
    `SELECT (extract(epoch FROM starts_at) * 1000)::float8 AS starts_ms, (extract(epoch FROM ends_at) * 1000)::float8 AS ends_ms, room_id, status
     FROM calendar_entries WHERE uid = $1`,
    [uid],
  )) as CurrentEntry[];
  const current = rows[0];
  if (!current) return false;
  const startsMs = change.startsAt !== undefined ? Date.parse(change.startsAt) : current.starts_ms;
  const endsMs = change.endsAt !== undefined ? (change.endsAt === null ? null : Date.parse(change.endsAt)) : current.ends_ms;
  const roomId = change.roomId !== undefined ? change.roomId : current.room_id;
  const status = change.status ?? current.status;
  const significant = startsMs !== Number(current.starts_ms) || endsMs !== (current.ends_ms === null ? null : Number(current.ends_ms)) || roomId !== current.room_id || status !== current.status;
  if (!significant) return true;
  await manager.query(
    `UPDATE calendar_entries SET sequence = sequence + 1, starts_at = $2, ends_at = $3, room_id = $4, status = $5,
       cancel_reason = $6, cancelled_at = $7, updated_at = $8
     WHERE uid = $1`,
    [
      uid,
      new Date(startsMs),
      endsMs === null ? null : new Date(endsMs),
      roomId,
      status,
      status === 'cancelled' ? (change.cancelled?.reason ?? null) : null,
      status === 'cancelled' ? (change.cancelled?.at ?? null) : null,
      at,
    ],
  );
  return true;
}

export type AttendeeKind = 'clinician' | 'course';

export async function addAttendees(manager: EntityManager, uid: string, kind: AttendeeKind, ids: readonly string[], role: string | null = null): Promise<void> {
  if (ids.length === 0) return;
  await manager.query(
    `INSERT INTO calendar_attendees (uid, attendee_kind, attendee_id, role) SELECT $1, $2, id, $4 FROM unnest($3::text[]) AS id
     ON CONFLICT (uid, attendee_kind, attendee_id) DO UPDATE SET role = EXCLUDED.role`,
    [uid, kind, ids, role],
  );
}

/** a team's sessions not yet over at `at` gain an attendee (a therapist assigned, a seat reserved) */
export async function joinTeamSessions(manager: EntityManager, teamId: string, kind: AttendeeKind, id: string, role: string | null, at: string): Promise<void> {
  await manager.query(
    `INSERT INTO calendar_attendees (uid, attendee_kind, attendee_id, role)
     SELECT uid, $2, $3, $4 FROM calendar_entries WHERE team_id = $1 AND kind = 'team-session' AND COALESCE(ends_at, starts_at) > $5
     ON CONFLICT (uid, attendee_kind, attendee_id) DO UPDATE SET role = EXCLUDED.role`,
    [teamId, kind, id, role, at],
  );
}

/** a team's sessions not yet over at `at` lose an attendee; sessions already held keep who was there */
export async function leaveTeamSessions(manager: EntityManager, teamId: string, kind: AttendeeKind, id: string, at: string): Promise<void> {
  await manager.query(
    `DELETE FROM calendar_attendees a USING calendar_entries e
     WHERE a.uid = e.uid AND e.team_id = $1 AND e.kind = 'team-session' AND a.attendee_kind = $2 AND a.attendee_id = $3
       AND COALESCE(e.ends_at, e.starts_at) > $4`,
    [teamId, kind, id, at],
  );
}
