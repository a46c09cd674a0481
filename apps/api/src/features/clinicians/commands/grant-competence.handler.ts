import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../platform/clock/clock.js';
import { ClinicianStreams } from '../clinician-streams.js';
import type { ClinicianWritten } from './clinician-written.js';
import { GrantCompetence } from './grant-competence.command.js';
import { writeClinician } from './write-clinician.js';

@CommandHandler(GrantCompetence)
export class GrantCompetenceHandler implements ICommandHandler<GrantCompetence> {
  constructor(
    @Inject(ClinicianStreams) private readonly streams: ClinicianStreams,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ clinicianId, input, ctx }: GrantCompetence): Promise<ClinicianWritten> {
    await this.streams.loadOwn(ctx.actor, clinicianId);
    const { competence, grantedAt, expiresAt, reason } = input;
    return writeClinician(
      this.streams,
      this.clock,
      ctx,
      clinicianId,
      (now) => ({ type: 'GrantCompetence', clinicianId, competence, grantedAt, expiresAt: expiresAt ?? null, now }),
      reason,
    );
  }
}
