import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { formatInZone, type PlannedTeam } from '#app/domain';
import { CatalogueService } from '../../../platform/catalogue/catalogue.service.js';
import { Clock } from '../../../platform/clock/clock.js';
import { ApiError } from '../../../platform/http/api-error.js';
import { courseSideRefusal, EnrolmentStreams, httpError, TeamWriter, type LoadedCourse } from '../../enrolment/index.js';
import { HoldTeamSeat, type TeamSeatHeld } from './hold-team-seat.command.js';

/** The course-side checks (the course's stream, read), then HoldSeat on the team stream through TeamWriter (DeciderStore). */
@CommandHandler(HoldTeamSeat)
export class HoldTeamSeatHandler implements ICommandHandler<HoldTeamSeat> {
  constructor(
    @Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams,
    @Inject(TeamWriter) private readonly teams: TeamWriter,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ teamId, course, holdMinutes, reason, ctx }: HoldTeamSeat): Promise<TeamSeatHeld> {
    const team = await this.streams.ownTeam(ctx.actor, teamId);
    const catalogue = await this.catalogues.current(ctx.actor.clinicId);
    const now = formatInZone(this.clock.now().getTime(), catalogue.settings.timeZone);
    const courseSide = courseSideRefusal(course, team.state, now);
    if (courseSide) throw httpError(courseSide);
    const write = await this.teams.execute(
      teamId,
      [
        {
          type: 'HoldSeat',
          teamId,
          courseId: course.courseId,
          referralDate: referralDateOf(course),
          facts: course.state.facts,
          holdMinutes,
          now,
        },
      ],
      { metadata: ctx.metadata({ reason: reason ?? 'held for a hospital system (FHIR $hold)' }), ifMatch: ctx.ifMatch, now },
    );
    const state = write.result.state as PlannedTeam;
    const hold = state.holds?.find((h) => h.courseId === course.courseId);
    if (!hold) throw new ApiError(409, 'SEAT_NOT_HELD', 'The seat could not be held; please find seats again.');
    return {
      team: state,
      heldUntil: hold.heldUntil,
      revision: write.result.revision,
      ...(write.result.position ? { position: write.result.position } : {}),
    };
  }
}

/** when the course was referred (a loaded course is an open one: it was referred) */
function referralDateOf(course: LoadedCourse): string {
  return course.state.referral.receivedAt;
}
