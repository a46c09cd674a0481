import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../platform/clock/clock.js';
import { ApiError } from '../../../platform/http/api-error.js';
import { ClinicianStreams } from '../clinician-streams.js';
import type { ClinicianWritten } from './clinician-written.js';
import { RegisterClinician } from './register-clinician.command.js';
import { writeClinician } from './write-clinician.js';

@CommandHandler(RegisterClinician)
export class RegisterClinicianHandler implements ICommandHandler<RegisterClinician> {
  constructor(
    @Inject(ClinicianStreams) private readonly streams: ClinicianStreams,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ input, ctx }: RegisterClinician): Promise<ClinicianWritten> {
    const { clinicianId, professions, employmentStart, displayName, reason } = input;
    return writeClinician(
      this.streams,
      this.clock,
      ctx,
      clinicianId,
      (now) => ({ type: 'RegisterClinician', clinicianId, professions, employmentStart, ...(displayName ? { displayName } : {}), now }),
      reason,
    ).catch((error: unknown) => {
      // the same answer whether the id is taken in this clinic or another (no hint about other clinics)
      if (error instanceof ApiError && error.code === 'CLINICIAN_ALREADY_REGISTERED') {
        throw new ApiError(409, 'ALREADY_EXISTS', `A clinician with id ${clinicianId} is already registered.`, { id: clinicianId });
      }
      throw error;
    });
  }
}
