import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isOnTeam, isWaitlisted, refuse, type PlannedTeam } from '#app/domain';
import { Clock } from '../../../platform/clock/clock.js';
import { ApiError } from '../../../platform/http/api-error.js';
import type { EnrolmentCancellationResponse } from '../enrolment.response.js';
import { InlineFollowUps } from '../inline-follow-ups.js';
import { latestPosition } from '../process-managers/course-seat-sync.js';
import { offersIn, teamSeats, type WriteOutcome } from '../seat-writes.js';
import { checkId, EnrolmentStreams } from '../streams.js';
import { TeamWriter } from '../team-writer.js';
import { CancelEnrolment } from './cancel-enrolment.command.js';

/** ReleaseSeat, or LeaveWaitlist when the course only waits (decided on the team as the write finds it). */
@CommandHandler(CancelEnrolment)
export class CancelEnrolmentHandler implements ICommandHandler<CancelEnrolment> {
  constructor(
    @Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams,
    @Inject(TeamWriter) private readonly teams: TeamWriter,
    @Inject(InlineFollowUps) private readonly followUps: InlineFollowUps,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ courseId, teamId, reason, ctx }: CancelEnrolment): Promise<WriteOutcome<EnrolmentCancellationResponse>> {
    checkId('team', teamId);
    await this.streams.ownCourse(ctx.actor, courseId);
    await this.streams.ownTeam(ctx.actor, teamId);
    if (!reason?.trim()) throw new ApiError(422, 'REASON_REQUIRED', 'Please give a reason for the cancellation.', { field: 'reason' });
    const now = this.clock.now().toISOString();
    const write = await this.teams
      .execute(
        teamId,
        (state: PlannedTeam) =>
          isOnTeam(state, courseId)
            ? [{ type: 'ReleaseSeat', teamId, courseId, reason, now }]
            : isWaitlisted(state, courseId)
              ? [{ type: 'LeaveWaitlist', teamId, courseId, reason, now }]
              : refuse('NOT_ENROLLED', 'The course has no seat and no waitlist place on this team.'),
        { metadata: ctx.metadata({ reason }), ifMatch: ctx.ifMatch, now },
      )
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'NOT_ENROLLED')
          throw new ApiError(404, error.code, error.message, { courseId, teamId });
        throw error;
      });
    const events = write.result.newEvents;
    const report = await this.followUps.after(write, undefined);
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
}
