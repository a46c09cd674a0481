import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PlannedTeam } from '#app/domain';
import { Clock } from '../../../../platform/clock/clock.js';
import type { EnrolmentResponse } from '../../enrolment.response.js';
import { InlineFollowUps } from '../../inline-follow-ups.js';
import { latestPosition } from '../../process-managers/course-seat-sync.js';
import { courseSideRefusal } from '../../seat-fit.js';
import { httpError, recorded, teamSeats, type WriteOutcome } from '../../seat-writes.js';
import { EnrolmentStreams } from '../../streams.js';
import { TeamWriter } from '../../team-writer.js';
import { AcceptSeatOffer } from './accept-seat-offer.command.js';

@CommandHandler(AcceptSeatOffer)
export class AcceptSeatOfferHandler implements ICommandHandler<AcceptSeatOffer> {
  constructor(
    @Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams,
    @Inject(TeamWriter) private readonly teams: TeamWriter,
    @Inject(InlineFollowUps) private readonly followUps: InlineFollowUps,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ teamId, courseId, input, ctx }: AcceptSeatOffer): Promise<WriteOutcome<EnrolmentResponse>> {
    const { course, team } = await this.streams.ownCourseAndTeam(ctx.actor, courseId, teamId);
    const now = this.clock.now().toISOString();
    const courseSide = courseSideRefusal(course, team.state, now);
    if (courseSide && team.state.offers.some((o) => o.courseId === courseId)) throw httpError(courseSide);
    const write = await this.teams.execute(
      teamId,
      [{ type: 'AcceptSeatOffer', teamId, courseId, facts: course.state.facts, relatives: input.relatives ?? [], now }],
      {
        metadata: ctx.metadata({ reason: input.reason }),
        ifMatch: ctx.ifMatch,
        now,
      },
    );
    const report = await this.followUps.after(write, courseId);
    const state = write.result.state as PlannedTeam;
    return {
      httpStatus: 200,
      revision: write.result.revision,
      position: latestPosition([write.result.position, ...report.positions]),
      body: {
        status: 'enrolled',
        courseId,
        teamId,
        programme: state.programme.code,
        team: teamSeats(state),
        courseRecorded: recorded(report, courseId),
      },
    };
  }
}
