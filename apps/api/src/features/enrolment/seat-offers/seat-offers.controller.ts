import { Body, Controller, Inject, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../../platform/auth/actor.js';
import { CurrentActor } from '../../../platform/auth/current-actor.decorator.js';
import { ReadEndpoint, WriteEndpoint } from '../../../platform/http/endpoint.js';
import { Write, type WriteContext } from '../../../platform/write-path/write-context.js';
import { setReadHeaders } from '../../../platform/write-path/write-response.js';
import { IF_MATCH_TEAM, SEAT_CONFLICTS, SEAT_REFUSALS, send } from '../enrolment.http.js';
import { DeclineOfferRequest } from '../enrolment.request.js';
import { EnrolmentResponse } from '../enrolment.response.js';
import { checkId } from '../streams.js';
import { AcceptSeatOffer } from './commands/accept-seat-offer.command.js';
import { DeclineSeatOffer } from './commands/decline-seat-offer.command.js';
import { AcceptOfferRequest } from './seat-offers.request.js';
import { DeclineResponse, TeamOffersResponse } from './seat-offers.response.js';
import { SeatOffersQuery } from './seat-offers.query.js';

@ApiTags('seat offers')
@Controller('teams')
export class SeatOffersController {
  constructor(
    @Inject(SeatOffersQuery) private readonly offers: SeatOffersQuery,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
  ) {}

  @ReadEndpoint({
    path: ':teamId/offers',
    roles: ['secretary', 'clinician', 'auditor'],
    patientData: { use: 'read', patientFrom: 'response' },
    summary: 'Open seat offers and the waitlist of a team (read from the team stream)',
    description: 'ETag = the team stream revision.',
    ok: TeamOffersResponse,
    errors: [401, 403, 404],
  })
  @ApiParam({ name: 'teamId' })
  async list(
    @Param('teamId') teamId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TeamOffersResponse> {
    const { body, revision } = await this.offers.list(actor, teamId);
    setReadHeaders(res, revision);
    return body;
  }

  @WriteEndpoint({
    method: 'POST',
    path: ':teamId/offers/:courseId/accept',
    roles: ['secretary'],
    patientData: { use: 'write', courseParam: 'courseId', patientFrom: 'response' },
    summary: 'The patient confirms a held seat offer: the course gets the seat (secretary, admin)',
    description: 'Checks eligibility on the course’s current facts (422 NOT_ELIGIBLE); 422 OFFER_EXPIRED after the hold; 422 NO_OFFER.',
    ifMatch: IF_MATCH_TEAM,
    conflict: SEAT_CONFLICTS,
    unprocessable: SEAT_REFUSALS,
    ok: EnrolmentResponse,
  })
  @ApiParam({ name: 'teamId' })
  @ApiParam({ name: 'courseId' })
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

  @WriteEndpoint({
    method: 'POST',
    path: ':teamId/offers/:courseId/decline',
    roles: ['secretary'],
    patientData: { use: 'write', courseParam: 'courseId', patientFrom: 'response' },
    summary:
      'The patient declines a held seat offer: the course leaves the waitlist and the seat goes to the next in line (secretary, admin; reason required)',
    ifMatch: IF_MATCH_TEAM,
    unprocessable: ['NO_OFFER'],
    ok: DeclineResponse,
  })
  @ApiParam({ name: 'teamId' })
  @ApiParam({ name: 'courseId' })
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
