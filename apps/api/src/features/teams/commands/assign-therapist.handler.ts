import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ClinicianStreams } from '../../clinicians/index.js';
import { TeamScheduler } from '../../schedule/index.js';
import { TeamStreams } from '../team-streams.js';
import { AssignTherapist } from './assign-therapist.command.js';
import { writeTeam, type TeamWritten } from './team-written.js';

@CommandHandler(AssignTherapist)
export class AssignTherapistHandler implements ICommandHandler<AssignTherapist> {
  constructor(
    @Inject(TeamStreams) private readonly teams: TeamStreams,
    @Inject(ClinicianStreams) private readonly clinicians: ClinicianStreams,
    @Inject(TeamScheduler) private readonly scheduler: TeamScheduler,
  ) {}

  async execute({ teamId, input, ctx }: AssignTherapist): Promise<TeamWritten> {
    await this.teams.loadOwn(ctx.actor, teamId);
    const clinician = await this.clinicians.loadOwn(ctx.actor, input.clinicianId);
    return writeTeam(
      this.scheduler,
      ctx,
      teamId,
      (now) => ({ type: 'AssignTherapist', teamId, clinicianId: input.clinicianId, role: input.role, clinician: clinician.state, now }),
      input.reason,
    );
  }
}
