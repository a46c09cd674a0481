import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CatalogueService } from '../../../platform/catalogue/catalogue.service.js';
import { newIdFor } from '../../../platform/write-path/new-stream-id.js';
import { RoomStreams } from '../../rooms/index.js';
import { TeamScheduler } from '../../schedule/index.js';
import { PlanTeam } from './plan-team.command.js';
import { writeTeam, type TeamWritten } from './team-written.js';

@CommandHandler(PlanTeam)
export class PlanTeamHandler implements ICommandHandler<PlanTeam> {
  constructor(
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(RoomStreams) private readonly rooms: RoomStreams,
    @Inject(TeamScheduler) private readonly scheduler: TeamScheduler,
  ) {}

  async execute({ input, ctx }: PlanTeam): Promise<TeamWritten> {
    const [catalogue, room] = await Promise.all([
      this.catalogues.current(ctx.actor.clinicId),
      this.rooms.roomInput(ctx.actor, input.roomId),
    ]);
    const teamId = newIdFor('team', ctx.actor, ctx.idempotencyKey);
    return writeTeam(
      this.scheduler,
      ctx,
      teamId,
      (now) => ({
        type: 'PlanTeam',
        teamId,
        catalogue,
        programmeCode: input.programmeCode,
        room,
        startsOn: input.startsOn,
        startTime: input.startTime,
        now,
      }),
      input.reason,
    );
  }
}
