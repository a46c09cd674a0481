import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  appointmentOf,
  courseDecider,
  courseStreamId,
  formatInZone,
  isDomainError,
  ORPHAN_AFTER_MS,
  scheduleDecider,
  scheduleStreamId,
  type AppointmentRecord,
  type ClashDetails,
  type CourseState,
  type ReserveSlot,
  type ResourceRef,
  type ScheduleEvent,
  type ScheduleState,
  type Slot,
} from '#app/domain';
import { comparePositions } from '#app/event-store';
import { ClinicResources } from '../../../platform/clinic-resources/clinic-resources.js';
import { ApiError } from '../../../platform/http/api-error.js';
import { Clock } from '../../../platform/clock/clock.js';
import { CourseReader } from '../course-reader.js';
import type { ReferredCourseState } from '../referred-course.js';
import { newIdFor } from '../../../platform/write-path/new-stream-id.js';
import { DeciderStore, type ExecuteResult } from '../../../platform/write-path/decider-store.js';
import type { EventMetadata } from '../../../platform/write-path/event-metadata.js';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import { ScheduleHolds, scheduleClashError, type FoundClash } from '../../schedule/index.js';
import type { BookAppointmentRequest } from './appointment.request.js';

/** retries of one schedule append under contention (many secretaries booking one clinician's day) */
const MAX_ATTEMPTS = 30;
const MAX_REPAIRS = 3;

export interface AppointmentWrite {
  readonly appointment: AppointmentRecord;
  /** revision of the patient's schedule stream (ETag of the course's appointments) */
  readonly revision: number;
  readonly position?: ExecuteResult<ScheduleState, ScheduleEvent>['position'];
}

/** a time held for a course ($hold): until `holdUntil` the clinicians and the room are reserved */
export interface AppointmentHeld {
  readonly appointmentId: string;
  readonly start: string;
  readonly end: string;
  readonly holdUntil: string;
  readonly position?: ExecuteResult<ScheduleState, ScheduleEvent>['position'];
}

/**
 * Individual appointments, reserved on one schedule stream per clinician, room and patient, one after
 * another with compensation; the patient's stream is the commit point (design: schedule.decider.ts).
 */
@Injectable()
export class AppointmentBookingService {
  private readonly logger = new Logger('Appointments');

