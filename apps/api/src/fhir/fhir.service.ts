import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { formatInZone, type TeamState } from '#app/domain';
import type { Actor } from '../auth/actor.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { PathwayLookup } from '../roster/pathway-lookup.js';
import { fromJson } from '../roster/course-stream.js';
import { fhirId, IDENTIFIER_SYSTEM, referenceTo, type Reference } from './fhir-ids.js';
import { actorFilters, dateBounds, paging, single, tokens, invalid, type Query } from './fhir-search.js';
import { APPOINTMENT_STATUSES, SLOT_STATUSES, type Bundle, type FhirResource } from './fhir.types.js';

interface EntryRow {
  uid: string;
  kind: 'team-session' | 'appointment';
  status: 'confirmed' | 'cancelled';
  sequence: number;
  title: string;
  starts_at: Date;
  ends_at: Date | null;
  room_id: string | null;
  programme_code: string | null;
  intervention: string | null;
  created_at: Date;
  updated_at: Date;
  clinician_ids: string[];
  course_ids: string[];
}

interface TeamRow {
  team_id: string;
  status: string;
  capacity: number;
  seats_free: number;
  state: unknown;
  updated_at: Date;
  stream_revision: string;
}

export interface SearchResult {
  readonly bundle: Bundle;
  /** the pseudonymous patients the answer names (for the access log) */
  readonly patientIds: readonly string[];
  readonly courseIds: readonly string[];
}

const MINUTE = 60_000;

/**
 * FHIR R4 views of the read models: Appointment (calendar_entries: team sessions and appointments; the
 * patients are the courses' pseudonymous patient ids from roster_courses), Schedule (one per team) and
 * Slot (one per team session; `free` while the team has a free seat and takes bookings) from team_boards.
 */
