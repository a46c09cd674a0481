import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../../platform/auth/actor.js';
import { CurrentActor } from '../../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../../platform/auth/roles.decorator.js';
import { PatientData } from '../../../platform/access-log/patient-data.decorator.js';
import { Write, type WriteContext } from '../../../platform/write-path/write-context.js';
import { setReadHeaders } from '../../../platform/write-path/write-response.js';
import { IDEMPOTENCY, IF_MATCH_TEAM, send } from '../enrolment.http.js';
import { DeclineOfferRequest } from '../enrolment.request.js';
import { ApiErrors, EnrolmentResponse } from '../enrolment.response.js';
import { checkId } from '../streams.js';
import { AcceptSeatOffer } from './commands/accept-seat-offer.command.js';
import { DeclineSeatOffer } from './commands/decline-seat-offer.command.js';
import { AcceptOfferRequest } from './seat-offers.request.js';
import { DeclineResponse, TeamOffersResponse } from './seat-offers.response.js';
import { SeatOffersQuery } from './seat-offers.query.js';

@ApiTags('seat offers')
@ApiBearerAuth()
@Controller('teams')
export class SeatOffersController {
  constructor(
    @Inject(SeatOffersQuery) private readonly offers: SeatOffersQuery,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
  ) {}

  @Get(':teamId/offers')
  @PatientData({ use: 'read', patientFrom: 'response' })
  @Roles('secretary', 'clinician', 'auditor')
  @ApiOperation({ summary: 'Open seat offers and the waitlist of a team (read from the team stream)', description: 'ETag = the team stream revision.' })
  @ApiParam({ name: 'teamId' })
  @ApiOkResponse({ type: TeamOffersResponse })
  @ApiErrors(401, 403, 404)
  async list(@Param('teamId') teamId: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<TeamOffersResponse> {
    const { body, revision } = await this.offers.list(actor, teamId);
    setReadHeaders(res, revision);
    return body;
  }

  @Post(':teamId/offers/:courseId/accept')
  @PatientData({ use: 'write', courseParam: 'courseId', patientFrom: 'response' })
  @HttpCode(200)
  @Roles('secretary')
  @ApiOperation({
    summary: 'The patient confirms a held seat offer: the course gets the seat (secretary, admin)',
    description: 'Checks eligibility on the course’s current facts (422 NOT_ELIGIBLE); 422 OFFER_EXPIRED after the hold; 422 NO_OFFER.',
  })
  @ApiParam({ name: 'teamId' })
  @ApiParam({ name: 'courseId' })
  @IF_MATCH_TEAM
  @IDEMPOTENCY
  @ApiOkResponse({ type: EnrolmentResponse })
  @ApiErrors(400, 401, 403, 404, 409, 412, 422)
  async accept(
    @Param('teamId') teamId: string,
    @Param('courseId') courseId: string,
    @Body() body: AcceptOfferRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EnrolmentResponse> {
    checkId('team', teamId);
    checkId('course', courseId);
    return send(res, await this.commandBus.execute(new AcceptSeatOffer(teamId, courseId, body, ctx)));
  }

  @Post(':teamId/offers/:courseId/decline')
  @PatientData({ use: 'write', courseParam: 'courseId', patientFrom: 'response' })
  @HttpCode(200)
  @Roles('secretary')
  @ApiOperation({
    summary: 'The patient declines a held seat offer: the course leaves the waitlist and the seat goes to the next in line (secretary, admin; reason required)',
  })
  @ApiParam({ name: 'teamId' })
  @ApiParam({ name: 'courseId' })
  @IF_MATCH_TEAM
  @IDEMPOTENCY
  @ApiOkResponse({ type: DeclineResponse })
  @ApiErrors(400, 401, 403, 404, 412, 422)
  async decline(
    @Param('teamId') teamId: string,
    @Param('courseId') courseId: string,
    @Body() body: DeclineOfferRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DeclineResponse> {
    checkId('team', teamId);
    checkId('course', courseId);
    return send(res, await this.commandBus.execute(new DeclineSeatOffer(teamId, courseId, body.reason, ctx)));
  }
}
