import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../platform/auth/roles.decorator.js';
import { MeResponse } from './me.response.js';

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
