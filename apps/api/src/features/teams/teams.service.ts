import { Inject, Injectable } from '@nestjs/common';
import { newIdFor } from '../../platform/write-path/new-stream-id.js';
import { DataSource } from 'typeorm';
import {
  addDaysToLocalDate,
  formatInZone,
  isLocalDate,
  localToInstant,
  teamDecider,
  toMillis,
  type PlannedTeam,
  type SessionState,
  type TeamCommand,
  type TeamEvent,
  type TeamState,
} from '#app/domain';
import type { Actor } from '../../platform/auth/actor.js';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';
import { ClinicianStreams } from '../clinicians/clinician-streams.js';
import { UUID_PATTERN } from '../../platform/http/field-validators.js';
import { ApiError } from '../../platform/http/api-error.js';
import { RoomStreams } from '../rooms/room-streams.js';
import { DeciderStore, type ExecuteResult, type LoadedStream } from '../../platform/write-path/decider-store.js';
import type { WriteContext } from '../../platform/write-path/write-context.js';
import { requireOwnStream } from '../../platform/write-path/write-response.js';
import { TeamScheduler } from '../schedule/team-scheduler.js';
import { teamStreamId } from '../schedule/schedule-holds.js';
import { TeamServiceRecorder } from './team-service.recorder.js';
import type { TeamServiceOutcomeResponse, TeamSummaryResponse } from './team.response.js';
import type { AssignTherapistRequest, ListTeamsQuery, MoveSessionRequest, PlanTeamRequest, RecordAttendanceRequest } from './teams.dto.js';

export { teamStreamId } from '../schedule/schedule-holds.js';

export interface TeamWrite {
  readonly result: ExecuteResult<TeamState, TeamEvent>;
  readonly state: PlannedTeam;
  readonly now: string;
}

interface SummaryRow {
  team_id: string;
  programme_code: string;
  catalogue_version: number;
  room_id: string;
  first_session_at: Date | string;
  last_session_at: Date | string;
  late_join_cutoff: Date | string;
  capacity: number;
  seats_taken: number;
  waitlist_count: number;
  offers_outstanding: number;
  status: string;
  stream_revision: string | number;
  time_zone: string;
}

/** Team use cases over stream `team-<uuid>` and the `team_summaries` read model. */
@Injectable()
export class TeamsService {
  constructor(
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(RoomStreams) private readonly rooms: RoomStreams,
    @Inject(ClinicianStreams) private readonly clinicians: ClinicianStreams,
    @Inject(TeamServiceRecorder) private readonly teamService: TeamServiceRecorder,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(TeamScheduler) private readonly scheduler: TeamScheduler,
  ) {}

  /** The team's stream; 404 for malformed ids, unknown teams and other clinics' teams. */
  async loadOwn(actor: Actor, teamId: string): Promise<LoadedStream<PlannedTeam>> {
    if (!UUID_PATTERN.test(teamId)) throw ApiError.notFound('team', teamId);
    const loaded = await this.store.load(teamDecider, teamStreamId(teamId));
    requireOwnStream(loaded.events, actor, 'team', teamId);
    if (loaded.state.status !== 'planned') throw ApiError.notFound('team', teamId);
    return loaded as LoadedStream<PlannedTeam>;
  }

  async plan(ctx: WriteContext, body: PlanTeamRequest): Promise<TeamWrite> {
    const [catalogue, room] = await Promise.all([this.catalogues.current(ctx.actor.clinicId), this.rooms.roomInput(ctx.actor, body.roomId)]);
    const teamId = newIdFor('team', ctx.actor, ctx.idempotencyKey);
    return this.execute(ctx, teamId, (now) => ({
      type: 'PlanTeam',
      teamId,
      catalogue,
      programmeCode: body.programmeCode,
      room,
      startsOn: body.startsOn,
      startTime: body.startTime,
      now,
    }), body.reason);
  }

  async assign(ctx: WriteContext, teamId: string, body: AssignTherapistRequest): Promise<TeamWrite> {
    await this.loadOwn(ctx.actor, teamId);
    const clinician = await this.clinicians.loadOwn(ctx.actor, body.clinicianId);
    return this.execute(ctx, teamId, (now) => ({ type: 'AssignTherapist', teamId, clinicianId: body.clinicianId, role: body.role, clinician: clinician.state, now }), body.reason);
  }

  async remove(ctx: WriteContext, teamId: string, clinicianId: string, reason: string): Promise<TeamWrite> {
    await this.loadOwn(ctx.actor, teamId);
    return this.execute(ctx, teamId, (now) => ({ type: 'RemoveTherapist', teamId, clinicianId, reason, now }), reason);
  }

  async cancelSession(ctx: WriteContext, teamId: string, n: string, reason: string): Promise<TeamWrite> {
    const { state } = await this.loadOwn(ctx.actor, teamId);
    const session = resolveSession(state, n);
    return this.execute(ctx, teamId, (now) => ({ type: 'CancelSession', teamId, sessionKey: session.key, reason, now }), reason);
  }

  async moveSession(ctx: WriteContext, teamId: string, n: string, body: MoveSessionRequest): Promise<TeamWrite> {
    const { state } = await this.loadOwn(ctx.actor, teamId);
    const session = resolveSession(state, n);
    const room = body.roomId === undefined ? undefined : await this.rooms.roomInput(ctx.actor, body.roomId);
    return this.execute(
      ctx,
      teamId,
      (now) => ({ type: 'MoveSession', teamId, sessionKey: session.key, startsAt: body.startsAt, ...(room ? { room } : {}), reason: body.reason, now }),
      body.reason,
    );
  }

