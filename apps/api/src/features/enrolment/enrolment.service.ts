import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  isOnTeam,
  isWaitlisted,
  refuse,
  seatsTaken,
  type DomainError,
  type PlannedTeam,
  type RelativeInput,
  type TeamEvent,
} from '#app/domain';
import type { Position } from '#app/event-store';
import { ApiError, fromDomainError } from '../../platform/http/api-error.js';
import { CourseSeatSync, latestPosition, type SyncHints, type SyncReport } from './process-managers/course-seat-sync.js';
import type { WriteContext } from '../../platform/write-path/write-context.js';
import type { EnrolmentCancellationResponse, EnrolmentResponse, SeatOfferResponse, TeamSeatCountResponse } from './enrolment.dto.js';
import { courseSideRefusal, waitlistRefusal } from './seat-fit.js';
import { EnrolmentStreams, checkId } from './streams.js';
import { TeamWriter, type TeamWrite } from './team-writer.js';

/** refusals that mean "no seat for you now": the waitlist is the way in */
const FULL_CODES: ReadonlySet<string> = new Set(['TEAM_FULL', 'WAITLIST_HAS_PRIORITY', 'ROOM_FULL']);
/** domain codes this slice answers with 409 Conflict (the state of the team or course is in the way) */
const CONFLICT_CODES: ReadonlySet<string> = new Set(['WAITLIST_HAS_PRIORITY', 'ROOM_FULL', 'ALREADY_WAITLISTED', 'ALREADY_BOOKED_ON_PROGRAMME', 'SEAT_ALREADY_HELD']);

export function httpError(error: DomainError): ApiError {
  const api = fromDomainError(error);
  if (error.code === 'NOT_ENROLLED') return new ApiError(404, error.code, error.message, api.details);
  return CONFLICT_CODES.has(error.code) ? new ApiError(409, api.code, api.message, api.details) : api;
}

export function teamSeats(state: PlannedTeam): TeamSeatCountResponse {
  return { capacity: state.capacity, seatsTaken: seatsTaken(state), waiting: state.waitlist.length };
}

export function offersIn(events: readonly TeamEvent[]): SeatOfferResponse[] {
  return events.flatMap((e) => (e.type === 'SeatOffered' ? [{ courseId: e.data.courseId, offeredAt: e.data.offeredAt, expiresAt: e.data.expiresAt }] : []));
}

export interface WriteOutcome<T> {
  readonly body: T;
  readonly httpStatus: number;
  /** the team stream's revision (ETag) */
  readonly revision: number;
  /** the last position written (team write or its course follow-up) */
  readonly position?: Position;
}

/** Enrolment on a team (or its waitlist) and cancellation: POST/DELETE /courses/{id}/enrolments. */
@Injectable()
export class EnrolmentService {
  private readonly logger = new Logger('Enrolment');

  constructor(
    @Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams,
    @Inject(TeamWriter) private readonly teams: TeamWriter,
    @Inject(CourseSeatSync) private readonly sync: CourseSeatSync,
  ) {}

  async enrol(
    courseId: string,
    input: { teamId: string; joinWaitlistIfFull?: boolean; relatives?: readonly RelativeInput[]; reason?: string },
    ctx: WriteContext,
  ): Promise<WriteOutcome<EnrolmentResponse>> {
    const course = await this.streams.ownCourse(ctx.actor, courseId);
    const team = await this.streams.ownTeam(ctx.actor, input.teamId);
    const now = new Date().toISOString();
    const teamId = input.teamId;
    // the course must be able to record the seat before the team gives it (else it would be handed back at once)
    const courseSide = courseSideRefusal(course, team.state, now);
    if (courseSide && !this.alreadyWrittenByThisRequest(team.events, ctx)) throw httpError(courseSide);
    const metadata = ctx.metadata({ reason: input.reason });
    const referralDate = course.state.referral!.receivedAt;
    const facts = course.state.facts;
    let write: TeamWrite | undefined;
    for (let attempt = 1; !write; attempt++) {
      try {
        write = await this.teams.execute(
          teamId,
          () => [{ type: 'ReserveSeat', teamId, courseId, referralDate, facts, relatives: input.relatives ?? [], now }],
          // the team as loaded above decides the first attempt (a concurrent write makes it load again)
          { metadata, ifMatch: ctx.ifMatch, now, ...(attempt === 1 ? { loaded: team } : {}) },
        );
      } catch (error) {
        if (!(error instanceof ApiError) || !FULL_CODES.has(error.code)) throw error;
        if (!input.joinWaitlistIfFull) throw await this.fullError(error, teamId);
        const waitSide = waitlistRefusal(course, team.state, now);
        if (waitSide) throw httpError(waitSide);
        try {
          write = await this.teams.execute(teamId, () => [{ type: 'JoinWaitlist', teamId, courseId, referralDate, facts, now }], { metadata, ifMatch: ctx.ifMatch, now });
        } catch (joinError) {
          // a seat came free in between: take it instead (bounded: a seat is freed rarely)
          if (!(joinError instanceof ApiError && joinError.code === 'SEAT_AVAILABLE') || attempt >= 3) throw joinError;
        }
      }
    }
    const events = write.result.newEvents;
    const reserved = events.some((e) => e.type === 'SeatReserved' && e.data.courseId === courseId);
    const waitlisted = events.some((e) => e.type === 'CourseWaitlisted' && e.data.courseId === courseId);
    if (!reserved && !waitlisted) {
      throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request. Use a new key for a new request.');
    }
    const state = write.result.state as PlannedTeam;
    const report = await this.followUps(write, courseId, {
      course,
      team: { ...team, state, revision: write.result.revision, events: [...(write.result.loaded?.events ?? team.events), ...write.recorded] },
    });
    const position = state.waitlist.findIndex((w) => w.courseId === courseId) + 1;
    return {
      httpStatus: reserved ? 201 : 202,
      revision: write.result.revision,
      position: latestPosition([write.result.position, ...report.positions]),
      body: {
        status: reserved ? 'enrolled' : 'waitlisted',
        courseId,
        teamId,
        programme: state.programme.code,
        ...(reserved ? {} : { position: position > 0 ? position : undefined }),
        team: teamSeats(state),
        courseRecorded: recorded(report, courseId),
      },
    };
  }

