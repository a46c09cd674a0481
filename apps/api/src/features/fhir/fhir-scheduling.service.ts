import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import {
  formatInZone,
  scheduleDecider,
  scheduleStreamId,
  type ResourceRef,
  freeSeats,
  isClosedForLateJoiners,
  waitingWithoutOffer,
  type Catalogue,
  type PlannedTeam,
  type TeamState,
} from '#app/domain';
import type { Actor } from '../../platform/auth/actor.js';
import { BookAppointment, HoldAppointment } from '../courses/index.js';
import { appointmentUid, sessionUid } from '../calendars/index.js';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';
import { CommandBus } from '@nestjs/cqrs';
import { EnrolCourse, EnrolmentStreams, seatFitFailures, type LoadedCourse } from '../enrolment/index.js';
import { ApiError } from '../../platform/http/api-error.js';
import { TEAM_STATE_SQL } from '../teams/index.js';
import { fromJson } from '../../platform/projections/course-stream.js';
import { Clock } from '../../platform/clock/clock.js';
import { DeciderStore } from '../../platform/write-path/decider-store.js';
import type { WriteContext } from '../../platform/write-path/write-context.js';
import { HoldTeamSeat } from './commands/hold-team-seat.command.js';
import { fhirId, FHIR_ID, IDENTIFIER_SYSTEM, referenceTo } from './fhir-ids.js';
import { FhirService, serviceId } from './fhir.service.js';
import type { FhirResource } from './fhir.types.js';

/** one parameter of a FHIR Parameters resource, as the DTO lets it through */
export interface FhirParameter {
  readonly name: string;
  readonly valueString?: string;
  readonly valueCode?: string;
  readonly valueDate?: string;
  readonly valueDateTime?: string;
  readonly valueInstant?: string;
  readonly valuePositiveInt?: number;
  readonly valueReference?: { readonly reference?: string };
  readonly valueIdentifier?: { readonly system?: string; readonly value?: string };
  readonly valueCoding?: { readonly system?: string; readonly code?: string };
  readonly resource?: Record<string, unknown>;
}

export interface OperationResult {
  readonly resourceType: 'Bundle';
  readonly type: 'searchset' | 'collection';
  readonly timestamp: string;
  readonly total?: number;
  readonly entry: Array<{ fullUrl: string; resource: FhirResource; search?: { mode: 'match' } }>;
  /** for the access log and the write headers */
  readonly patientIds: string[];
  readonly courseIds: string[];
  readonly revision?: number;
  readonly position?: unknown;
}

/** told the course an operation is about as soon as it is known (for the access log, refusals included) */
export type Seen = (course: LoadedCourse) => void;

/** what a proposed (found or held) Appointment stands for */
type Proposal =
  | { readonly kind: 'team'; readonly teamId: string }
  | {
      readonly kind: 'intervention';
      readonly intervention: string;
      readonly start: string;
      readonly minutes: number;
      readonly clinicianIds: string[];
      readonly roomId?: string;
    };

const DAY = 86_400_000;
/** opening hours in which $find proposes individual appointments (local time, Monday–Friday) */
const OPEN_FROM = 8 * 60;
const OPEN_UNTIL = 16 * 60;
const STEP_MINUTES = 15;

const bad = (field: string, problem: string) =>
  new ApiError(400, 'VALIDATION_FAILED', `The parameter ${field} is not valid: ${problem}.`, { fields: [{ field, problems: [problem] }] });

/**
 * IHE Scheduling on FHIR over the REST API's own rules: $find proposes open seats on teams the course
 * may join (the enrolment's eligibility, pathway and course-side checks) and free times for individual
 * interventions (the appointment booking's clash rule), $hold keeps a time for `settings.holdMinutes`,
 * and $book dispatch the commands of POST /courses/{id}/enrolments and /courses/{id}/appointments
 * (EnrolCourse, HoldAppointment, BookAppointment; a team seat's hold: HoldTeamSeat), so the same
 * refusals, idempotency and event metadata (the integration as actor).
 */
