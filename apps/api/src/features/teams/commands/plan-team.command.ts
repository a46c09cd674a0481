import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { PlanTeamRequest } from '../teams.request.js';
import type { TeamWritten } from './team-written.js';

/** Plan a team of a programme in a room: every session reserves the room (stream `team-<new id>`). */
export class PlanTeam extends Command<TeamWritten> {
  constructor(
    readonly input: PlanTeamRequest,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