  constructor(
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(CourseReader) private readonly courses: CourseReader,
    @Inject(ScheduleHolds) private readonly holds: ScheduleHolds,
    @Inject(ClinicResources) private readonly resources: ClinicResources,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * `appointmentId`: book a time held before ($hold) under that id; the held clinician and room
   * reservations are then this booking's own (reserving them again is a no-op).
   */
  async book(
    ctx: WriteContext,
    courseId: string,
    body: BookAppointmentRequest,
    options: { appointmentId?: string } = {},
  ): Promise<AppointmentWrite> {
    const { resources, commit, reserveFor } = await this.prepare(
      ctx,
      courseId,
      body,
      options.appointmentId ?? newIdFor('appointment', ctx.actor, ctx.idempotencyKey),
    );

    if (ctx.ifMatch !== undefined) {
      const current = await this.store.load(scheduleDecider, scheduleStreamId(commit));
      if (current.revision !== ctx.ifMatch) throw preconditionFailed(scheduleStreamId(commit), ctx.ifMatch, current.revision);
    }

    // 1. every clash at once (a secretary wants to hear "the doctor and the room are taken"), repairing abandoned holds
    const clashes: FoundClash[] = [];
    for (const resource of resources) {
      const found = await this.findClash(ctx, resource, reserveFor(resource));
      if (found) clashes.push(found);
    }
    if (clashes.length > 0) throw scheduleClashError(clashes, ctx.actor.clinicId);

    // 2. reserve one after another; the stream's expected revision decides races, compensation undoes a partial booking
    const metadata = scheduleMetadata(ctx, body.reason);
    const reserved: ResourceRef[] = [];
    const appointmentId = reserveFor(commit).appointmentId;
    try {
      // the holds first, the patient's stream (the commit point, last of `resources`) after them
      for (const resource of resources.filter((r) => r !== commit)) {
        await this.reserve(resource, reserveFor(resource), metadata, undefined);
        reserved.push(resource);
      }
      const committed = await this.reserve(commit, reserveFor(commit), metadata, ctx.ifMatch);
      reserved.push(commit);
      return {
        appointment: appointmentOf(committed.state.slots[appointmentId]),
        revision: committed.revision,
        position: committed.position,
      };
    } catch (error) {
      await this.compensate(
        reserved.filter((r) => r !== commit),
        appointmentId,
        ctx,
        error,
      );
      throw error;
    }
  }

  /**
   * Holds the time for the course without booking it (FHIR Appointment/$hold): every clinician and the room
   * are reserved with `holdUntil`, the patient's stream (the commit point) is not. `book` with the same
   * appointment id completes it; after `holdUntil` the hold lapses: the next booking that meets it clears it
   * (as it clears an abandoned booking), and a free-time search no longer counts it.
   */
  async hold(ctx: WriteContext, courseId: string, body: BookAppointmentRequest, holdMinutes: number): Promise<AppointmentHeld> {
    const appointmentId = newIdFor('appointment-hold', ctx.actor, ctx.idempotencyKey);
    const { resources, commit, reserveFor, timeZone } = await this.prepare(ctx, courseId, body, appointmentId);
    const holds = resources.filter((r) => r !== commit);
    const existing =
      holds.length > 0 ? (await this.store.load(scheduleDecider, scheduleStreamId(holds[0]))).state.slots[appointmentId] : undefined;
    // a retry of the same hold keeps the first expiry (reserving the same id and times again is a no-op)
    const holdUntil = existing?.holdUntil ?? formatInZone(this.clock.now().getTime() + holdMinutes * 60_000, timeZone);
    const held = (resource: ResourceRef): ReserveSlot => ({ ...reserveFor(resource), holdUntil });
    const clashes: FoundClash[] = [];
    for (const resource of resources) {
      // the patient is checked too (no hold on a time the patient is already booked), but not reserved
      const found = await this.findClash(ctx, resource, held(resource));
      if (found) clashes.push(found);
    }
    if (clashes.length > 0) throw scheduleClashError(clashes, ctx.actor.clinicId);
    const metadata = scheduleMetadata(ctx, body.reason ?? 'held for a hospital system (FHIR $hold)');
    const reserved: ResourceRef[] = [];
    let position: ExecuteResult<ScheduleState, ScheduleEvent>['position'];
    try {
      for (const resource of holds) {
        position = (await this.reserve(resource, held(resource), metadata, undefined)).position ?? position;
        reserved.push(resource);
      }
    } catch (error) {
      await this.compensate(reserved, appointmentId, ctx, error);
      throw error;
    }
    const first = reserveFor(commit);
    return { appointmentId, start: first.start, end: first.end, holdUntil, position };
  }

  /** the checks and the reservation commands of a booking or hold */
  private async prepare(ctx: WriteContext, courseId: string, body: BookAppointmentRequest, appointmentId: string) {
    const course = await this.courses.load(ctx.actor, courseId);
    requireActive(course.state);
    // only the clinic's own clinicians and rooms: another clinic's id is the same 404 as an unknown one
    await this.resources.requireClinicians(ctx.actor, body.clinicianIds);
    if (body.roomId) await this.resources.requireRoom(ctx.actor, body.roomId);
    const timeZone = course.catalogue.settings.timeZone;
    const intervention = course.catalogue.interventions.find((i) => i.code === body.intervention);
    if (!intervention) {
      throw new ApiError(422, 'UNKNOWN_INTERVENTION', 'The clinic offers no individual intervention with that code; see details.allowed.', {
        allowed: course.catalogue.interventions.map((i) => i.code),
      });
    }
    const minutes = body.durationMinutes ?? intervention.slotMinutes ?? intervention.durationMinutes;
    if (!minutes) {
      throw new ApiError(422, 'DURATION_REQUIRED', `The catalogue gives no length for ${intervention.name.en}; give durationMinutes.`, {
        intervention: intervention.code,
      });
    }
    const startMs = Date.parse(body.start);
    const start = formatInZone(startMs, timeZone);
    const end = formatInZone(startMs + minutes * 60_000, timeZone);
    const clinicianIds = [...new Set(body.clinicianIds)].sort();
    const commit: ResourceRef = { kind: 'patient', id: course.state.patientId };
    // one global order: clinicians, then the room, then the patient (the commit point) last
    const resources: ResourceRef[] = [
      ...clinicianIds.map((id) => ({ kind: 'clinician' as const, id })),
      ...(body.roomId ? [{ kind: 'room' as const, id: body.roomId }] : []),
      commit,
    ];
    const reserveFor = (resource: ResourceRef): ReserveSlot => ({
      type: 'ReserveSlot',
      now: this.clock.now().toISOString(),
      timeZone,
      appointmentId,
      kind: 'appointment',
      resource,
      start,
      end,
      courseId,
      intervention: intervention.code,
      clinicianIds,
      ...(body.roomId ? { roomId: body.roomId } : {}),
    });
    return { course, resources, commit, reserveFor, timeZone };
  }

  async cancel(ctx: WriteContext, courseId: string, appointmentId: string, reason: string): Promise<AppointmentWrite> {
    const course = await this.courses.load(ctx.actor, courseId);
    const commitStream = patientStream(course.state);
    const schedule = await this.store.load(scheduleDecider, commitStream);
    const slot = slotIn(schedule.state, appointmentId);
    if (!slot || slot.kind !== 'appointment' || slot.courseId !== courseId) throw ApiError.notFound('appointment', appointmentId);
    const metadata = scheduleMetadata(ctx, reason);
    const now = this.clock.now().toISOString();
    // the commit point first: from here on the appointment is cancelled, whatever happens to the holds below
    const result = await this.store.execute(
      scheduleDecider,
      commitStream,
      { type: 'ReleaseSlot', now, appointmentId, reason },
      { metadata, ifMatch: ctx.ifMatch, maxAttempts: MAX_ATTEMPTS },
    );
    let position = result.position;
    const holds: ResourceRef[] = [
      ...(slot.clinicianIds ?? []).map((id) => ({ kind: 'clinician' as const, id })),
      ...(slot.roomId ? [{ kind: 'room' as const, id: slot.roomId }] : []),
    ];
    for (const resource of holds) {
      try {
        const released = await this.store.execute(
          scheduleDecider,
          scheduleStreamId(resource),
          { type: 'ReleaseSlot', now, appointmentId, reason },
          { metadata, maxAttempts: MAX_ATTEMPTS },
        );
        // X-Event-Position: the last thing written, so a reader waiting for it sees the freed holds too
        if (released.position && (!position || comparePositions(released.position, position) > 0)) position = released.position;
      } catch (error) {
        // the next booking that runs into this hold sees the cancellation on the commit stream and releases it
        this.logger.warn(`releasing ${scheduleStreamId(resource)} for cancelled appointment ${appointmentId} failed: ${errorName(error)}`);
      }
    }
    return { appointment: appointmentOf(result.state.slots[appointmentId]), revision: result.revision, position };
  }

  private async findClash(ctx: WriteContext, resource: ResourceRef, command: ReserveSlot): Promise<FoundClash | undefined> {
    for (let repairs = 0; ; repairs++) {
      const loaded = await this.store.load(scheduleDecider, scheduleStreamId(resource));
      const decided = scheduleDecider.decide(command, loaded.state);
      if (!isDomainError(decided)) return undefined;
      if (decided.code !== 'SCHEDULE_CLASH') throw bookingRefused(decided.code, decided.message);
      const clashes = (decided.details.clashes as ClashDetails[] | undefined) ?? [decided.details.clash as ClashDetails];
      let repaired = false;
      if (resource.kind !== 'patient' && repairs < MAX_REPAIRS) {
        for (const clash of clashes) repaired = (await this.releaseIfAbandoned(ctx, resource, clash)) || repaired;
      }
      if (!repaired) return { resource, clashes, message: decided.message };
    }
  }

  /**
   * A hold on a clinician or room whose appointment never reached, or has left, the patient's stream (the
   * commit point): a booking or cancellation that crashed half-way. Released so the slot is free again.
   */
  private async releaseIfAbandoned(ctx: WriteContext, resource: ResourceRef, clash: ClashDetails): Promise<boolean> {
    if (clash.kind !== 'appointment') return this.holds.releaseIfStale(ctx, resource, clash);
    if (!clash.courseId) return false;
    const now = this.clock.now().toISOString();
    const metadata = scheduleMetadata(ctx, 'abandoned hold released');
    const course = await this.store.load(courseDecider, courseStreamId(clash.courseId));
    const patientId = course.state.patientId;
    if (patientId) {
      const commitStream = scheduleStreamId({ kind: 'patient', id: patientId });
      const commit = await this.store.load(scheduleDecider, commitStream);
      const slot = slotIn(commit.state, clash.appointmentId);
      if (slot?.status === 'reserved') return false;
      if (!slot && !commit.state.voided.includes(clash.appointmentId)) {
        // may still be in progress, or a hold ($hold) that has not lapsed yet
        const lapsesAt = clash.holdUntil ? Date.parse(clash.holdUntil) : Date.parse(clash.reservedAt) + ORPHAN_AFTER_MS;
        if (Date.parse(now) < lapsesAt) return false;
        try {
          await this.store.execute(
            scheduleDecider,
            commitStream,
            { type: 'VoidSlot', now, appointmentId: clash.appointmentId, reason: 'booking abandoned' },
            { metadata, maxAttempts: MAX_ATTEMPTS },
          );
        } catch (error) {
          if (error instanceof ApiError && error.code === 'APPOINTMENT_COMMITTED') return false; // it completed after all
          throw error;
        }
      }
    }
    await this.store.execute(
      scheduleDecider,
      scheduleStreamId(resource),
      { type: 'ReleaseSlot', now, appointmentId: clash.appointmentId, reason: 'abandoned hold released', compensation: true },
      { metadata, maxAttempts: MAX_ATTEMPTS },
    );
    this.logger.log(`released abandoned hold of appointment ${clash.appointmentId} on ${scheduleStreamId(resource)}`);
    return true;
  }

  private async reserve(resource: ResourceRef, command: ReserveSlot, metadata: EventMetadata, ifMatch: number | undefined) {
    try {
      return await this.store.execute(scheduleDecider, scheduleStreamId(resource), command, {
        metadata,
        ifMatch,
        maxAttempts: MAX_ATTEMPTS,
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'SCHEDULE_CLASH') {
        const clashes = (error.details.clashes as ClashDetails[] | undefined) ?? [error.details.clash as ClashDetails];
        throw scheduleClashError([{ resource, clashes, message: error.message }], metadata.clinicId);
      }
      if (error.statusCode === 422) throw bookingRefused(error.code, error.message);
      throw error;
    }
  }

  private async compensate(reserved: readonly ResourceRef[], appointmentId: string, ctx: WriteContext, cause: unknown): Promise<void> {
    const reason = `booking not completed (${cause instanceof ApiError ? cause.code : 'error'})`;
    const metadata = scheduleMetadata(ctx, reason);
    for (const resource of [...reserved].reverse()) {
      try {
        await this.store.execute(
          scheduleDecider,
          scheduleStreamId(resource),
          { type: 'ReleaseSlot', now: this.clock.now().toISOString(), appointmentId, reason, compensation: true },
          { metadata, maxAttempts: MAX_ATTEMPTS },
        );
      } catch (error) {
        // left as an abandoned hold: the next booking that meets it releases it (releaseIfAbandoned)
        this.logger.warn(`compensating ${scheduleStreamId(resource)} for appointment ${appointmentId} failed: ${errorName(error)}`);
      }
    }
  }
}

function requireActive(state: CourseState): void {
  if (state.status === 'active') return;
  if (state.status === 'ended') throw new ApiError(422, 'COURSE_ENDED', 'The course has ended; no appointments can be booked on it.');
  if (state.status === 'on_hold') {
    throw new ApiError(
      422,
      'REFERRAL_ON_HOLD',
      'The referral is on hold until the referrer sends what is missing; it has not been accepted yet.',
    );
  }
  throw new ApiError(422, 'VISITATION_NOT_ACCEPTED', 'The referral has not been accepted at paper visitation yet.');
}

/** the slot of an appointment if the stream has it (`slots` is a plain record: an unknown id reads undefined) */
const slotIn = (state: ScheduleState, appointmentId: string): Slot | undefined => state.slots[appointmentId];

const patientStream = (state: ReferredCourseState): string => scheduleStreamId({ kind: 'patient', id: state.patientId });

/**
 * Schedule streams take the request's key as `requestKey`, not `idempotencyKey`: DeciderStore would treat a
 * stream's earlier events with the key as this request's outcome, and on a clinician's stream those may be a
 * reservation *and* its compensation. Idempotency here comes from the appointment id derived from the key.
 */
function scheduleMetadata(ctx: WriteContext, reason?: string): EventMetadata {
  const { idempotencyKey, ...metadata } = ctx.metadata({ reason: reason?.trim() || undefined });
  return { ...metadata, ...(idempotencyKey ? { requestKey: idempotencyKey } : {}) };
}

function bookingRefused(code: string, message: string): ApiError {
  return new ApiError(409, code, message);
}

function preconditionFailed(streamId: string, expected: number, actual: number): ApiError {
  return new ApiError(412, 'PRECONDITION_FAILED', 'The appointments have changed since you loaded them. Reload them and try again.', {
    streamId,
    expectedRevision: expected,
    currentRevision: actual,
  });
}

const errorName = (error: unknown): string => (error instanceof ApiError ? error.code : error instanceof Error ? error.name : 'error');