@Injectable()
export class FhirSchedulingService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(FhirService) private readonly fhir: FhirService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  // ---------------------------------------------------------------- $find

  async find(actor: Actor, params: readonly FhirParameter[], seen: Seen): Promise<OperationResult> {
    const p = new Params(params, [
      'patient',
      'course',
      'start',
      'end',
      'service-type',
      'healthcare-service',
      'practitioner',
      'location',
      '_count',
    ]);
    const course = await this.course(actor, p);
    seen(course);
    const catalogue = await this.catalogues.current(actor.clinicId);
    const zone = catalogue.settings.timeZone;
    const now = this.clock.now().getTime();
    const start = p.date('start', zone, 'start') ?? now;
    const end = p.date('end', zone, 'end') ?? start + 90 * DAY;
    if (end <= start) throw bad('end', 'end must be after start');
    if (end - start > 366 * DAY) throw bad('end', 'the range may span at most a year');
    const count = p.count();
    const code = this.serviceCode(p, catalogue);
    const programme = code ? catalogue.programmes.find((x) => x.code === code) : undefined;
    const intervention = code ? catalogue.interventions.find((x) => x.code === code) : undefined;
    if (code && !programme && !intervention) {
      throw new ApiError(422, 'UNKNOWN_SERVICE', `The clinic offers no programme or intervention ${code}.`, {
        allowed: [...catalogue.programmes.map((x) => x.code), ...catalogue.interventions.map((x) => x.code)],
      });
    }
    const proposals: FhirResource[] = intervention
      ? await this.freeTimes(actor, course, catalogue, intervention.code, p, Math.max(start, now), end, count)
      : await this.openSeats(actor, course, catalogue, programme?.code, Math.max(start, now), end, count);
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      timestamp: this.clock.now().toISOString(),
      total: proposals.length,
      entry: proposals.map((resource) => ({ fullUrl: `urn:uuid:${proposalUuid(resource)}`, resource, search: { mode: 'match' } })),
      patientIds: [patientOf(course)],
      courseIds: [course.courseId],
    };
  }

  /** teams of the programme(s) with a free seat the course could take now, by first session */
  private async openSeats(
    actor: Actor,
    course: LoadedCourse,
    catalogue: Catalogue,
    programme: string | undefined,
    from: number,
    to: number,
    count: number,
  ): Promise<FhirResource[]> {
    const rows = await this.dataSource.query<Array<{ team_id: string; state: unknown }>>(
      `SELECT team_id, ${TEAM_STATE_SQL} AS state FROM team_boards WHERE clinic_id = $1 AND status = 'planned' AND first_session_at >= $2 AND first_session_at < $3
         ${programme ? 'AND programme_code = $4' : ''} ORDER BY first_session_at, team_id`,
      programme ? [actor.clinicId, new Date(from), new Date(to), programme] : [actor.clinicId, new Date(from), new Date(to)],
    );
    const nowMs = this.clock.now().getTime();
    const now = formatInZone(nowMs, catalogue.settings.timeZone);
    const found: FhirResource[] = [];
    for (const row of rows) {
      const stored = fromJson<TeamState>(row.state);
      if (stored.status !== 'planned') continue;
      // holds that ran out (not yet swept) free their seat; the course's own hold is its seat
      const team: PlannedTeam = {
        ...stored,
        holds: (stored.holds ?? []).filter((h) => Date.parse(h.heldUntil) > nowMs && h.courseId !== course.courseId),
      };
      if (freeSeats(team) === 0 || waitingWithoutOffer(team).length > 0 || isClosedForLateJoiners(team, now)) continue;
      if (seatFitFailures(course, team, now).length > 0) continue;
      found.push(teamProposal(team, course, catalogue, 'proposed'));
      if (found.length >= count) break;
    }
    return found;
  }

  /**
   * Start times for an individual intervention at which every practitioner, the room and the patient are
   * free (the booking's clash rule over their schedule streams, plus team sessions and appointments in the
   * calendars), every 15 minutes within opening hours (08–16, Monday–Friday, the clinic's time).
   */
  private async freeTimes(
    actor: Actor,
    course: LoadedCourse,
    catalogue: Catalogue,
    code: string,
    p: Params,
    from: number,
    to: number,
    count: number,
  ): Promise<FhirResource[]> {
    const intervention = interventionOf(catalogue, code);
    const minutes = intervention.slotMinutes ?? intervention.durationMinutes;
    if (!minutes)
      throw new ApiError(422, 'DURATION_REQUIRED', `The catalogue gives no length for ${intervention.name.en}.`, { intervention: code });
    const clinicianIds = p.references('practitioner', 'Practitioner');
    if (clinicianIds.length === 0)
      throw bad('practitioner', 'name the practitioner(s) who take part (Practitioner/<staff id>, repeatable)');
    if (clinicianIds.length > 6) throw bad('practitioner', 'at most 6 practitioners');
    const roomId = p.references('location', 'Location').at(0);
    // only the clinic's own practitioners and rooms (those a Practitioner or Location read finds)
    for (const id of clinicianIds) await this.fhir.read('Practitioner', actor, id);
    if (roomId) await this.fhir.read('Location', actor, roomId);
    const zone = catalogue.settings.timeZone;
    const busy: Array<[number, number]> = [];
    const resources: ResourceRef[] = [
      ...clinicianIds.map((id) => ({ kind: 'clinician' as const, id })),
      ...(roomId ? [{ kind: 'room' as const, id: roomId }] : []),
      { kind: 'patient', id: patientOf(course) },
    ];
    const now = this.clock.now().getTime();
    for (const resource of resources) {
      const { state } = await this.store.load(scheduleDecider, scheduleStreamId(resource));
      for (const slot of Object.values(state.slots)) {
        if (slot.status !== 'reserved') continue;
        if (slot.holdUntil && Date.parse(slot.holdUntil) <= now) continue; // a lapsed hold
        busy.push([Date.parse(slot.start), Date.parse(slot.end)]);
      }
    }
    const entries = await this.dataSource.query<Array<{ starts_at: Date; ends_at: Date | null }>>(
      `SELECT e.starts_at, e.ends_at FROM calendar_entries e
       WHERE e.clinic_id = $1 AND e.status = 'confirmed' AND e.ends_at > $2 AND e.starts_at < $3
         AND (e.uid IN (SELECT uid FROM calendar_attendees WHERE (attendee_kind = 'clinician' AND attendee_id = ANY($4)) OR (attendee_kind = 'course' AND attendee_id = $5))
              OR ($6::text IS NOT NULL AND e.room_id = $6))`,
      [actor.clinicId, new Date(from), new Date(to + minutes * 60_000), clinicianIds, course.courseId, roomId ?? null],
    );
    for (const e of entries) busy.push([e.starts_at.getTime(), (e.ends_at ?? e.starts_at).getTime()]);
    const found: FhirResource[] = [];
    let day = DateTime.fromMillis(from, { zone }).startOf('day');
    while (found.length < count && day.toMillis() < to) {
      if (day.weekday <= 5) {
        for (let m = OPEN_FROM; m + minutes <= OPEN_UNTIL && found.length < count; m += STEP_MINUTES) {
          const s = day.plus({ minutes: m }).toMillis();
          const e = s + minutes * 60_000;
          if (s < from || s >= to) continue;
          if (busy.some(([bs, be]) => s < be && bs < e)) continue;
          found.push(
            interventionProposal(
              {
                kind: 'intervention',
                intervention: code,
                start: formatInZone(s, zone),
                minutes,
                clinicianIds: [...clinicianIds].sort(),
                ...(roomId ? { roomId } : {}),
              },
              course,
              catalogue,
              'proposed',
            ),
          );
        }
      }
      day = day.plus({ days: 1 });
    }
    return found;
  }

  // ---------------------------------------------------------------- $hold, $book

  /** $hold: keeps an individual appointment's time for the catalogue's `settings.holdMinutes` */
  async hold(ctx: WriteContext, params: readonly FhirParameter[], seen: Seen): Promise<OperationResult> {
    const p = new Params(params, ['appt-resource', 'appointment-resource', 'course', 'reason']);
    const { proposal, course, catalogue } = await this.proposalOf(ctx.actor, p);
    seen(course);
    const minutes = catalogue.settings.holdMinutes ?? 15;
    if (proposal.kind === 'team') return this.holdSeat(ctx, proposal.teamId, course, catalogue, minutes, p.string('reason'));
    const held = await this.commandBus.execute(
      new HoldAppointment(ctx, course.courseId, bookingBody(proposal, p.string('reason')), minutes),
    );
    const resource = {
      ...interventionProposal(proposal, course, catalogue, 'pending'),
      id: fhirId(`hold.${held.appointmentId}`),
      identifier: [{ system: IDENTIFIER_SYSTEM.hold, value: held.appointmentId }],
      comment: `Held until ${held.holdUntil} (settings.holdMinutes: ${minutes}); book it with $book and this Appointment (its identifier names the hold).`,
    };
    return {
      resourceType: 'Bundle',
      type: 'collection',
      timestamp: this.clock.now().toISOString(),
      entry: [{ fullUrl: `urn:uuid:${held.appointmentId}`, resource }],
      patientIds: [patientOf(course)],
      courseIds: [course.courseId],
      position: held.position,
    };
  }

  /**
   * A seat on a team held for the course (team stream: SeatHeld, with the enrolment's own checks: eligibility,
   * course side, free seat, nobody waiting first); ReserveSeat by the course ($book, or POST /courses/{id}/enrolments)
   * takes it, and it lapses after `minutes` (SeatHoldLapsed: at the next write to the team or by the offer sweeper).
   */
  private async holdSeat(
    ctx: WriteContext,
    teamId: string,
    course: LoadedCourse,
    catalogue: Catalogue,
    minutes: number,
    reason: string | undefined,
  ): Promise<OperationResult> {
    const held = await this.commandBus.execute(new HoldTeamSeat(teamId, course, minutes, reason, ctx));
    const resource = {
      ...teamProposal(held.team, course, catalogue, 'pending'),
      comment: `Held until ${held.heldUntil} (settings.holdMinutes: ${minutes}); book it with $book and this Appointment.`,
    };
    return {
      resourceType: 'Bundle',
      type: 'collection',
      timestamp: this.clock.now().toISOString(),
      entry: [{ fullUrl: `urn:uuid:${proposalUuid(resource)}`, resource }],
      patientIds: [patientOf(course)],
      courseIds: [course.courseId],
      revision: held.revision,
      position: held.position,
    };
  }

  /** $book: the seat or time, through the REST API's write path */
  async book(ctx: WriteContext, params: readonly FhirParameter[], base: string, seen: Seen): Promise<OperationResult> {
    const p = new Params(params, ['appt-resource', 'appointment-resource', 'course', 'reason']);
    const { proposal, course, catalogue, appointment } = await this.proposalOf(ctx.actor, p);
    seen(course);
    const reason = p.string('reason') ?? 'booked by a hospital system (FHIR $book)';
    const common = { patientIds: [patientOf(course)], courseIds: [course.courseId] };
    if (proposal.kind === 'team') {
      const outcome = await this.commandBus.execute(new EnrolCourse(course.courseId, { teamId: proposal.teamId, reason }, ctx));
      const team = (await this.streams.ownTeam(ctx.actor, proposal.teamId)).state;
      const booked = teamProposal(team, course, catalogue, 'booked');
      const sessions = team.sessions.map((s) => fhirId(sessionUid(team.teamId, s.key)));
      return {
        resourceType: 'Bundle',
        type: 'collection',
        timestamp: this.clock.now().toISOString(),
        entry: [{ fullUrl: `${base}/Appointment/${sessions[0]}`, resource: { ...booked, id: sessions[0] } }],
        ...common,
        revision: outcome.revision,
        position: outcome.position,
      };
    }
    const heldId = heldAppointmentId(appointment);
    const write = await this.commandBus.execute(new BookAppointment(ctx, course.courseId, bookingBody(proposal, reason), heldId));
    const id = fhirId(appointmentUid(write.appointment.appointmentId));
    return {
      resourceType: 'Bundle',
      type: 'collection',
      timestamp: this.clock.now().toISOString(),
      entry: [{ fullUrl: `${base}/Appointment/${id}`, resource: { ...interventionProposal(proposal, course, catalogue, 'booked'), id } }],
      ...common,
      revision: write.revision,
      position: write.position,
    };
  }

  /** what the Appointment in `appt-resource` asks for (a proposal from $find or $hold, or one written by hand) */
  private async proposalOf(
    actor: Actor,
    p: Params,
  ): Promise<{ proposal: Proposal; course: LoadedCourse; catalogue: Catalogue; appointment: Record<string, unknown> }> {
    const appointment = p.resource('appt-resource', 'appointment-resource');
    if (appointment.resourceType !== 'Appointment')
      throw bad('appt-resource', 'appt-resource must be an Appointment (as $find proposed it)');
    const participants = Array.isArray(appointment.participant)
      ? (appointment.participant as Array<{ actor?: { reference?: unknown } | null } | null>)
      : [];
    const refs = participants.map((x) => x?.actor?.reference).filter((r): r is string => typeof r === 'string');
    const of = (type: string) => refs.filter((r) => r.startsWith(`${type}/`)).map((r) => r.slice(type.length + 1));
    const patient = of('Patient');
    if (patient.length !== 1) throw bad('appt-resource', 'the Appointment needs exactly one Patient participant');
    const course = await this.course(actor, p, patient[0]);
    const catalogue = await this.catalogues.current(actor.clinicId);
    const slots = (Array.isArray(appointment.slot) ? (appointment.slot as Array<{ reference?: unknown } | null>) : [])
      .map((s) => s?.reference)
      .filter((r): r is string => typeof r === 'string');
    if (slots.length > 0) {
      const teamId = slots[0].replace(/^Slot\//, '').split('.')[0];
      if (!/^[0-9a-f-]{36}$/i.test(teamId))
        throw bad('appt-resource', 'Appointment.slot must refer to a Slot of a team (Slot/<team id>.<session>)');
      return { proposal: { kind: 'team', teamId }, course, catalogue, appointment };
    }
    const serviceTypes = Array.isArray(appointment.serviceType)
      ? (appointment.serviceType as Array<{ coding?: Array<{ system?: string; code?: string } | null> } | null>)
      : [];
    const code = serviceTypes.flatMap((s) => s?.coding ?? []).find((c) => c?.system === IDENTIFIER_SYSTEM.intervention)?.code;
    if (typeof code !== 'string')
      throw bad('appt-resource', 'the Appointment needs a Slot (a team seat) or a serviceType coding of an intervention');
    const start = typeof appointment.start === 'string' ? Date.parse(appointment.start) : NaN;
    const end = typeof appointment.end === 'string' ? Date.parse(appointment.end) : NaN;
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start)
      throw bad('appt-resource', 'the Appointment needs a start and an end with offsets');
    const clinicianIds = of('Practitioner');
    if (clinicianIds.length === 0 || clinicianIds.length > 6)
      throw bad('appt-resource', 'the Appointment needs 1–6 Practitioner participants');
    const rooms = of('Location');
    if (rooms.length > 1) throw bad('appt-resource', 'the Appointment may name one Location');
    return {
      proposal: {
        kind: 'intervention',
        intervention: code,
        start: formatInZone(start, catalogue.settings.timeZone),
        minutes: Math.round((end - start) / 60_000),
        clinicianIds: [...new Set(clinicianIds)].sort(),
        ...(rooms[0] ? { roomId: rooms[0] } : {}),
      },
      course,
      catalogue,
      appointment,
    };
  }

  /** the course: `course` (id), else the patient's one active course in the clinic */
  private async course(actor: Actor, p: Params, patientId?: string): Promise<LoadedCourse> {
    const courseId = p.identifierOrString('course');
    if (courseId) {
      const course = await this.streams.ownCourse(actor, courseId).catch(() => {
        throw new ApiError(404, 'NOT_FOUND', 'No course with that id was found in your clinic.', { what: 'course' });
      });
      if (patientId && course.state.patientId !== patientId) throw bad('course', 'the course is not the patient’s');
      return course;
    }
    const patient = patientId ?? p.references('patient', 'Patient')[0];
    if (!patient) throw bad('patient', 'give the patient (Patient/<pseudonymous id>) or the course');
    if (!FHIR_ID.test(patient)) throw bad('patient', 'patient must be Patient/<pseudonymous id>');
    const rows = await this.dataSource.query<Array<{ course_id: string }>>(
      `SELECT course_id FROM roster_courses WHERE clinic_id = $1 AND patient_id = $2 AND status = 'active' ORDER BY course_id`,
      [actor.clinicId, patient],
    );
    if (rows.length === 0)
      throw new ApiError(404, 'NO_ACTIVE_COURSE', 'The patient has no accepted, open course in your clinic.', {
        patient: `Patient/${patient}`,
      });
    if (rows.length > 1)
      throw new ApiError(422, 'COURSE_REQUIRED', 'The patient has more than one open course; give the course.', { courses: rows.length });
    return this.streams.ownCourse(actor, rows[0].course_id);
  }

  private serviceCode(p: Params, catalogue: Catalogue): string | undefined {
    const coded = p.code('service-type');
    if (coded) return coded;
    const service = p.references('healthcare-service', 'HealthcareService')[0];
    if (!service) return undefined;
    const programme = catalogue.programmes.find((x) => serviceId(x.code) === service);
    if (!programme)
      throw new ApiError(404, 'NOT_FOUND', `There is no HealthcareService with id ${service.slice(0, 64)} in your clinic.`, {
        what: 'HealthcareService',
      });
    return programme.code;
  }
}

