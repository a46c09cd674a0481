import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../platform/auth/actor.js';
import { CurrentActor } from '../../../platform/auth/current-actor.decorator.js';
import { PatientData } from '../../../platform/access-log/patient-data.decorator.js';
import { ApiErrors } from '../../../platform/http/openapi.js';
import { TeamBoardResponse } from './team-board.response.js';
import { TeamBoardService } from './team-board.service.js';
import { Roles } from '../../../platform/auth/roles.decorator.js';

@ApiTags('teams')
@ApiBearerAuth()
@Controller('teams')
export class TeamBoardController {
  constructor(@Inject(TeamBoardService) private readonly boards: TeamBoardService) {}

  @Get(':id/board')
  @Roles('secretary', 'clinician', 'auditor')
  @PatientData({ use: 'read', patientFrom: 'response' })
  @ApiOperation({
    summary: "A team's board: seats taken and free, the waitlist in order, offers outstanding, staff and whether the staff rule holds",
    description:
      'From the team-board.v1 read model (send X-Min-Position after a write). Offers past their hold, the staff rule at the sessions still to come and ' +
      "the late-join cut-off are judged at the time of the request. Patients' courses appear to secretaries, administrators and the team's therapists; " +
      'to other clinicians only their own microteam patients (else courseId is null).',
  })
  @ApiParam({ name: 'id', example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11', description: 'team id' })
  @ApiHeader({ name: 'X-Min-Position', required: false, description: 'wait until the read models have applied this position' })
  @ApiOkResponse({ type: TeamBoardResponse })
  @ApiErrors(401, 404)
  board(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<TeamBoardResponse> {
    return this.boards.board(actor, id);
  }
}