  async cancel(courseId: string, teamId: string, reason: string | undefined, ctx: WriteContext): Promise<WriteOutcome<EnrolmentCancellationResponse>> {
    checkId('team', teamId);
    await this.streams.ownCourse(ctx.actor, courseId);
    await this.streams.ownTeam(ctx.actor, teamId);
    if (!reason?.trim()) throw new ApiError(422, 'REASON_REQUIRED', 'Please give a reason for the cancellation.', { field: 'reason' });
    const now = new Date().toISOString();
    const write = await this.teams.execute(
      teamId,
      (state) =>
        isOnTeam(state, courseId)
          ? [{ type: 'ReleaseSeat', teamId, courseId, reason, now }]
          : isWaitlisted(state, courseId)
            ? [{ type: 'LeaveWaitlist', teamId, courseId, reason, now }]
            : refuse('NOT_ENROLLED', 'The course has no seat and no waitlist place on this team.'),
      { metadata: ctx.metadata({ reason }), ifMatch: ctx.ifMatch, now },
    ).catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 'NOT_ENROLLED') throw new ApiError(404, error.code, error.message, { courseId, teamId });
      throw error;
    });
    const events = write.result.newEvents;
    const report = await this.followUps(write, undefined);
    return {
      httpStatus: 200,
      revision: write.result.revision,
      position: latestPosition([write.result.position, ...report.positions]),
      body: {
        status: events.some((e) => e.type === 'SeatReleased' && e.data.courseId === courseId) ? 'released' : 'left_waitlist',
        courseId,
        teamId,
        offers: offersIn(events),
        passedOver: write.passedOver.map((p) => ({ courseId: p.courseId, reasons: [...p.reasons] })),
        team: teamSeats(write.result.state as PlannedTeam),
      },
    };
  }

  /**
   * The course-side records of a team write, inline (the process manager repairs them if this fails or
   * the process dies here). When the course refused the seat for `courseId`, the team has handed it
   * back: the request fails with the course's refusal.
   */
  async followUps(write: TeamWrite, courseId: string | undefined, loaded?: SyncHints): Promise<SyncReport> {
    const report = await this.sync.afterTeamEvents(write.recorded, 'inline', 0, loaded).catch((error: unknown) => {
      this.logger.warn(`Course follow-ups left to the process manager: ${error instanceof Error ? error.message : String(error)}`);
      return { positions: [], outcomes: [], compensated: [], sourceReleased: false } satisfies SyncReport;
    });
    const refused = courseId ? report.compensated.find((c) => c.courseId === courseId) : undefined;
    if (refused) throw httpError(refused.error);
    return report;
  }

  private async fullError(error: ApiError, teamId: string): Promise<ApiError> {
    const team = await this.streams.team(teamId);
    const state = team?.state;
    return new ApiError(409, error.code, error.message, {
      ...error.details,
      waitlist: {
        waiting: state?.waitlist.length ?? 0,
        offersOutstanding: state?.offers.length ?? 0,
        canJoin: true,
        howToJoin: 'Send the same request with "joinWaitlistIfFull": true to put the course on the waitlist; a freed seat is offered in referral-date order.',
      },
    });
  }

  private alreadyWrittenByThisRequest(events: readonly { metadata: unknown }[], ctx: WriteContext): boolean {
    return !!ctx.idempotencyKey && events.some((e) => {
      const m = e.metadata as { idempotencyKey?: string; actor?: { staffId?: string } };
      return m.idempotencyKey === ctx.idempotencyKey && m.actor?.staffId === ctx.actor.staffId;
    });
  }
}

export function recorded(report: SyncReport, courseId: string): boolean {
  return report.outcomes.some((o) => o.courseId === courseId && (o.outcome === 'applied' || o.outcome === 'already'));
}
