import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { Inject, Injectable } from '@nestjs/common';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { clinicianDecider, clinicianStreamId } from '#app/domain';
import { CatalogueService } from '../../../platform/catalogue/catalogue.service.js';
import { Clock } from '../../../platform/clock/clock.js';
import { DeciderStore } from '../../../platform/write-path/decider-store.js';
import { PathwayLookup } from '../../roster/index.js';
import type { FeedCalendar } from './calendar-feeds.request.js';

const DAY_MS = 86_400_000;
/** a feed shows the last 90 days and the next 400 unless `from`/`to` say otherwise */
export const FEED_PAST_DAYS = 90;
export const FEED_FUTURE_DAYS = 400;
export const FEED_MAX_DAYS = 800;

interface FeedRow {
  uid: string;
  kind: 'team-session' | 'appointment' | 'course-step';
  status: 'confirmed' | 'cancelled';
  sequence: number;
  title: string;
  intervention: string | null;
  starts_at: Date;
  ends_at: Date | null;
  time_zone: string | null;
  room_name: string | null;
  team_id: string | null;
  session_key: string | null;
  session_number: number | null;
  programme_code: string | null;
  created_at: Date;
  updated_at: Date;
}

type Language = 'da' | 'en';

/** the few words of a feed that are not catalogue names */
const WORDS: Record<
  Language,
  { team: string; session: string; retreat: string; appointment: string; room: string; clinician: string; calendars: string }
> = {
  da: {
    team: 'hold',
    session: 'session',
    retreat: 'stilledag',
    appointment: 'Aftale',
    room: 'Lokale',
    clinician: 'Kalender for',
    calendars: 'kalendere',
  },
  en: {
    team: 'team',
    session: 'session',
    retreat: 'silent retreat day',
    appointment: 'Appointment',
    room: 'Room',
    clinician: 'Calendar of',
    calendars: 'calendars',
  },
};

/** a rendered feed: its text, and since when exactly this text is served (HTTP Last-Modified) */
export interface RenderedFeed {
  readonly text: string;
  readonly lastModified: Date;
}

/** which entries a feed holds (calendar_entries, apps/api/src/calendars): never a course's own steps */
const TARGET: Record<FeedCalendar, string> = {
  clinician: `e.uid IN (SELECT uid FROM calendar_attendees WHERE attendee_kind = 'clinician' AND attendee_id = $2)`,
  room: `e.room_id = $2`,
  team: `e.team_id = $2 AND e.kind = 'team-session'`,
};

/**
 * RFC 5545 feeds rendered by ical-generator from the calendars.v1 read model:
 * - one VEVENT per session or appointment (irregular series such as MBSR's retreat day or tapering every
 *   14 days are simply their sessions: no RRULE), UID = the read model's stable uid, SEQUENCE = its
 *   `sequence` (grows on every change of time, place or status), cancelled items kept as STATUS:CANCELLED;
 * - local times with TZID=<the clinic's zone> (Europe/Copenhagen) and the matching VTIMEZONE from
 *   @touch4it/ical-timezones; DTSTAMP, CREATED and LAST-MODIFIED in UTC. Luxon DateTimes are handed to
 *   ical-generator because it formats native Dates in the server process's own zone;
 * - names in the clinic's language (catalogue `settings.language`, default Danish): SUMMARY "Forstå smerte – hold 3,
 *   session 1" or the kind of appointment ("Kort primærsamtale"), X-WR-CALNAME the room's or team's name or the
 *   clinician's display name, LOCATION the room's name;
 * - no patient identity: no course ids, no attendees, no free-text reasons.
 */
