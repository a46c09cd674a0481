import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { RegisterClinicianRequest } from '../clinicians.request.js';
import type { ClinicianWritten } from './clinician-written.js';

/** Register a clinician of the caller's clinic (stream `clinician-<id>`). */
export class RegisterClinician extends Command<ClinicianWritten> {
  constructor(
    readonly input: RegisterClinicianRequest,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
