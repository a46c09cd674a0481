import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { MoveSessionRequest } from '../teams.request.js';
import type { TeamWritten } from './team-written.js';

/** Move one session to a new start (and optionally another room), reserving anew and releasing the old time. */
export class MoveSession extends Command<TeamWritten> {
  constructor(
    readonly teamId: string,
    /** the session number or key of the route */
    readonly n: string,
    readonly input: MoveSessionRequest,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