@Injectable()
export class FhirService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PathwayLookup) private readonly pathways: PathwayLookup,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
  ) {}

  async appointments(actor: Actor, query: Query, base: string): Promise<SearchResult> {
    const zone = await this.pathways.timeZone(actor.clinicId);
    const { count, offset } = paging(query);
    const where: string[] = [`e.clinic_id = $1`, `e.kind IN ('team-session', 'appointment')`];
    const params: unknown[] = [actor.clinicId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    for (const f of actorFilters(query, ['Practitioner', 'Location', 'Patient'])) {
      const ids = param(f.ids);
      if (f.type === 'Location') where.push(`e.room_id = ANY(${ids})`);
      else if (f.type === 'Practitioner') where.push(`e.uid IN (SELECT uid FROM calendar_attendees WHERE attendee_kind = 'clinician' AND attendee_id = ANY(${ids}))`);
      else
        where.push(
          `e.uid IN (SELECT a.uid FROM calendar_attendees a JOIN roster_courses c ON c.course_id = a.attendee_id
                     WHERE a.attendee_kind = 'course' AND c.clinic_id = $1 AND c.patient_id = ANY(${ids}))`,
        );
    }
    const dates = dateBounds(query, 'date', zone);
    if (dates.from !== undefined) where.push(`e.starts_at >= ${param(new Date(dates.from))}`);
    if (dates.to !== undefined) where.push(`e.starts_at < ${param(new Date(dates.to))}`);
    for (const codes of tokens(query, 'status', APPOINTMENT_STATUSES)) {
      const ours = codes.flatMap((c) => (c === 'booked' ? ['confirmed'] : c === 'cancelled' ? ['cancelled'] : []));
      where.push(`e.status = ANY(${param(ours)})`);
    }
    const filter = where.join(' AND ');
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM calendar_entries e WHERE ${filter}`, params)) as Array<{ total: number }>;
    const rows = (await this.dataSource.query(
      `SELECT e.uid, e.kind, e.status, e.sequence, e.title, e.starts_at, e.ends_at, e.room_id, e.programme_code, e.intervention, e.created_at, e.updated_at,
         COALESCE(array_agg(a.attendee_id ORDER BY a.attendee_id) FILTER (WHERE a.attendee_kind = 'clinician'), '{}') AS clinician_ids,
         COALESCE(array_agg(a.attendee_id ORDER BY a.attendee_id) FILTER (WHERE a.attendee_kind = 'course'), '{}') AS course_ids
       FROM calendar_entries e LEFT JOIN calendar_attendees a ON a.uid = e.uid
       WHERE ${filter}
       GROUP BY e.uid ORDER BY e.starts_at, e.uid LIMIT ${param(count)} OFFSET ${param(offset)}`,
      params,
    )) as EntryRow[];
    const courseIds = [...new Set(rows.flatMap((r) => r.course_ids))];
    const patients = new Map(
      courseIds.length === 0
        ? []
        : ((await this.dataSource.query(`SELECT course_id, patient_id FROM roster_courses WHERE clinic_id = $1 AND course_id = ANY($2)`, [actor.clinicId, courseIds])) as Array<{
            course_id: string;
            patient_id: string;
          }>).map((r) => [r.course_id, r.patient_id] as const),
    );
    const names = await this.names(actor.clinicId);
    const resources = rows.map((row) => appointment(row, zone, patients, names));
    return {
      bundle: searchset(base, 'Appointment', query, resources, total, count, offset),
      patientIds: [...new Set(rows.flatMap((r) => r.course_ids.map((c) => patients.get(c)).filter((p): p is string => p !== undefined)))],
      courseIds,
    };
  }

  async schedules(actor: Actor, query: Query, base: string): Promise<Bundle> {
    const zone = await this.pathways.timeZone(actor.clinicId);
    const { count, offset } = paging(query);
    const filters = actorFilters(query, ['Practitioner', 'Location']);
    const dates = dateBounds(query, 'date', zone);
    const active = single(query, 'active');
    if (active !== undefined && active !== 'true' && active !== 'false') throw invalid('active', 'active must be true or false');
    const names = await this.names(actor.clinicId);
    const matching = (await this.teams(actor.clinicId))
      .map((row) => ({ row, team: fromJson<TeamState>(row.state) }))
      .filter((t): t is { row: TeamRow; team: Extract<TeamState, { status: 'planned' }> } => t.team.status === 'planned')
      .filter(({ row, team }) => {
        const open = team.sessions.filter((s) => s.cancelled === null);
        const shown = open.length > 0 ? open : team.sessions;
        const first = Date.parse(shown[0]!.startsAt);
        const last = Date.parse(shown[shown.length - 1]!.endsAt);
        if (dates.from !== undefined && last < dates.from) return false;
        if (dates.to !== undefined && first >= dates.to) return false;
        if (active !== undefined && isActive(row) !== (active === 'true')) return false;
        return filters.every((f) =>
          f.type === 'Location'
            ? team.sessions.some((s) => f.ids.includes(s.room.roomId))
            : team.therapists.some((th) => f.ids.includes(th.clinicianId)),
        );
      })
      .sort((a, b) => Date.parse(a.team.sessions[0]!.startsAt) - Date.parse(b.team.sessions[0]!.startsAt) || a.row.team_id.localeCompare(b.row.team_id));
    const page = matching.slice(offset, offset + count).map(({ row, team }) => schedule(row, team, zone, names));
    return searchset(base, 'Schedule', query, page, matching.length, count, offset);
  }

  async slots(actor: Actor, query: Query, base: string): Promise<Bundle> {
    const zone = await this.pathways.timeZone(actor.clinicId);
    const { count, offset } = paging(query);
    const scheduleIds = single(query, 'schedule')
      ?.split(',')
      .map((s) => (s.startsWith('Schedule/') ? s.slice('Schedule/'.length) : s));
    if (scheduleIds?.some((s) => !/^[A-Za-z0-9\-.]{1,64}$/.test(s))) throw invalid('schedule', 'schedule must be Schedule/<id>');
    const starts = [dateBounds(query, 'start', zone), dateBounds(query, 'date', zone)];
    const statuses = tokens(query, 'status', SLOT_STATUSES);
    const names = await this.names(actor.clinicId);
    const all: Array<{ at: number; resource: FhirResource }> = [];
    for (const row of await this.teams(actor.clinicId)) {
      const team = fromJson<TeamState>(row.state);
      if (team.status !== 'planned') continue;
      if (scheduleIds && !scheduleIds.includes(fhirId(row.team_id))) continue;
      for (const session of team.sessions) {
        const at = Date.parse(session.startsAt);
        if (starts.some((b) => (b.from !== undefined && at < b.from) || (b.to !== undefined && at >= b.to))) continue;
        const resource = slot(row, team, session, zone, names);
        if (statuses.some((codes) => !codes.includes(resource.status as string))) continue;
        all.push({ at, resource });
      }
    }
    all.sort((a, b) => a.at - b.at || String(a.resource.id).localeCompare(String(b.resource.id)));
    return searchset(base, 'Slot', query, all.slice(offset, offset + count).map((s) => s.resource), all.length, count, offset);
  }

  private teams(clinicId: string): Promise<TeamRow[]> {
    return this.dataSource.query(
      `SELECT team_id, status, capacity, seats_free, state, updated_at, stream_revision::text AS stream_revision FROM team_boards WHERE clinic_id = $1`,
      [clinicId],
    ) as Promise<TeamRow[]>;
  }

  /** the catalogue's English names of programmes and interventions */
  private async names(clinicId: string): Promise<Map<string, string>> {
    try {
      const catalogue = await this.catalogues.current(clinicId);
      return new Map([...catalogue.programmes.map((p) => [p.code, p.name.en] as const), ...catalogue.interventions.map((i) => [i.code, i.name.en] as const)]);
    } catch {
      return new Map();
    }
  }
}

const isActive = (row: TeamRow) => row.status === 'planned' || row.status === 'closed';

function searchset(base: string, type: string, query: Query, resources: FhirResource[], total: number, count: number, offset: number): Bundle {
  const self = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) if (typeof one === 'string') self.append(k, one);
  const page = (o: number) => {
    const p = new URLSearchParams(self);
    p.set('_count', String(count));
    p.set('_offset', String(o));
    return `${base}/${type}?${p.toString()}`;
  };
  const selfQuery = self.toString();
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: new Date().toISOString(),
    total,
    link: [
      { relation: 'self', url: `${base}/${type}${selfQuery ? `?${selfQuery}` : ''}` },
      ...(offset + count < total && count > 0 ? [{ relation: 'next', url: page(offset + count) }] : []),
      ...(offset > 0 ? [{ relation: 'previous', url: page(Math.max(0, offset - count)) }] : []),
    ],
    entry: resources.map((resource) => ({ fullUrl: `${base}/${type}/${resource.id}`, resource, search: { mode: 'match' as const } })),
  };
}

function appointment(row: EntryRow, zone: string, patients: ReadonlyMap<string, string>, names: ReadonlyMap<string, string>): FhirResource {
  const at = (d: Date) => formatInZone(d.getTime(), zone);
  const code = row.kind === 'team-session' ? row.programme_code : row.intervention;
  const service = code ? { coding: [{ system: row.kind === 'team-session' ? IDENTIFIER_SYSTEM.programme : IDENTIFIER_SYSTEM.intervention, code, ...(names.has(code) ? { display: names.get(code) } : {}) }], text: names.get(code) ?? code } : undefined;
  const participants: Array<{ actor: Reference; required: string; status: string }> = [];
  if (row.room_id) participants.push({ actor: referenceTo('Location', row.room_id, IDENTIFIER_SYSTEM.roomId), required: 'required', status: 'accepted' });
  for (const id of row.clinician_ids) participants.push({ actor: referenceTo('Practitioner', id, IDENTIFIER_SYSTEM.staffId), required: 'required', status: 'accepted' });
  for (const courseId of row.course_ids) {
    const patientId = patients.get(courseId);
    if (patientId) participants.push({ actor: referenceTo('Patient', patientId, 'urn:group-course-scheduler:patient-id'), required: 'required', status: 'accepted' });
  }
  if (participants.length === 0) participants.push({ actor: { display: 'not yet assigned' }, required: 'information-only', status: 'needs-action' });
  return {
    resourceType: 'Appointment',
    id: fhirId(row.uid),
    meta: { versionId: String(row.sequence), lastUpdated: row.updated_at.toISOString() },
    identifier: [{ system: IDENTIFIER_SYSTEM.calendarUid, value: row.uid }],
    status: row.status === 'cancelled' ? 'cancelled' : 'booked',
    ...(service ? { serviceType: [service] } : {}),
    appointmentType: { text: row.kind === 'team-session' ? 'group session' : 'individual appointment' },
    description: row.kind === 'team-session' ? row.title : (service?.text ?? 'Appointment'),
    start: at(row.starts_at),
    ...(row.ends_at ? { end: at(row.ends_at), minutesDuration: Math.max(1, Math.round((row.ends_at.getTime() - row.starts_at.getTime()) / MINUTE)) } : {}),
    created: at(row.created_at),
    participant: participants,
  };
}

type PlannedTeam = Extract<TeamState, { status: 'planned' }>;

function schedule(row: TeamRow, team: PlannedTeam, zone: string, names: ReadonlyMap<string, string>): FhirResource {
  const open = team.sessions.filter((s) => s.cancelled === null);
  const shown = open.length > 0 ? open : team.sessions;
  const rooms = [...new Set(team.sessions.map((s) => s.room.roomId))];
  const name = names.get(team.programme.code) ?? team.programme.name.en;
  return {
    resourceType: 'Schedule',
    id: fhirId(row.team_id),
    meta: { versionId: row.stream_revision, lastUpdated: new Date(row.updated_at).toISOString() },
    identifier: [{ system: IDENTIFIER_SYSTEM.teamId, value: row.team_id }],
    active: isActive(row),
    serviceType: [{ coding: [{ system: IDENTIFIER_SYSTEM.programme, code: team.programme.code, display: name }], text: name }],
    actor: [
      ...rooms.map((id) => referenceTo('Location', id, IDENTIFIER_SYSTEM.roomId)),
      ...[...new Set(team.therapists.map((t) => t.clinicianId))].map((id) => referenceTo('Practitioner', id, IDENTIFIER_SYSTEM.staffId)),
    ],
    planningHorizon: { start: formatInZone(Date.parse(shown[0]!.startsAt), zone), end: formatInZone(Date.parse(shown[shown.length - 1]!.endsAt), zone) },
    comment: `${name} team (${row.status}): ${row.seats_free} of ${row.capacity} seats free; a booking takes a seat for all ${team.sessions.length} sessions.`,
  };
}

function slot(row: TeamRow, team: PlannedTeam, session: PlannedTeam['sessions'][number], zone: string, names: ReadonlyMap<string, string>): FhirResource {
  const name = names.get(team.programme.code) ?? team.programme.name.en;
  const status = session.cancelled !== null || row.status === 'cancelled' ? 'busy-unavailable' : row.status === 'planned' && Number(row.seats_free) > 0 ? 'free' : 'busy';
  const number = team.sessions.indexOf(session) + 1;
  return {
    resourceType: 'Slot',
    id: fhirId(`${row.team_id}.${session.key}`),
    identifier: [{ system: IDENTIFIER_SYSTEM.calendarUid, value: `session:${row.team_id}:${session.key}` }],
    serviceType: [{ coding: [{ system: IDENTIFIER_SYSTEM.programme, code: team.programme.code, display: name }], text: name }],
    schedule: { reference: `Schedule/${fhirId(row.team_id)}` },
    status,
    start: formatInZone(Date.parse(session.startsAt), zone),
    end: formatInZone(Date.parse(session.endsAt), zone),
    overbooked: false,
    comment: `${name}, session ${number} of ${team.sessions.length}${session.kind === 'retreat' ? ' (retreat day)' : ''}: ${row.seats_free} of ${row.capacity} seats free.`,
  };
}
