import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  catalogueStreamId,
  clinicianDecider,
  formatInZone,
  type TeamState,
  roomDecider,
  roomStreamId,
  clinicianStreamId,
} from '#app/domain';
import type { EventStore } from '#app/event-store';
import type { Actor } from '../../platform/auth/actor.js';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';
import { Clock } from '../../platform/clock/clock.js';
import { ApiError } from '../../platform/http/api-error.js';
import { EVENT_STORE } from '../../platform/persistence/tokens.js';
import { PathwayLookup } from '../roster/index.js';
import { TEAM_STATE_SQL } from '../teams/index.js';
import { fromJson } from '../../platform/projections/course-stream.js';
import { DeciderStore } from '../../platform/write-path/decider-store.js';
import { FHIR_ID, fhirId, IDENTIFIER_SYSTEM, referenceTo, type Reference } from './fhir-ids.js';
import {
  actorFilters,
  dateBounds,
  idFilter,
  invalid,
  matchesIds,
  paging,
  single,
  supportedQuery,
  tokens,
  withinBounds,
  type DateBound,
  type Query,
} from './fhir-search.js';
import { APPOINTMENT_STATUSES, SLOT_STATUSES, type Bundle, type BundleEntry, type FhirResource } from './fhir.types.js';

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

export interface ReadResult {
  readonly resource: FhirResource;
  readonly patientIds: readonly string[];
  readonly courseIds: readonly string[];
}

/** the resource types with a search; Patient is read only (by pseudonymous id, nothing else about the patient) */
export const SEARCH_TYPES = [
  'Appointment',
  'Schedule',
  'Slot',
  'Practitioner',
  'PractitionerRole',
  'Location',
  'HealthcareService',
] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];
export const READ_TYPES = [...SEARCH_TYPES, 'Patient'] as const;
export type ReadType = (typeof READ_TYPES)[number];

/** each type's own search parameters (besides _id, _lastUpdated, _count, _offset) and the _include values it serves */
export const SEARCH_SPECS: Record<SearchType, { readonly params: readonly string[]; readonly includes: readonly string[] }> = {
  Appointment: {
    params: ['actor', 'patient', 'practitioner', 'location', 'date', 'status'],
    includes: ['Appointment:actor', 'Appointment:practitioner', 'Appointment:location', 'Appointment:patient'],
  },
  Schedule: { params: ['actor', 'practitioner', 'location', 'date', 'active'], includes: ['Schedule:actor'] },
  Slot: { params: ['schedule', 'start', 'date', 'status'], includes: ['Slot:schedule'] },
  Practitioner: { params: [], includes: [] },
  PractitionerRole: {
    params: ['practitioner', 'location', 'service'],
    includes: ['PractitionerRole:practitioner', 'PractitionerRole:location', 'PractitionerRole:service'],
  },
  Location: { params: [], includes: [] },
  HealthcareService: { params: [], includes: [] },
};

/** which references an _include value follows */
const INCLUDE_PATHS: Partial<Record<string, (r: FhirResource) => Array<Reference | undefined>>> = {
  'Appointment:actor': (r) => (r.participant as Array<{ actor: Reference }>).map((p) => p.actor),
  'Appointment:practitioner': (r) =>
    (r.participant as Array<{ actor: Reference }>).map((p) => p.actor).filter((a) => a.reference?.startsWith('Practitioner/')),
  'Appointment:location': (r) =>
    (r.participant as Array<{ actor: Reference }>).map((p) => p.actor).filter((a) => a.reference?.startsWith('Location/')),
  'Appointment:patient': (r) =>
    (r.participant as Array<{ actor: Reference }>).map((p) => p.actor).filter((a) => a.reference?.startsWith('Patient/')),
  'Schedule:actor': (r) => r.actor as Reference[],
  'Slot:schedule': (r) => [r.schedule as Reference],
  'PractitionerRole:practitioner': (r) => [r.practitioner as Reference | undefined],
  'PractitionerRole:location': (r) => (r.location as Reference[] | undefined) ?? [],
  'PractitionerRole:service': (r) => (r.healthcareService as Reference[] | undefined) ?? [],
};

interface Found {
  /** this page's resources */
  readonly resources: FhirResource[];
  readonly total: number;
  readonly patientIds?: readonly string[];
  readonly courseIds?: readonly string[];
}