/** reads a Parameters resource's parameters: every name given must be known (a 400 names the others) */
class Params {
  constructor(
    private readonly list: readonly FhirParameter[],
    known: readonly string[],
  ) {
    const unknown = [...new Set(list.map((x) => x.name).filter((n) => !known.includes(n)))];
    if (unknown.length > 0) {
      throw new ApiError(
        400,
        'UNSUPPORTED_PARAMETER',
        `This operation does not take the parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => u.slice(0, 64)).join(', ')}.`,
        {
          fields: unknown.map((field) => ({
            field: field.slice(0, 64),
            problems: [`not a parameter of this operation (it takes ${known.join(', ')})`],
          })),
        },
      );
    }
  }
  private all(name: string): FhirParameter[] {
    return this.list.filter((x) => x.name === name);
  }
  private one(name: string): FhirParameter | undefined {
    const all = this.all(name);
    if (all.length > 1) throw bad(name, `${name} may be given once`);
    return all[0];
  }
  string(name: string): string | undefined {
    const x = this.one(name);
    return x?.valueString;
  }
  code(name: string): string | undefined {
    const x = this.one(name);
    const code = x?.valueCoding?.code ?? x?.valueCode ?? x?.valueString;
    if (x && !code) throw bad(name, `${name} must be a code (valueCoding, valueCode or valueString)`);
    return code;
  }
  identifierOrString(name: string): string | undefined {
    const x = this.one(name);
    return x?.valueIdentifier?.value ?? x?.valueString;
  }
  references(name: string, type: string): string[] {
    return this.all(name).map((x) => {
      const ref = x.valueReference?.reference;
      if (typeof ref !== 'string' || !ref.startsWith(`${type}/`)) throw bad(name, `${name} must be a reference ${type}/<id>`);
      return ref.slice(type.length + 1);
    });
  }
  date(name: string, zone: string, field: string): number | undefined {
    const x = this.one(name);
    if (!x) return undefined;
    const text = x.valueDateTime ?? x.valueInstant ?? x.valueDate;
    if (!text) throw bad(field, `${field} must be a valueDate or valueDateTime`);
    const parsed = DateTime.fromISO(text, { zone });
    if (!parsed.isValid || !/^\d{4}-\d{2}-\d{2}/.test(text))
      throw bad(field, `${field} must be a date like 2026-03-01 or 2026-03-01T08:00:00+01:00`);
    return parsed.toMillis();
  }
  count(): number {
    const x = this.one('_count');
    if (!x) return 20;
    const n = x.valuePositiveInt;
    if (n === undefined || !Number.isInteger(n) || n < 1) throw bad('_count', '_count must be a valuePositiveInt');
    return Math.min(n, 100);
  }
  resource(name: string, alias?: string): Record<string, unknown> {
    const given = this.all(name).length > 0 || !alias ? name : alias;
    const x = this.one(given);
    if (!x?.resource || typeof x.resource !== 'object') throw bad(name, `${name} must carry the Appointment as its resource`);
    return x.resource;
  }
}

