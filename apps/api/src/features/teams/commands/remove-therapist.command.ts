import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { TeamWritten } from './team-written.js';

/** Remove a therapist from the team; their reservations for its sessions are released. */
export class RemoveTherapist extends Command<TeamWritten> {
  constructor(
    readonly teamId: string,
    readonly clinicianId: string,
    readonly reason: string,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