const MINUTE = 60_000;

/** the HealthcareService id of a programme: `FORSTAA_SMERTE` → `forstaa-smerte` */
export function serviceId(programmeCode: string): string {
  const id = programmeCode.toLowerCase().replace(/_/g, '-');
  return FHIR_ID.test(id) ? id : fhirId(programmeCode);
}

/** the PractitionerRole id of a therapist's assignment to a team */
export function practitionerRoleId(teamId: string, clinicianId: string): string {
  return fhirId(`${teamId}.${clinicianId}`);
}

/** What one request reads, loaded once (teams, names, zone) */
class Loaded {
  private memo = new Map<string, Promise<unknown>>();
  constructor(
    readonly actor: Actor,
    private readonly service: FhirService,
  ) {}
  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.memo.has(key)) this.memo.set(key, load());
    return this.memo.get(key) as Promise<T>;
  }
  zone = () => this.once('zone', () => this.service.pathways.timeZone(this.actor.clinicId));
  teams = () => this.once('teams', () => this.service.teamRows(this.actor.clinicId));
  catalogue = () => this.once('catalogue', () => this.service.catalogues.current(this.actor.clinicId).catch(() => undefined));
  names = () =>
    this.once('names', async () => {
      const catalogue = await this.catalogue();
      return new Map<string, string>(
        catalogue
          ? [
              ...catalogue.programmes.map((p) => [p.code, p.name.en] as const),
              ...catalogue.interventions.map((i) => [i.code, i.name.en] as const),
            ]
          : [],
      );
    });
}

/**
 * FHIR R4 views of the read models, for the caller's clinic only: Appointment (calendar_entries: team
 * sessions and appointments; the patients are the courses' pseudonymous patient ids from roster_courses),
 * Schedule (one per team) and Slot (one per team session; `free` while the team has a free seat and takes
 * bookings) from team_boards; Practitioner and Location for every clinician and room the clinic registered
 * or its schedules name; PractitionerRole per therapist on a team; HealthcareService per programme of the
 * catalogue; Patient by pseudonymous id only. Every reference in these resources resolves by read.
 */
