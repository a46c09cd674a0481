import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { Inject, Injectable } from '@nestjs/common';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { PathwayLookup } from '../roster/pathway-lookup.js';
import type { FeedCalendar } from './calendar-feeds.dto.js';

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
  created_at: Date;
  updated_at: Date;
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
 * - no patient identity: SUMMARY is the programme session or the kind of appointment, LOCATION the room's
 *   name; no course ids, no attendees, no free-text reasons.
 */
@Injectable()
export class IcsFeedService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PathwayLookup) private readonly pathways: PathwayLookup,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
  ) {}

  async render(clinicId: string, calendar: FeedCalendar, id: string, range: { from?: string; to?: string }): Promise<string> {
    const now = Date.now();
    const fromMs = range.from ? Date.parse(range.from) : now - FEED_PAST_DAYS * DAY_MS;
    const toMs = range.to ? Date.parse(range.to) : Math.max(now, fromMs) + FEED_FUTURE_DAYS * DAY_MS;
    const rows = (await this.dataSource.query(
      `SELECT e.uid, e.kind, e.status, e.sequence, e.title, e.intervention, e.starts_at, e.ends_at, e.time_zone, e.created_at, e.updated_at, r.name AS room_name
       FROM calendar_entries e LEFT JOIN rooms r ON r.room_id = e.room_id AND r.clinic_id = e.clinic_id
       WHERE e.clinic_id = $1 AND ${TARGET[calendar]} AND e.kind <> 'course-step'
         AND e.starts_at < $4 AND COALESCE(e.ends_at, e.starts_at) >= $3
       ORDER BY e.starts_at, e.uid`,
      [clinicId, id, new Date(fromMs), new Date(toMs)],
    )) as FeedRow[];
    const clinicZone = await this.pathways.timeZone(clinicId);
    const names = await this.interventionNames(clinicId);

    const cal = ical({
      prodId: { company: 'group-course-scheduler', product: `${clinicId} calendars`, language: 'EN' },
      name: `${calendar === 'clinician' ? 'Clinician' : calendar === 'room' ? 'Room' : 'Team'} ${id}`,
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
        sequence: Number(row.sequence),
        stamp: row.updated_at,
        created: row.created_at,
        lastModified: row.updated_at,
        timezone: zone,
        start: local(row.starts_at),
        ...(row.ends_at ? { end: local(row.ends_at) } : {}),
        summary: row.kind === 'appointment' ? (row.intervention ? (names.get(row.intervention) ?? row.intervention) : 'Appointment') : row.title,
        ...(row.room_name ? { location: row.room_name } : {}),
        status: row.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      });
    }
    return cal.toString();
  }

  /** the catalogue's English names of the kinds of appointment (KORT_PRIMAERSAMTALE → "Short first consultation") */
  private async interventionNames(clinicId: string): Promise<Map<string, string>> {
    try {
      const catalogue = await this.catalogues.current(clinicId);
      return new Map(catalogue.interventions.map((i) => [i.code, i.name.en]));
    } catch {
      return new Map();
    }
  }
}
