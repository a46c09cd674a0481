import { Body, Controller, Inject, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { WriteEndpoint } from '../../../platform/http/endpoint.js';
import { Write, type WriteContext } from '../../../platform/write-path/write-context.js';
import { SEAT_CONFLICTS, SEAT_REFUSALS, send } from '../enrolment.http.js';
import { checkId } from '../streams.js';
import { RebookCourse } from './commands/rebook-course.command.js';
import { RebookRequest } from './rebooking.request.js';
import { RebookResponse } from './rebooking.response.js';

@ApiTags('enrolments')
@Controller('courses')
export class RebookingController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @WriteEndpoint({
    method: 'POST',
    path: ':id/rebook',
    roles: ['secretary'],
    patientData: { use: 'write', courseParam: 'id', patientFrom: 'response' },
    summary: 'Move a course’s seat to another team of the same programme (secretary, admin)',
    description:
      'To a named team (toTeamId), or to the next team of the same programme (earliest first session) with a free seat, still open, on which the course is eligible and whose ' +
      'first session fits the course’s pathway window. Never two seats, never none: the target reserves first (a refusal — 409 TEAM_FULL, 422 NOT_ELIGIBLE, … — leaves the source ' +
      'seat untouched), the course records the move in one append, then the source releases. 409 NO_TEAM_AVAILABLE lists the teams considered and why each did not fit. ' +
      'If-Match names the source team’s revision. ETag = the target team’s revision.',
    ifMatch: 'The source team’s ETag; 412 if it changed since',
    conflict: ['NO_TEAM_AVAILABLE (details.considered)', 'SEAT_NOT_FOUND', ...SEAT_CONFLICTS],
    unprocessable: ['SAME_TEAM', 'PROGRAMME_MISMATCH', ...SEAT_REFUSALS],
    ok: RebookResponse,
  })
  @ApiParam({ name: 'id', description: 'course id' })
  async rebook(
    @Param('id') id: string,
    @Body() body: RebookRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RebookResponse> {
    checkId('course', id);
    return send(res, await this.commandBus.execute(new RebookCourse(id, body, ctx)));
  }
}