@Injectable()
export class FhirService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PathwayLookup) readonly pathways: PathwayLookup,
    @Inject(CatalogueService) readonly catalogues: CatalogueService,
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** a type-level search: the Bundle, with the `_include`d resources after the matches */
  async search(type: SearchType, actor: Actor, rawQuery: Query, base: string, strict: boolean): Promise<SearchResult> {
    const spec = SEARCH_SPECS[type];
    const query = supportedQuery(rawQuery, spec.params, spec.includes, strict);
    const { count, offset } = paging(query, strict);
    const ctx = new Loaded(actor, this);
    const found = await this.find(type, ctx, query, count, offset);
    const included = await this.includes(ctx, found.resources, (query._include as string[] | undefined) ?? []);
    const patientIds = new Set([...(found.patientIds ?? []), ...included.patientIds]);
    const courseIds = new Set([...(found.courseIds ?? []), ...included.courseIds]);
    return {
      bundle: searchset(base, type, query, found.resources, included.resources, found.total, count, offset, this.clock.now()),
      patientIds: [...patientIds],
      courseIds: [...courseIds],
    };
  }

  /** GET /fhir/{type}/{id}: the resource, or 404 (also for another clinic's) */
  async read(type: ReadType, actor: Actor, id: string): Promise<ReadResult> {
    const notFound = new ApiError(404, 'NOT_FOUND', `There is no ${type} with id ${id.slice(0, 64)} in your clinic.`, {
      what: type,
      id: id.slice(0, 64),
    });
    if (!FHIR_ID.test(id)) throw notFound;
    const ctx = new Loaded(actor, this);
    const found = type === 'Patient' ? await this.patients(ctx, [id]) : await this.find(type, ctx, { _id: id }, 1, 0);
    const resource = found.resources.at(0);
    if (!resource) throw notFound;
    return { resource, patientIds: found.patientIds ?? [], courseIds: found.courseIds ?? [] };
  }

  private find(type: SearchType, ctx: Loaded, query: Query, count: number, offset: number): Promise<Found> {
    switch (type) {
      case 'Appointment':
        return this.appointments(ctx, query, count, offset);
      case 'Schedule':
        return this.schedules(ctx, query).then(pageOf(count, offset));
      case 'Slot':
        return this.slots(ctx, query).then(pageOf(count, offset));
      case 'Practitioner':
        return this.practitioners(ctx, query).then(pageOf(count, offset));
      case 'PractitionerRole':
        return this.practitionerRoles(ctx, query).then(pageOf(count, offset));
      case 'Location':
        return this.locations(ctx, query).then(pageOf(count, offset));
      case 'HealthcareService':
        return this.services(ctx, query).then(pageOf(count, offset));
    }
  }

  /** the resources an `_include` names, each once, none of those already matched */
  private async includes(
    ctx: Loaded,
    matched: readonly FhirResource[],
    include: readonly string[],
  ): Promise<{ resources: FhirResource[]; patientIds: string[]; courseIds: string[] }> {
    const seen = new Set(matched.map((r) => `${r.resourceType}/${String(r.id)}`));
    const wanted = new Map<string, Set<string>>();
    for (const value of include) {
      for (const resource of matched) {
        for (const ref of INCLUDE_PATHS[value]?.(resource) ?? []) {
          const reference = ref?.reference;
          if (!reference || seen.has(reference)) continue;
          seen.add(reference);
          const [type, id] = reference.split('/') as [string, string];
          const ids = wanted.get(type) ?? new Set<string>();
          ids.add(id);
          wanted.set(type, ids);
        }
      }
    }
    const resources: FhirResource[] = [];
    const patientIds: string[] = [];
    for (const [type, ids] of wanted) {
      if (type === 'Patient') {
        const found = await this.patients(ctx, [...ids]);
        resources.push(...found.resources);
        patientIds.push(...(found.patientIds ?? []));
      } else if ((SEARCH_TYPES as readonly string[]).includes(type)) {
        resources.push(...(await this.find(type as SearchType, ctx, { _id: [...ids].join(',') }, ids.size, 0)).resources);
      }
    }
    return { resources, patientIds, courseIds: [] };
  }

  // ---------------------------------------------------------------- Appointment

  private async appointments(ctx: Loaded, query: Query, count: number, offset: number): Promise<Found> {
    const { actor } = ctx;
    const zone = await ctx.zone();
    const where: string[] = [`e.clinic_id = $1`, `e.kind IN ('team-session', 'appointment')`];
    const params: unknown[] = [actor.clinicId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    // FHIR ids are the uids with ':' → '.' (session.<team>.<key>, appointment.<id>): look the uids up by key
    for (const ids of idFilter(query)) where.push(`e.uid = ANY(${param(ids.flatMap(uidCandidates))})`);
    const updated = dateBounds(query, '_lastUpdated', zone);
    if (updated.from !== undefined) where.push(`e.updated_at >= ${param(new Date(updated.from))}`);
    if (updated.to !== undefined) where.push(`e.updated_at < ${param(new Date(updated.to))}`);
    for (const f of actorFilters(query, ['Practitioner', 'Location', 'Patient'])) {
      const ids = param(f.ids);
      if (f.type === 'Location') where.push(`e.room_id = ANY(${ids})`);
      else if (f.type === 'Practitioner')
        where.push(`e.uid IN (SELECT uid FROM calendar_attendees WHERE attendee_kind = 'clinician' AND attendee_id = ANY(${ids}))`);
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
    const [{ total }] = await this.dataSource.query<Array<{ total: number }>>(
      `SELECT count(*)::int AS total FROM calendar_entries e WHERE ${filter}`,
      params,
    );
    const rows = await this.dataSource.query<EntryRow[]>(
      `SELECT e.uid, e.kind, e.status, e.sequence, e.title, e.starts_at, e.ends_at, e.room_id, e.programme_code, e.intervention, e.created_at, e.updated_at,
         COALESCE(array_agg(a.attendee_id ORDER BY a.attendee_id) FILTER (WHERE a.attendee_kind = 'clinician'), '{}') AS clinician_ids,
         COALESCE(array_agg(a.attendee_id ORDER BY a.attendee_id) FILTER (WHERE a.attendee_kind = 'course'), '{}') AS course_ids
       FROM calendar_entries e LEFT JOIN calendar_attendees a ON a.uid = e.uid
       WHERE ${filter}
       GROUP BY e.uid ORDER BY e.starts_at, e.uid LIMIT ${param(count)} OFFSET ${param(offset)}`,
      params,
    );
    const courseIds = [...new Set(rows.flatMap((r) => r.course_ids))];
    const patients = new Map(
      courseIds.length === 0
        ? []
        : (
            await this.dataSource.query<
              Array<{
                course_id: string;
                patient_id: string;
              }>
            >(`SELECT course_id, patient_id FROM roster_courses WHERE clinic_id = $1 AND course_id = ANY($2)`, [actor.clinicId, courseIds])
          ).map((r) => [r.course_id, r.patient_id] as const),
    );
    const names = await ctx.names();
    return {
      resources: rows.map((row) => appointment(row, zone, patients, names)),
      total,
      patientIds: [...new Set(rows.flatMap((r) => r.course_ids.map((c) => patients.get(c)).filter((p): p is string => p !== undefined)))],
      courseIds,
    };
  }

  // ---------------------------------------------------------------- Schedule, Slot

  private async schedules(ctx: Loaded, query: Query): Promise<FhirResource[]> {
    const zone = await ctx.zone();
    const filters = actorFilters(query, ['Practitioner', 'Location']);
    const dates = dateBounds(query, 'date', zone);
    const active = single(query, 'active');
    if (active !== undefined && active !== 'true' && active !== 'false') throw invalid('active', 'active must be true or false');
    const names = await ctx.names();
    const common = commonFilter(query, zone);
    return (await ctx.teams())
      .map((row) => ({ row, team: fromJson<TeamState>(row.state) }))
      .filter((t): t is { row: TeamRow; team: PlannedTeam } => t.team.status === 'planned')
      .filter(({ row, team }) => {
        const open = team.sessions.filter((s) => s.cancelled === null);
        const shown = open.length > 0 ? open : team.sessions;
        const first = Date.parse(shown[0].startsAt);
        const last = Date.parse(shown[shown.length - 1].endsAt);
        if (dates.from !== undefined && last < dates.from) return false;
        if (dates.to !== undefined && first >= dates.to) return false;
        if (active !== undefined && isActive(row) !== (active === 'true')) return false;
        return filters.every((f) =>
          f.type === 'Location'
            ? team.sessions.some((s) => f.ids.includes(s.room.roomId))
            : team.therapists.some((th) => f.ids.includes(th.clinicianId)),
        );
      })
      .sort(
        (a, b) =>
          Date.parse(a.team.sessions[0].startsAt) - Date.parse(b.team.sessions[0].startsAt) || a.row.team_id.localeCompare(b.row.team_id),
      )
      .map(({ row, team }) => schedule(row, team, zone, names))
      .filter(common);
  }

  private async slots(ctx: Loaded, query: Query): Promise<FhirResource[]> {
    const zone = await ctx.zone();
    const scheduleIds = single(query, 'schedule')
      ?.split(',')
      .map((s) => (s.startsWith('Schedule/') ? s.slice('Schedule/'.length) : s));
    if (scheduleIds?.some((s) => !FHIR_ID.test(s))) throw invalid('schedule', 'schedule must be Schedule/<id>');
    const starts = [dateBounds(query, 'start', zone), dateBounds(query, 'date', zone)];
    const statuses = tokens(query, 'status', SLOT_STATUSES);
    const names = await ctx.names();
    const common = commonFilter(query, zone);
    const all: Array<{ at: number; resource: FhirResource }> = [];
    for (const row of await ctx.teams()) {
      const team = fromJson<TeamState>(row.state);
      if (team.status !== 'planned') continue;
      if (scheduleIds && !scheduleIds.includes(fhirId(row.team_id))) continue;
      for (const session of team.sessions) {
        const at = Date.parse(session.startsAt);
        if (starts.some((b) => (b.from !== undefined && at < b.from) || (b.to !== undefined && at >= b.to))) continue;
        const resource = slot(row, team, session, zone, names);
        if (statuses.some((codes) => !codes.includes(resource.status as string))) continue;
        if (!common(resource)) continue;
        all.push({ at, resource });
      }
    }
    all.sort((a, b) => a.at - b.at || String(a.resource.id).localeCompare(String(b.resource.id)));
    return all.map((s) => s.resource);
  }

  // ---------------------------------------------------------------- Practitioner, PractitionerRole

  /**
   * Every clinician the clinic registered (read by id) or its teams and appointments name (read and
   * search): a staff id, the professions where registered; no other personal data.
   */
  private async practitioners(ctx: Loaded, query: Query): Promise<FhirResource[]> {
    const zone = await ctx.zone();
    const asked = idFilter(query);
    const named = new Map<string, number>();
    const note = (id: string, at: number) => named.set(id, Math.max(named.get(id) ?? 0, at));
    for (const row of await ctx.teams()) {
      const team = fromJson<TeamState>(row.state);
      if (team.status === 'planned') for (const th of team.therapists) note(th.clinicianId, new Date(row.updated_at).getTime());
    }
    const rows = await this.dataSource.query<Array<{ id: string; updated_at: Date }>>(
      `SELECT a.attendee_id AS id, max(e.updated_at) AS updated_at FROM calendar_attendees a JOIN calendar_entries e ON e.uid = a.uid
       WHERE e.clinic_id = $1 AND e.kind IN ('team-session', 'appointment') AND a.attendee_kind = 'clinician' GROUP BY a.attendee_id`,
      [ctx.actor.clinicId],
    );
    for (const r of rows) note(r.id, new Date(r.updated_at).getTime());
    // a registered clinician no schedule names yet is found by id (there is no list of all streams to search)
    for (const ids of asked) for (const id of ids) if (!named.has(id)) named.set(id, 0);
    const catalogue = await ctx.catalogue();
    const resources: FhirResource[] = [];
    for (const [id, referencedAt] of [...named].sort(([a], [b]) => a.localeCompare(b))) {
      if (!FHIR_ID.test(id) || !matchesIds(id, asked.length > 0 ? asked : [[id]])) continue;
      const loaded = /^[A-Za-z0-9._:-]{1,64}$/.test(id) ? await this.store.load(clinicianDecider, clinicianStreamId(id)) : undefined;
      const own =
        loaded && loaded.events.length > 0 && (loaded.events[0].metadata as { clinicId?: string }).clinicId === ctx.actor.clinicId
          ? loaded
          : undefined;
      if (!own && referencedAt === 0) continue;
      const lastEvent = own ? own.events[own.events.length - 1].createdAt.getTime() : 0;
      const resource: FhirResource = {
        resourceType: 'Practitioner',
        id,
        meta: {
          ...(own ? { versionId: String(own.revision) } : {}),
          lastUpdated: new Date(Math.max(lastEvent, referencedAt)).toISOString(),
        },
        identifier: [{ system: IDENTIFIER_SYSTEM.staffId, value: id }],
        active: true,
        ...(own && own.state.professions.length > 0
          ? {
              qualification: own.state.professions.map((code) => {
                const name = catalogue?.professions.find((p) => p.code === code)?.name;
                return {
                  code: {
                    coding: [{ system: IDENTIFIER_SYSTEM.profession, code, ...(name ? { display: name.da } : {}) }],
                    text: name?.da ?? code,
                  },
                };
              }),
            }
          : {}),
      };
      resources.push(resource);
    }
    return resources.filter(commonFilter(query, zone));
  }

  /** one per therapist on a planned team: the clinician, the team's room(s), the programme's service, the role */
  private async practitionerRoles(ctx: Loaded, query: Query): Promise<FhirResource[]> {
    const zone = await ctx.zone();
    const refs = (param: string, type: string) =>
      values0(query, param).map((v) => v.split(',').map((r) => (r.startsWith(`${type}/`) ? r.slice(type.length + 1) : r)));
    const byPractitioner = refs('practitioner', 'Practitioner');
    const byLocation = refs('location', 'Location');
    const byService = refs('service', 'HealthcareService');
    const catalogue = await ctx.catalogue();
    const resources: FhirResource[] = [];
    for (const row of await ctx.teams()) {
      const team = fromJson<TeamState>(row.state);
      if (team.status !== 'planned') continue;
      const rooms = [...new Set(team.sessions.map((s) => s.room.roomId))];
      const open = team.sessions.filter((s) => s.cancelled === null);
      const shown = open.length > 0 ? open : team.sessions;
      for (const th of team.therapists) {
        if (!byPractitioner.every((ids) => ids.includes(th.clinicianId))) continue;
        if (!byLocation.every((ids) => rooms.some((r) => ids.includes(r)))) continue;
        if (!byService.every((ids) => ids.includes(serviceId(team.programme.code)))) continue;
        const roleName =
          team.programme.staff.roles.find((r) => r.role === th.role)?.name ??
          (th.role === 'apprentice' ? { da: 'Føl', en: 'Apprentice' } : undefined);
        const programmeName = catalogue?.programmes.find((p) => p.code === team.programme.code)?.name ?? team.programme.name;
        resources.push({
          resourceType: 'PractitionerRole',
          id: practitionerRoleId(row.team_id, th.clinicianId),
          meta: { versionId: row.stream_revision, lastUpdated: new Date(row.updated_at).toISOString() },
          identifier: [{ system: IDENTIFIER_SYSTEM.teamId, value: row.team_id }],
          active: isActive(row),
          period: {
            start: formatInZone(Date.parse(shown[0].startsAt), zone),
            end: formatInZone(Date.parse(shown[shown.length - 1].endsAt), zone),
          },
          practitioner: referenceTo('Practitioner', th.clinicianId, IDENTIFIER_SYSTEM.staffId),
          code: [
            {
              coding: [{ system: IDENTIFIER_SYSTEM.staffRole, code: th.role, ...(roleName ? { display: roleName.da } : {}) }],
              text: roleName?.da ?? th.role,
            },
          ],
          location: rooms.map((id) => referenceTo('Location', id, IDENTIFIER_SYSTEM.roomId)),
          healthcareService: [{ reference: `HealthcareService/${serviceId(team.programme.code)}`, display: programmeName.da }],
        });
      }
    }
    resources.sort((a, b) => String(a.id).localeCompare(String(b.id)));
    return resources.filter(commonFilter(query, zone));
  }

  // ---------------------------------------------------------------- Location, HealthcareService, Patient

  /** every room the clinic registered, and every room its teams and appointments use */
  private async locations(ctx: Loaded, query: Query): Promise<FhirResource[]> {
    const zone = await ctx.zone();
    const rooms = new Map<string, { name?: string; seats?: number; updatedAt: number }>();
    const registered = await this.dataSource.query<
      Array<{
        room_id: string;
        name: string;
        seats: number;
        updated_at: Date;
      }>
    >(`SELECT room_id, name, seats, updated_at FROM rooms WHERE clinic_id = $1`, [ctx.actor.clinicId]);
    for (const r of registered) rooms.set(r.room_id, { name: r.name, seats: r.seats, updatedAt: new Date(r.updated_at).getTime() });
    const note = (id: string, at: number) => {
      const known = rooms.get(id);
      if (!known) rooms.set(id, { updatedAt: at });
    };
    for (const row of await ctx.teams()) {
      const team = fromJson<TeamState>(row.state);
      if (team.status === 'planned') for (const s of team.sessions) note(s.room.roomId, new Date(row.updated_at).getTime());
    }
    const used = await this.dataSource.query<Array<{ id: string; updated_at: Date }>>(
      `SELECT room_id AS id, max(updated_at) AS updated_at FROM calendar_entries WHERE clinic_id = $1 AND room_id IS NOT NULL AND kind IN ('team-session', 'appointment') GROUP BY room_id`,
      [ctx.actor.clinicId],
    );
    for (const r of used) note(r.id, new Date(r.updated_at).getTime());
    // a room registered but not yet in the read model (or its stream only): by id from its stream
    for (const ids of idFilter(query)) {
      for (const id of ids) {
        if (rooms.has(id) || !/^[0-9a-f-]{36}$/i.test(id)) continue;
        const loaded = await this.store.load(roomDecider, roomStreamId(id));
        if (loaded.events.length > 0 && loaded.state.clinicId === ctx.actor.clinicId) {
          rooms.set(id, {
            name: loaded.state.name,
            seats: loaded.state.seats,
            updatedAt: loaded.events[loaded.events.length - 1].createdAt.getTime(),
          });
        }
      }
    }
    return [...rooms]
      .filter(([id]) => FHIR_ID.test(id))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, room]): FhirResource => ({
        resourceType: 'Location',
        id,
        meta: { lastUpdated: new Date(room.updatedAt).toISOString() },
        identifier: [{ system: IDENTIFIER_SYSTEM.roomId, value: id }],
        status: 'active',
        ...(room.name ? { name: room.name } : {}),
        ...(room.seats !== undefined ? { description: `${room.seats} seats` } : {}),
        mode: 'instance',
        physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'ro', display: 'Room' }] },
      }))
      .filter(commonFilter(query, zone));
  }

  /** one per programme of the clinic's current catalogue, named in the clinic's language (Danish) */
  private async services(ctx: Loaded, query: Query): Promise<FhirResource[]> {
    const zone = await ctx.zone();
    const catalogue = await ctx.catalogue();
    if (!catalogue) return [];
    const published = await this.publishedAt(ctx.actor.clinicId);
    return catalogue.programmes
      .map((p): FhirResource => ({
        resourceType: 'HealthcareService',
        id: serviceId(p.code),
        meta: { versionId: String(catalogue.version), ...(published ? { lastUpdated: published } : {}) },
        identifier: [{ system: IDENTIFIER_SYSTEM.programme, value: p.code }],
        active: true,
        category: [{ text: 'Group course (hold)' }],
        type: [{ coding: [{ system: IDENTIFIER_SYSTEM.programme, code: p.code, display: p.name.da }], text: p.name.da }],
        name: p.name.da,
        ...(p.description ? { comment: p.description.slice(0, 1000) } : {}),
        extraDetails: `${p.seats} seats per team; ${p.sessionPlan.sessions.length} sessions.`,
        appointmentRequired: true,
      }))
      .filter(commonFilter(query, zone));
  }

  /** when the clinic's current catalogue was published (undefined for the built-in one) */
  private async publishedAt(clinicId: string): Promise<string | undefined> {
    const events = await this.events.readStream(catalogueStreamId(clinicId));
    const last = events.at(-1);
    return last ? last.createdAt.toISOString() : undefined;
  }

  /** a patient of the caller's clinic, by pseudonymous id: the id and nothing else (no name, no CPR number) */
  private async patients(ctx: Loaded, ids: readonly string[]): Promise<Found> {
    const rows = await this.dataSource.query<Array<{ patient_id: string; updated_at: Date; course_ids: string[] }>>(
      `SELECT patient_id, max(updated_at) AS updated_at, array_agg(course_id ORDER BY course_id) AS course_ids FROM roster_courses WHERE clinic_id = $1 AND patient_id = ANY($2) GROUP BY patient_id ORDER BY patient_id`,
      [ctx.actor.clinicId, ids],
    );
    return {
      resources: rows
        .filter((r) => FHIR_ID.test(r.patient_id))
        .map((r) => ({
          resourceType: 'Patient',
          id: r.patient_id,
          meta: { lastUpdated: new Date(r.updated_at).toISOString() },
          active: true,
        })),
      total: rows.length,
      patientIds: rows.map((r) => r.patient_id),
      courseIds: rows.flatMap((r) => r.course_ids),
    };
  }

  teamRows(clinicId: string): Promise<TeamRow[]> {
    return this.dataSource.query<TeamRow[]>(
      `SELECT team_id, status, capacity, seats_free, ${TEAM_STATE_SQL} AS state, updated_at, stream_revision::text AS stream_revision FROM team_boards WHERE clinic_id = $1`,
      [clinicId],
    );
  }
}

