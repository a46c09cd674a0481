import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { ClinicianWritten } from './clinician-written.js';

/** Revoke a competence the clinician holds (every unrevoked grant of that code). */
export class RevokeCompetence extends Command<ClinicianWritten> {
  constructor(
    readonly clinicianId: string,
    readonly competence: string,
    readonly reason: string,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
