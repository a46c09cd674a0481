import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { TeamWritten } from './team-written.js';

/** Cancel one session; the room and staff reserved for it are released. */
export class CancelSession extends Command<TeamWritten> {
  constructor(
    readonly teamId: string,
    /** the session number or key of the route */
    readonly n: string,
    readonly reason: string,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