/** the calendar uids a FHIR id can stand for (`session.<team>.<key>` → `session:<team>:<key>`) */
function uidCandidates(id: string): string[] {
  return [...new Set([id, id.replace('.', ':'), id.replace(/\./g, ':')])].filter((uid) => fhirId(uid) === id);
}

function values0(query: Query, name: string): string[] {
  const raw = query[name];
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
}

/** `_id` and `_lastUpdated` on a built resource */
function commonFilter(query: Query, zone: string): (r: FhirResource) => boolean {
  const ids = idFilter(query);
  const updated: DateBound = dateBounds(query, '_lastUpdated', zone);
  return (r) => matchesIds(r.id, ids) && withinBounds((r.meta as { lastUpdated?: string } | undefined)?.lastUpdated, updated);
}

function pageOf(count: number, offset: number): (all: FhirResource[]) => Found {
  return (all) => ({ resources: all.slice(offset, offset + count), total: all.length });
}

function searchset(
  base: string,
  type: string,
  query: Query,
  resources: FhirResource[],
  included: FhirResource[],
  total: number,
  count: number,
  offset: number,
  now: Date,
): Bundle {
  const self = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (k === '_count' || k === '_offset') continue;
    for (const one of Array.isArray(v) ? v : [v]) if (typeof one === 'string') self.append(k, one);
  }
  if (query._count !== undefined) self.set('_count', String(count));
  if (offset > 0) self.set('_offset', String(offset));
  const page = (o: number) => {
    const p = new URLSearchParams(self);
    p.set('_count', String(count));
    p.set('_offset', String(o));
    return `${base}/${type}?${p.toString()}`;
  };
  const selfQuery = self.toString();
  const entry: BundleEntry[] = [
    ...resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${String(resource.id)}`,
      resource,
      search: { mode: 'match' as const },
    })),
    ...included.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${String(resource.id)}`,
      resource,
      search: { mode: 'include' as const },
    })),
  ];
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: now.toISOString(),
    total,
    link: [
      { relation: 'self', url: `${base}/${type}${selfQuery ? `?${selfQuery}` : ''}` },
      ...(offset + count < total && count > 0 ? [{ relation: 'next', url: page(offset + count) }] : []),
      ...(offset > 0 ? [{ relation: 'previous', url: page(Math.max(0, offset - count)) }] : []),
    ],
    entry,
  };
}