  /** Records attendance, then team service on every assigned therapist's clinician stream. */
  async recordAttendance(
    ctx: WriteContext,
    teamId: string,
    n: string,
    body: RecordAttendanceRequest,
  ): Promise<TeamWrite & { session: SessionState; teamService: TeamServiceOutcomeResponse[] }> {
    const { state } = await this.loadOwn(ctx.actor, teamId);
    const key = resolveSession(state, n).key;
    const written = await this.execute(ctx, teamId, (now) => ({
      type: 'RecordAttendance',
      teamId,
      sessionKey: key,
      entries: body.entries.map((e) => ({ courseId: e.courseId, status: e.status === 'no_show' ? 'noShow' : 'attended', relativesPresent: e.relativesPresent ?? 0 })),
      now,
    }));
    const session = written.state.sessions.find((s) => s.key === key)!;
    const teamService = await this.teamService.record(ctx.actor, written.state, session, ctx.metadata(), written.now);
    return { ...written, session, teamService };
  }

  async list(actor: Actor, query: ListTeamsQuery): Promise<TeamSummaryResponse[]> {
    const where = ['clinic_id = $1'];
    const params: unknown[] = [actor.clinicId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.programme) where.push(`programme_code = ${param(query.programme)}`);
    if (query.from !== undefined || query.to !== undefined) {
      // a clinic without a catalogue yet has no teams either; the contract's zone then reads the dates
      const timeZone = await this.catalogues.current(actor.clinicId).then((c) => c.settings.timeZone, () => 'Europe/Copenhagen');
      const from = query.from === undefined ? undefined : boundary(query.from, timeZone, 'start');
      const to = query.to === undefined ? undefined : boundary(query.to, timeZone, 'end');
      if (from !== undefined && to !== undefined && from > to) {
        throw new ApiError(400, 'VALIDATION_FAILED', 'Some fields are missing or wrong: to.', { fields: [{ field: 'to', problems: ['to must not be before from'] }] });
      }
      if (from !== undefined) where.push(`first_session_at >= ${param(new Date(from).toISOString())}`);
      if (to !== undefined) where.push(`first_session_at <= ${param(new Date(to).toISOString())}`);
    }
    if (query.hasSeats !== undefined) {
      const bookable = `(status = 'planned' AND late_join_cutoff > ${param(new Date().toISOString())} AND capacity - seats_taken > waitlist_count - offers_outstanding)`;
      where.push(query.hasSeats ? bookable : `NOT ${bookable}`);
    }
    const rows: SummaryRow[] = await this.dataSource.query(
      `SELECT team_id, programme_code, catalogue_version, room_id, first_session_at, last_session_at, late_join_cutoff, capacity, seats_taken,
              waitlist_count, offers_outstanding, status, stream_revision, time_zone
         FROM team_summaries WHERE ${where.join(' AND ')} ORDER BY first_session_at, team_id LIMIT ${param(query.limit ?? 100)}`,
      params,
    );
    return rows.map((r) => {
      const at = (value: Date | string) => formatInZone(new Date(value).getTime(), r.time_zone);
      return {
        teamId: r.team_id,
        programmeCode: r.programme_code,
        catalogueVersion: Number(r.catalogue_version),
        roomId: r.room_id,
        firstSessionAt: at(r.first_session_at),
        lastSessionAt: at(r.last_session_at),
        lateJoinCutoff: at(r.late_join_cutoff),
        capacity: Number(r.capacity),
        seatsTaken: Number(r.seats_taken),
        freeSeats: Math.max(0, Number(r.capacity) - Number(r.seats_taken)),
        waitlistCount: Number(r.waitlist_count),
        offersOutstanding: Number(r.offers_outstanding),
        status: r.status,
        revision: Number(r.stream_revision),
      };
    });
  }

  private async execute(ctx: WriteContext, teamId: string, command: (now: string) => TeamCommand, reason?: string): Promise<TeamWrite> {
    // the team's room and staff are reserved on their schedule streams as part of the write (TeamScheduler)
    const { now, ...result } = await this.scheduler.execute(ctx, teamId, (at) => command(at), reason);
    if (result.state.status !== 'planned') throw new Error('a team write left the team unplanned');
    return { result, state: result.state, now };
  }
}

/**
 * `{n}` in session routes: digits are the 1-based session number in plan order (a retreat day counts);
 * anything else is a session key from the catalogue's plan (`S1`, `RETREAT`). 404 when there is no such session.
 */
export function resolveSession(state: PlannedTeam, n: string): SessionState {
  const session = /^\d{1,3}$/.test(n) ? state.sessions[Number(n) - 1] : state.sessions.find((s) => s.key === n);
  if (!session) throw new ApiError(404, 'NOT_FOUND', `The team has no session ${n}.`, { what: 'session', id: n });
  return session;
}

/** a date filter's instant: a local date is the start (or the end) of that day in the clinic's zone */
function boundary(value: string, timeZone: string, edge: 'start' | 'end'): number {
  if (!isLocalDate(value)) return toMillis(value);
  if (edge === 'start') return toMillis(localToInstant(value, '00:00', timeZone));
  return toMillis(localToInstant(addDaysToLocalDate(value, 1), '00:00', timeZone)) - 1;
}