@Injectable()
export class IcsFeedService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PathwayLookup) private readonly pathways: PathwayLookup,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * The feed, and its Last-Modified: the SHA-256 of every body served is kept per feed and range
   * (calendar_feed_versions); a different body than last time is "modified now". That covers every way a
   * feed changes (an entry moved out of a room, a therapist removed, a renamed room, entries leaving the
   * default window as days pass) without deriving it from timestamps that do not see all of them.
   */
  async renderWithVersion(
    clinicId: string,
    calendar: FeedCalendar,
    id: string,
    range: { from?: string; to?: string },
  ): Promise<RenderedFeed> {
    const text = await this.render(clinicId, calendar, id, range);
    const sha = createHash('sha256').update(text).digest('hex');
    const rangeKey = `${range.from ?? ''}|${range.to ?? ''}`;
    const rows = await this.dataSource.query<Array<{ last_modified: Date }>>(
      `INSERT INTO calendar_feed_versions (clinic_id, calendar, target_id, range_key, body_sha256, last_modified, last_served)
       VALUES ($1, $2, $3, $4, $5, date_trunc('second', $6::timestamptz), $6)
       ON CONFLICT (clinic_id, calendar, target_id, range_key) DO UPDATE SET
         last_served = $6,
         body_sha256 = EXCLUDED.body_sha256,
         last_modified = CASE WHEN calendar_feed_versions.body_sha256 = EXCLUDED.body_sha256 THEN calendar_feed_versions.last_modified
                              ELSE date_trunc('second', $6::timestamptz) END
       RETURNING last_modified`,
      [clinicId, calendar, id, rangeKey.slice(0, 200), sha, this.clock.now()],
    );
    await this.purgeOldVersions();
    // whole seconds, never later than now, the same for every request that gets this body (two bodies served within
    // one second share it; ETag tells them apart)
    return { text, lastModified: new Date(rows[0].last_modified) };
  }

  private lastPurge = 0;

  /** rows of feeds nobody asked for in 90 days (at most once an hour per process) */
  private async purgeOldVersions(): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - this.lastPurge < 3_600_000) return;
    this.lastPurge = now.getTime();
    await this.dataSource.query(`DELETE FROM calendar_feed_versions WHERE last_served < $1::timestamptz - interval '90 days'`, [now]);
  }

  async render(clinicId: string, calendar: FeedCalendar, id: string, range: { from?: string; to?: string }): Promise<string> {
    const now = this.clock.now().getTime();
    const fromMs = range.from ? Date.parse(range.from) : now - FEED_PAST_DAYS * DAY_MS;
    const toMs = range.to ? Date.parse(range.to) : Math.max(now, fromMs) + FEED_FUTURE_DAYS * DAY_MS;
    const rows = await this.dataSource.query<FeedRow[]>(
      `SELECT e.uid, e.kind, e.status, e.sequence, e.title, e.intervention, e.starts_at, e.ends_at, e.time_zone, e.created_at, e.updated_at, r.name AS room_name,
              e.team_id, e.session_key, e.session_number, e.programme_code
       FROM calendar_entries e LEFT JOIN rooms r ON r.room_id = e.room_id AND r.clinic_id = e.clinic_id
       WHERE e.clinic_id = $1 AND ${TARGET[calendar]} AND e.kind <> 'course-step'
         AND e.starts_at < $4 AND COALESCE(e.ends_at, e.starts_at) >= $3
       ORDER BY e.starts_at, e.uid`,
      [clinicId, id, new Date(fromMs), new Date(toMs)],
    );
    const clinicZone = await this.pathways.timeZone(clinicId);
    const catalogue = await this.catalogues.current(clinicId).catch(() => undefined);
    const language: Language = catalogue?.settings.language ?? 'da';
    const words = WORDS[language];
    const teamIds = [...new Set(rows.map((r) => r.team_id).filter((t): t is string => t !== null))];
    if (calendar === 'team' && !teamIds.includes(id)) teamIds.push(id);
    const teams = await this.teamNumbers(clinicId, teamIds);
    const programmeName = (code: string | null | undefined): string | undefined => {
      const p = code ? catalogue?.programmes.find((x) => x.code === code) : undefined;
      return p ? p.name[language] : undefined;
    };
    const teamName = (teamId: string | null): string | undefined => {
      const team = teamId ? teams.get(teamId) : undefined;
      const name = programmeName(team?.programme);
      return team && name ? `${name} – ${words.team} ${team.number}` : undefined;
    };
    const sessionTitle = (row: FeedRow): string => {
      const team = teamName(row.team_id);
      if (!team) return row.title;
      const template = catalogue?.programmes
        .find((p) => p.code === row.programme_code)
        ?.sessionPlan.sessions.find((x) => x.key === row.session_key);
      if (template?.kind === 'retreat') return `${team}, ${words.retreat}`;
      return row.session_number !== null ? `${team}, ${words.session} ${row.session_number}` : team;
    };
    const appointmentTitle = (row: FeedRow): string => {
      const intervention = row.intervention ? catalogue?.interventions.find((i) => i.code === row.intervention) : undefined;
      return intervention ? intervention.name[language] : (row.intervention ?? words.appointment);
    };

    const cal = ical({
      prodId: { company: 'group-course-scheduler', product: `${clinicId} ${words.calendars}`, language: language.toUpperCase() },
      name: await this.calendarName(clinicId, calendar, id, words, teamName),
      method: ICalCalendarMethod.PUBLISH,
      // name null: the zone is set per event (DTSTART;TZID=…); a calendar-wide zone would make ical-generator
      // write DTSTAMP without its Z. The generator adds one VTIMEZONE per zone the events use.
      timezone: { name: null, generator: getVtimezoneComponent },
      ttl: 15 * 60,
    });
    for (const row of rows) {
      const zone = row.time_zone ?? clinicZone;
      const local = (d: Date) => DateTime.fromJSDate(d).setZone(zone);
      cal.createEvent({
        id: `${row.uid}@${clinicId}`,
        sequence: row.sequence,
        stamp: row.updated_at,
        created: row.created_at,
        lastModified: row.updated_at,
        timezone: zone,
        start: local(row.starts_at),
        ...(row.ends_at ? { end: local(row.ends_at) } : {}),
        summary: row.kind === 'appointment' ? appointmentTitle(row) : sessionTitle(row),
        ...(row.room_name ? { location: row.room_name } : {}),
        status: row.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      });
    }
    return cal.toString();
  }

  /**
   * X-WR-CALNAME: the room's name, the team as "<programme> – hold <n>", the clinician's display name when the
   * clinic registered one (else their staff id). Never a patient.
   */
  private async calendarName(
    clinicId: string,
    calendar: FeedCalendar,
    id: string,
    words: (typeof WORDS)[Language],
    teamName: (teamId: string) => string | undefined,
  ): Promise<string> {
    if (calendar === 'room') {
      const rooms = await this.dataSource.query<Array<{ name: string }>>(`SELECT name FROM rooms WHERE room_id = $1 AND clinic_id = $2`, [
        id,
        clinicId,
      ]);
      const room = rooms.at(0);
      return room?.name ?? `${words.room} ${id}`;
    }
    if (calendar === 'team') return teamName(id) ?? `${words.team} ${id}`;
    const name = await this.clinicianName(clinicId, id);
    return `${words.clinician} ${name ?? id}`;
  }

  /** the display name from the clinician's registration (their stream, through the store port), if it gave one */
  private async clinicianName(clinicId: string, clinicianId: string): Promise<string | undefined> {
    try {
      const loaded = await this.store.load(clinicianDecider, clinicianStreamId(clinicianId));
      const registered = loaded.events.at(0);
      if (!registered || (registered.metadata as { clinicId?: string }).clinicId !== clinicId) return undefined;
      return loaded.state.displayName;
    } catch {
      return undefined;
    }
  }

  /**
   * "hold 3": a team's number among the clinic's teams of its programme, in the order they were planned
   * (the time its sessions entered the calendar read model, then team id). Numbers never change: teams are
   * never deleted (a cancelled team keeps its number).
   */
  private async teamNumbers(clinicId: string, teamIds: readonly string[]): Promise<Map<string, { programme: string; number: number }>> {
    if (teamIds.length === 0) return new Map();
    const rows = await this.dataSource.query<Array<{ team_id: string; programme_code: string; number: number }>>(
      `WITH mine AS (SELECT DISTINCT programme_code FROM calendar_entries WHERE clinic_id = $1 AND kind = 'team-session' AND team_id = ANY($2))
       SELECT team_id, programme_code, number::int AS number FROM (
         SELECT team_id, programme_code, row_number() OVER (PARTITION BY programme_code ORDER BY planned, team_id) AS number
         FROM (SELECT team_id, programme_code, min(created_at) AS planned FROM calendar_entries
               WHERE clinic_id = $1 AND kind = 'team-session' AND programme_code IN (SELECT programme_code FROM mine)
               GROUP BY team_id, programme_code) t
       ) n WHERE team_id = ANY($2)`,
      [clinicId, teamIds],
    );
    return new Map(rows.map((r) => [r.team_id, { programme: r.programme_code, number: r.number }]));
  }
}
