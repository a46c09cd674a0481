import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../../platform/auth/roles.decorator.js';
import { PatientData } from '../../../platform/access-log/patient-data.decorator.js';
import { CommandBus } from '@nestjs/cqrs';
import { IDEMPOTENCY, send } from '../enrolment.http.js';
import { ApiErrors } from '../enrolment.response.js';
import { checkId } from '../streams.js';
import { Write, type WriteContext } from '../../../platform/write-path/write-context.js';
import { RebookCourse } from './commands/rebook-course.command.js';
import { RebookRequest } from './rebooking.request.js';
import { RebookResponse } from './rebooking.response.js';

@ApiTags('enrolments')
@ApiBearerAuth()
@Controller('courses')
export class RebookingController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(':id/rebook')
  @PatientData({ use: 'write', courseParam: 'id', patientFrom: 'response' })
  @HttpCode(200)
  @Roles('secretary')
  @ApiOperation({
    summary: 'Move a course’s seat to another team of the same programme (secretary, admin)',
    description:
      'To a named team (toTeamId), or to the next team of the same programme (earliest first session) with a free seat, still open, on which the course is eligible and whose ' +
      'first session fits the course’s pathway window. Never two seats, never none: the target reserves first (a refusal — 409 TEAM_FULL, 422 NOT_ELIGIBLE, … — leaves the source ' +
      'seat untouched), the course records the move in one append, then the source releases. 409 NO_TEAM_AVAILABLE lists the teams considered and why each did not fit. ' +
      'If-Match names the source team’s revision. ETag = the target team’s revision.',
  })
  @ApiParam({ name: 'id', description: 'course id' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The source team’s ETag; 412 if it changed since' })
  @IDEMPOTENCY
  @ApiOkResponse({ type: RebookResponse })
  @ApiErrors(400, 401, 403, 404, 409, 412, 422)
  async rebook(@Param('id') id: string, @Body() body: RebookRequest, @Write() ctx: WriteContext, @Res({ passthrough: true }) res: Response): Promise<RebookResponse> {
    checkId('course', id);
    return send(res, await this.commandBus.execute(new RebookCourse(id, body, ctx)));
  }
}
