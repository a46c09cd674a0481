import { Module } from '@nestjs/common';
import { RosterModule } from '../../roster/index.js';
import { TeamBoardController } from './team-board.controller.js';
import { TeamBoardService } from './team-board.service.js';

/** GET /teams/{id}/board (team-board.v1 read model). */
@Module({
  imports: [RosterModule],
  providers: [TeamBoardService],
  controllers: [TeamBoardController],
})
export class TeamBoardModule {}