function bookingBody(proposal: Extract<Proposal, { kind: 'intervention' }>, reason: string | undefined) {
  return {
    intervention: proposal.intervention,
    start: proposal.start,
    durationMinutes: proposal.minutes,
    clinicianIds: proposal.clinicianIds,
    ...(proposal.roomId ? { roomId: proposal.roomId } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** the appointment id of a hold named in the Appointment's identifier */
function heldAppointmentId(appointment: Record<string, unknown>): string | undefined {
  const ids = Array.isArray(appointment.identifier) ? (appointment.identifier as Array<{ system?: unknown; value?: unknown } | null>) : [];
  const value = ids.find((i) => i?.system === IDENTIFIER_SYSTEM.hold)?.value;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[0-9a-f-]{36}$/i.test(value))
    throw bad('appt-resource', 'the hold identifier is not one this server gave');
  return value;
}

function patientParticipant(course: LoadedCourse, status: string) {
  return { actor: referenceTo('Patient', patientOf(course), IDENTIFIER_SYSTEM.patient), required: 'required', status };
}

/** a seat on a team as an Appointment: its first session's time, every session as a Slot */
function teamProposal(
  team: PlannedTeam,
  course: LoadedCourse,
  catalogue: Catalogue,
  status: 'proposed' | 'pending' | 'booked',
): FhirResource {
  const zone = catalogue.settings.timeZone;
  const programme = catalogue.programmes.find((p) => p.code === team.programme.code) ?? team.programme;
  const open = team.sessions.filter((s) => s.cancelled === null);
  const first = open[0] ?? team.sessions[0];
  return {
    resourceType: 'Appointment',
    status,
    serviceType: [
      { coding: [{ system: IDENTIFIER_SYSTEM.programme, code: programme.code, display: programme.name.da }], text: programme.name.da },
    ],
    appointmentType: { text: 'seat on a group team' },
    description: `${programme.name.da}: a seat on the team for all ${team.sessions.length} sessions, the first on ${first.startsAt.slice(0, 10)}.`,
    start: formatInZone(Date.parse(first.startsAt), zone),
    end: formatInZone(Date.parse(first.endsAt), zone),
    slot: team.sessions.map((s) => ({ reference: `Slot/${fhirId(`${team.teamId}.${s.key}`)}` })),
    participant: [
      patientParticipant(course, status === 'booked' ? 'accepted' : 'needs-action'),
      { actor: referenceTo('Location', first.room.roomId, IDENTIFIER_SYSTEM.roomId), required: 'required', status: 'accepted' },
      ...team.therapists.map((t) => ({
        actor: referenceTo('Practitioner', t.clinicianId, IDENTIFIER_SYSTEM.staffId),
        required: 'required',
        status: 'accepted',
      })),
      { actor: { reference: `HealthcareService/${serviceId(programme.code)}` }, required: 'information-only', status: 'accepted' },
    ],
    comment: `${freeSeats(team)} of ${team.capacity} seats free. Schedule/${team.teamId}.`,
  };
}

function interventionProposal(
  proposal: Extract<Proposal, { kind: 'intervention' }>,
  course: LoadedCourse,
  catalogue: Catalogue,
  status: 'proposed' | 'pending' | 'booked',
): FhirResource {
  const zone = catalogue.settings.timeZone;
  const intervention = interventionOf(catalogue, proposal.intervention);
  const start = Date.parse(proposal.start);
  return {
    resourceType: 'Appointment',
    status,
    serviceType: [
      {
        coding: [{ system: IDENTIFIER_SYSTEM.intervention, code: intervention.code, display: intervention.name.da }],
        text: intervention.name.da,
      },
    ],
    appointmentType: { text: 'individual appointment' },
    description: intervention.name.da,
    start: formatInZone(start, zone),
    end: formatInZone(start + proposal.minutes * 60_000, zone),
    minutesDuration: proposal.minutes,
    participant: [
      patientParticipant(course, status === 'booked' ? 'accepted' : 'needs-action'),
      ...proposal.clinicianIds.map((id) => ({
        actor: referenceTo('Practitioner', id, IDENTIFIER_SYSTEM.staffId),
        required: 'required',
        status: 'accepted',
      })),
      ...(proposal.roomId
        ? [{ actor: referenceTo('Location', proposal.roomId, IDENTIFIER_SYSTEM.roomId), required: 'required', status: 'accepted' }]
        : []),
    ],
  };
}

/** a stable urn:uuid for a proposal (the same proposal gets the same fullUrl) */
function proposalUuid(resource: FhirResource): string {
  const hex = createHash('sha256')
    .update(JSON.stringify([resource.start, resource.slot ?? null, resource.participant]))
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** the patient of a loaded course (a loaded course is an open one: it names its patient) */
function patientOf(course: LoadedCourse): string {
  return course.state.patientId;
}

/** a catalogue intervention the request or proposal named (checked against the catalogue before) */
function interventionOf(catalogue: Catalogue, code: string): Catalogue['interventions'][number] {
  const intervention = catalogue.interventions.find((i) => i.code === code);
  if (!intervention) throw new Error(`the catalogue has no intervention ${code}`);
  return intervention;
}
