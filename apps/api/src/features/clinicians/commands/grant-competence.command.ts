import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { GrantCompetenceRequest } from '../clinicians.request.js';
import type { ClinicianWritten } from './clinician-written.js';

/** Grant a clinician a dated competence (a renewal is a new grant). */
export class GrantCompetence extends Command<ClinicianWritten> {
  constructor(
    readonly clinicianId: string,
    readonly input: GrantCompetenceRequest,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
