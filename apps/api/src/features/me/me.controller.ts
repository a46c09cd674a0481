import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ROLES, type Actor, type Role } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../platform/auth/roles.decorator.js';

class MeResponse {
  @ApiProperty({ example: 'S12' }) staffId: string;
  @ApiProperty({ enum: ROLES, isArray: true, example: ['secretary'] }) roles: Role[];
  @ApiProperty({ example: 'smertecenter-syd' }) clinicId: string;
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  @Get()
  @Roles('secretary', 'clinician', 'auditor', 'integration')
  @ApiOperation({ summary: 'Who the access token says you are' })
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentActor() actor: Actor): MeResponse {
    return { staffId: actor.staffId, roles: [...actor.roles], clinicId: actor.clinicId };
  }
}
