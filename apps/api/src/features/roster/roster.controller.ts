import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { PatientData } from '../../platform/access-log/patient-data.decorator.js';
import { ApiErrors } from '../../platform/http/openapi.js';
import { IsInstant } from '../../platform/http/validators.js';
import { RosterResponse } from './roster.response.js';
import { RosterService } from './roster.service.js';
import { Roles } from '../../platform/auth/roles.decorator.js';

export class RosterQuery {
  @ApiPropertyOptional({
    example: '2026-03-09T08:00:00+01:00',
    description: 'judge deadlines at this instant instead of now (look ahead to Monday)',
  })
  @IsOptional()
  @IsInstant()
  at?: string;

  @ApiPropertyOptional({ example: false, description: 'also list ended courses (default false)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeEnded must be true or false' })
  includeEnded?: boolean;

  @ApiPropertyOptional({ example: '812-40', description: 'Same as the X-Min-Position header' })
  @IsOptional()
  @IsString()
  minPosition?: string;
}

const DESCRIPTION =
  'Every patient course whose microteam the clinician is in, with the pathway step, the next step to book, the next session or appointment, ' +
  'the role(s) held, and open items (overdue visitation against the 48-hour rule, a window about to close or missed, waiting for a seat) judged ' +
  'at the time of the request from the stored deadlines.';
const MIN_POSITION = ApiHeader({
  name: 'X-Min-Position',
  required: false,
  description: 'wait until the read models have applied this position',
});

@ApiTags('roster')
@ApiBearerAuth()
@Controller()
export class RosterController {
  constructor(@Inject(RosterService) private readonly rosters: RosterService) {}

  @Get('me/roster')
  @Roles('clinician', 'secretary')
  @PatientData({ use: 'read', patientFrom: 'response' })
  @ApiOperation({ summary: 'Your own microteam roster', description: DESCRIPTION })
  @MIN_POSITION
  @ApiOkResponse({ type: RosterResponse })
  @ApiErrors(400, 401)
  mine(@Query() query: RosterQuery, @CurrentActor() actor: Actor): Promise<RosterResponse> {
    return this.rosters.roster(actor, actor.staffId, query);
  }

  @Get('clinicians/:id/roster')
  @Roles('clinician', 'secretary')
  @PatientData({ use: 'read', patientFrom: 'response' })
  @ApiOperation({
    summary: "A clinician's microteam roster",
    description: `${DESCRIPTION} Your own, or (secretaries and administrators) anyone's in your clinic: 403 FORBIDDEN otherwise, 404 for an unknown clinician.`,
  })
  @ApiParam({ name: 'id', example: 'doc-17', description: 'staff id' })
  @MIN_POSITION
  @ApiOkResponse({ type: RosterResponse })
  @ApiErrors(400, 401, 403, 404)
  clinician(@Param('id') id: string, @Query() query: RosterQuery, @CurrentActor() actor: Actor): Promise<RosterResponse> {
    return this.rosters.roster(actor, id, query);
  }
}
