import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { AssignTherapistRequest } from '../teams.request.js';
import type { TeamWritten } from './team-written.js';

/** Assign a therapist (or apprentice) in a staff role; they are reserved for every session still to come. */
export class AssignTherapist extends Command<TeamWritten> {
  constructor(
    readonly teamId: string,
    readonly input: AssignTherapistRequest,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
