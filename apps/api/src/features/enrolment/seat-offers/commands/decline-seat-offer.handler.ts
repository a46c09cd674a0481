import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PlannedTeam } from '#app/domain';
import { Clock } from '../../../../platform/clock/clock.js';
import { InlineFollowUps } from '../../inline-follow-ups.js';
import { latestPosition } from '../../process-managers/course-seat-sync.js';
import { offersIn, teamSeats, type WriteOutcome } from '../../seat-writes.js';
import { EnrolmentStreams } from '../../streams.js';
import { TeamWriter } from '../../team-writer.js';
import type { DeclineResponse } from '../seat-offers.response.js';
import { DeclineSeatOffer } from './decline-seat-offer.command.js';

@CommandHandler(DeclineSeatOffer)
export class DeclineSeatOfferHandler implements ICommandHandler<DeclineSeatOffer> {
  constructor(
    @Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams,
    @Inject(TeamWriter) private readonly teams: TeamWriter,
    @Inject(InlineFollowUps) private readonly followUps: InlineFollowUps,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ teamId, courseId, reason, ctx }: DeclineSeatOffer): Promise<WriteOutcome<DeclineResponse>> {
    await this.streams.ownCourseAndTeam(ctx.actor, courseId, teamId);
    const now = this.clock.now().toISOString();
    const write = await this.teams.execute(teamId, [{ type: 'DeclineSeatOffer', teamId, courseId, reason, now }], {
      metadata: ctx.metadata({ reason }),
      ifMatch: ctx.ifMatch,
      now,
    });
    const report = await this.followUps.after(write, undefined);
    return {
      httpStatus: 200,
      revision: write.result.revision,
      position: latestPosition([write.result.position, ...report.positions]),
      body: {
        status: 'declined',
        courseId,
        teamId,
        offers: offersIn(write.result.newEvents),
        passedOver: write.passedOver.map((p) => ({ courseId: p.courseId, reasons: [...p.reasons] })),
        team: teamSeats(write.result.state as PlannedTeam),
      },
    };
  }
}
