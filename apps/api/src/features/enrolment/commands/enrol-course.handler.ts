import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PlannedTeam } from '#app/domain';
import { Clock } from '../../../platform/clock/clock.js';
import { ApiError } from '../../../platform/http/api-error.js';
import { writtenWithKey } from '../../../platform/write-path/decider-store.js';
import type { EnrolmentResponse } from '../enrolment.response.js';
import { InlineFollowUps } from '../inline-follow-ups.js';
import { latestPosition } from '../process-managers/course-seat-sync.js';
import { courseSideRefusal, waitlistRefusal } from '../seat-fit.js';
import { httpError, recorded, teamSeats, type WriteOutcome } from '../seat-writes.js';
import { EnrolmentStreams } from '../streams.js';
import { TeamWriter, type TeamWrite } from '../team-writer.js';
import { EnrolCourse } from './enrol-course.command.js';

/** refusals that mean "no seat for you now": the waitlist is the way in */
const FULL_CODES: ReadonlySet<string> = new Set(['TEAM_FULL', 'WAITLIST_HAS_PRIORITY', 'ROOM_FULL']);

/** ReserveSeat on the team (the source of truth for seats), else JoinWaitlist when asked; then the course's record. */
@CommandHandler(EnrolCourse)
export class EnrolCourseHandler implements ICommandHandler<EnrolCourse> {
  constructor(
    @Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams,
    @Inject(TeamWriter) private readonly teams: TeamWriter,
    @Inject(InlineFollowUps) private readonly followUps: InlineFollowUps,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ courseId, input, ctx }: EnrolCourse): Promise<WriteOutcome<EnrolmentResponse>> {
    // both streams in one read; a missing course is answered before a missing team
    const { course, team } = await this.streams.ownCourseAndTeam(ctx.actor, courseId, input.teamId);
    const now = this.clock.now().toISOString();
    const teamId = input.teamId;
    const metadata = ctx.metadata({ reason: input.reason });
    // the course must be able to record the seat before the team gives it (else it would be handed back at once)
    const courseSide = courseSideRefusal(course, team.state, now);
    if (courseSide && writtenWithKey(team.events, metadata).length === 0) throw httpError(courseSide);
    const referralDate = course.state.referral.receivedAt;
    const facts = course.state.facts;
    let write: TeamWrite | undefined;
    for (let attempt = 1; !write; attempt++) {
      try {
        write = await this.teams.execute(
          teamId,
          [{ type: 'ReserveSeat', teamId, courseId, referralDate, facts, relatives: input.relatives ?? [], now }],
          // the team as loaded above decides the first attempt (a concurrent write makes it load again)
          { metadata, ifMatch: ctx.ifMatch, now, ...(attempt === 1 ? { loaded: team } : {}) },
        );
      } catch (error) {
        if (!(error instanceof ApiError) || !FULL_CODES.has(error.code)) throw error;
        if (!input.joinWaitlistIfFull) throw await this.fullError(error, teamId);
        const waitSide = waitlistRefusal(course, team.state, now);
        if (waitSide) throw httpError(waitSide);
        try {
          write = await this.teams.execute(teamId, [{ type: 'JoinWaitlist', teamId, courseId, referralDate, facts, now }], {
            metadata,
            ifMatch: ctx.ifMatch,
            now,
          });
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
      throw new ApiError(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
      );
    }
    const state = write.result.state as PlannedTeam;
    const report = await this.followUps.after(write, courseId, {
      course,
      team: {
        ...team,
        state,
        revision: write.result.revision,
        events: [...(write.result.loaded?.events ?? team.events), ...write.recorded],
      },
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

  /** TEAM_FULL and the like, with how to join the waitlist */
  private async fullError(error: ApiError, teamId: string): Promise<ApiError> {
    const state = (await this.streams.team(teamId))?.state;
    return new ApiError(409, error.code, error.message, {
      ...error.details,
      waitlist: {
        waiting: state?.waitlist.length ?? 0,
        offersOutstanding: state?.offers.length ?? 0,
        canJoin: true,
        howToJoin:
          'Send the same request with "joinWaitlistIfFull": true to put the course on the waitlist; a freed seat is offered in referral-date order.',
      },
    });
  }
}
