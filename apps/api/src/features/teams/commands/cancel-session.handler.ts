import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TeamScheduler } from '../../schedule/index.js';
import { resolveSession, TeamStreams } from '../team-streams.js';
import { CancelSession } from './cancel-session.command.js';
import { writeTeam, type TeamWritten } from './team-written.js';

@CommandHandler(CancelSession)
export class CancelSessionHandler implements ICommandHandler<CancelSession> {
  constructor(
    @Inject(TeamStreams) private readonly teams: TeamStreams,
    @Inject(TeamScheduler) private readonly scheduler: TeamScheduler,
  ) {}

  async execute({ teamId, n, reason, ctx }: CancelSession): Promise<TeamWritten> {
    const { state } = await this.teams.loadOwn(ctx.actor, teamId);
    const session = resolveSession(state, n);
    return writeTeam(
      this.scheduler,
      ctx,
      teamId,
      (now) => ({ type: 'CancelSession', teamId, sessionKey: session.key, reason, now }),
      reason,
    );
  }
}
