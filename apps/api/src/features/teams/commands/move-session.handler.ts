import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RoomStreams } from '../../rooms/index.js';
import { TeamScheduler } from '../../schedule/index.js';
import { resolveSession, TeamStreams } from '../team-streams.js';
import { MoveSession } from './move-session.command.js';
import { writeTeam, type TeamWritten } from './team-written.js';

@CommandHandler(MoveSession)
export class MoveSessionHandler implements ICommandHandler<MoveSession> {
  constructor(
    @Inject(TeamStreams) private readonly teams: TeamStreams,
    @Inject(RoomStreams) private readonly rooms: RoomStreams,
    @Inject(TeamScheduler) private readonly scheduler: TeamScheduler,
  ) {}

  async execute({ teamId, n, input, ctx }: MoveSession): Promise<TeamWritten> {
    const { state } = await this.teams.loadOwn(ctx.actor, teamId);
    const session = resolveSession(state, n);
    const room = input.roomId === undefined ? undefined : await this.rooms.roomInput(ctx.actor, input.roomId);
    return writeTeam(
      this.scheduler,
      ctx,
      teamId,
      (now) => ({
        type: 'MoveSession',
        teamId,
        sessionKey: session.key,
        startsAt: input.startsAt,
        ...(room ? { room } : {}),
        reason: input.reason,
        now,
      }),
      input.reason,
    );
  }
}
