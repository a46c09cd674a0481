import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TeamScheduler } from '../../schedule/index.js';
import { TeamStreams } from '../team-streams.js';
import { RemoveTherapist } from './remove-therapist.command.js';
import { writeTeam, type TeamWritten } from './team-written.js';

@CommandHandler(RemoveTherapist)
export class RemoveTherapistHandler implements ICommandHandler<RemoveTherapist> {
  constructor(
    @Inject(TeamStreams) private readonly teams: TeamStreams,
    @Inject(TeamScheduler) private readonly scheduler: TeamScheduler,
  ) {}

  async execute({ teamId, clinicianId, reason, ctx }: RemoveTherapist): Promise<TeamWritten> {
    await this.teams.loadOwn(ctx.actor, teamId);
    return writeTeam(this.scheduler, ctx, teamId, (now) => ({ type: 'RemoveTherapist', teamId, clinicianId, reason, now }), reason);
  }
}
