import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../platform/clock/clock.js';
import { ApiError } from '../../../platform/http/api-error.js';
import { CODE_PATTERN } from '../../../platform/http/field-validators.js';
import { ClinicianStreams } from '../clinician-streams.js';
import type { ClinicianWritten } from './clinician-written.js';
import { RevokeCompetence } from './revoke-competence.command.js';
import { writeClinician } from './write-clinician.js';

@CommandHandler(RevokeCompetence)
export class RevokeCompetenceHandler implements ICommandHandler<RevokeCompetence> {
  constructor(
    @Inject(ClinicianStreams) private readonly streams: ClinicianStreams,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ clinicianId, competence, reason, ctx }: RevokeCompetence): Promise<ClinicianWritten> {
    await this.streams.loadOwn(ctx.actor, clinicianId);
    if (!CODE_PATTERN.test(competence))
      throw new ApiError(404, 'NOT_FOUND', `There is no competence ${competence}.`, { what: 'competence', id: competence });
    return writeClinician(
      this.streams,
      this.clock,
      ctx,
      clinicianId,
      (now) => ({ type: 'RevokeCompetence', clinicianId, competence, now }),
      reason,
    );
  }
}