const isActive = (row: TeamRow) => row.status === 'planned' || row.status === 'closed';

function appointment(row: EntryRow, zone: string, patients: ReadonlyMap<string, string>, names: ReadonlyMap<string, string>): FhirResource {
  const at = (d: Date) => formatInZone(d.getTime(), zone);
  const code = row.kind === 'team-session' ? row.programme_code : row.intervention;
  const service = code
    ? {
        coding: [
          {
            system: row.kind === 'team-session' ? IDENTIFIER_SYSTEM.programme : IDENTIFIER_SYSTEM.intervention,
            code,
            ...(names.has(code) ? { display: names.get(code) } : {}),
          },
        ],
        text: names.get(code) ?? code,
      }
    : undefined;
  const participants: Array<{ actor: Reference; required: string; status: string }> = [];
  if (row.room_id)
    participants.push({ actor: referenceTo('Location', row.room_id, IDENTIFIER_SYSTEM.roomId), required: 'required', status: 'accepted' });
  for (const id of row.clinician_ids)
    participants.push({ actor: referenceTo('Practitioner', id, IDENTIFIER_SYSTEM.staffId), required: 'required', status: 'accepted' });
  for (const courseId of row.course_ids) {
    const patientId = patients.get(courseId);
    if (patientId)
      participants.push({
        actor: referenceTo('Patient', patientId, 'urn:group-course-scheduler:patient-id'),
        required: 'required',
        status: 'accepted',
      });
  }
  if (participants.length === 0)
    participants.push({ actor: { display: 'not yet assigned' }, required: 'information-only', status: 'needs-action' });
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
    ...(row.ends_at
      ? { end: at(row.ends_at), minutesDuration: Math.max(1, Math.round((row.ends_at.getTime() - row.starts_at.getTime()) / MINUTE)) }
      : {}),
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
      { reference: `HealthcareService/${serviceId(team.programme.code)}`, display: name },
    ],
    planningHorizon: {
      start: formatInZone(Date.parse(shown[0].startsAt), zone),
      end: formatInZone(Date.parse(shown[shown.length - 1].endsAt), zone),
    },
    comment: `${name} team (${row.status}): ${row.seats_free} of ${row.capacity} seats free; a booking takes a seat for all ${team.sessions.length} sessions.`,
  };
}

function slot(
  row: TeamRow,
  team: PlannedTeam,
  session: PlannedTeam['sessions'][number],
  zone: string,
  names: ReadonlyMap<string, string>,
): FhirResource {
  const name = names.get(team.programme.code) ?? team.programme.name.en;
  const status =
    session.cancelled !== null || row.status === 'cancelled'
      ? 'busy-unavailable'
      : row.status === 'planned' && row.seats_free > 0
        ? 'free'
        : 'busy';
  const number = team.sessions.indexOf(session) + 1;
  return {
    resourceType: 'Slot',
    id: fhirId(`${row.team_id}.${session.key}`),
    meta: { versionId: row.stream_revision, lastUpdated: new Date(row.updated_at).toISOString() },
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
