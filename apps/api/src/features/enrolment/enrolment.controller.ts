import { Body, Controller, Inject, Param, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { WriteEndpoint } from '../../platform/http/endpoint.js';
import { Write, type WriteContext } from '../../platform/write-path/write-context.js';
import { CancelEnrolment } from './commands/cancel-enrolment.command.js';
import { EnrolCourse } from './commands/enrol-course.command.js';
import { IF_MATCH_TEAM, SEAT_CONFLICTS, SEAT_REFUSALS, send } from './enrolment.http.js';
import { CancelEnrolmentRequest, EnrolRequest } from './enrolment.request.js';
import { EnrolmentCancellationResponse, EnrolmentResponse } from './enrolment.response.js';
import { checkId } from './streams.js';

@ApiTags('enrolments')
@Controller('courses')
export class EnrolmentController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @WriteEndpoint({
    method: 'POST',
    path: ':id/enrolments',
    roles: ['secretary'],
    patientData: { use: 'write', courseParam: 'id', patientFrom: 'response' },
    summary: 'Enrol a course on a team, or put it on the team’s waitlist (secretary, admin)',
    description:
      'The team stream is the source of truth for seats: ReserveSeat runs on the team with the course’s current facts and referral date. ' +
      '201 enrolled. A full team is 409 TEAM_FULL with details.waitlist (how many wait, and how to join); with joinWaitlistIfFull the course joins the waitlist: 202 with its place in line. ' +
      '422 NOT_ELIGIBLE lists every failed criterion. The course stream then records the seat (CourseSeatBooked / CourseWaitlistJoined) as an idempotent follow-up. ' +
      'If-Match applies to the team stream. ETag = the team stream revision; X-Event-Position = the last write.',
    ifMatch: IF_MATCH_TEAM,
    conflict: SEAT_CONFLICTS,
    unprocessable: SEAT_REFUSALS,
    created: { type: EnrolmentResponse, description: 'enrolled' },
    accepted: { type: EnrolmentResponse, description: 'waitlisted (joinWaitlistIfFull)' },
  })
  @ApiParam({ name: 'id', description: 'course id' })
  async enrol(
    @Param('id') id: string,
    @Body() body: EnrolRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EnrolmentResponse> {
    checkId('course', id);
    return send(res, await this.commandBus.execute(new EnrolCourse(id, body, ctx)));
  }

  @WriteEndpoint({
    method: 'DELETE',
    path: ':id/enrolments/:teamId',
    roles: ['secretary'],
    patientData: { use: 'write', courseParam: 'id', patientFrom: 'response' },
    summary: 'Cancel a seat (or a waitlist place) on a team (secretary, admin; reason required)',
    description:
      'ReleaseSeat (or LeaveWaitlist when the course only waits). A seat freed before the team’s late-join cut-off is offered to the first waiting course that is still eligible on its current facts ' +
      'and whose pathway window the team fits; courses that no longer fit are passed over (they leave the waitlist with the reasons, listed in passedOver). The offer is held for the catalogue’s offerHoldHours. ' +
      '404 NOT_ENROLLED when the course has neither a seat nor a waitlist place on the team.',
    ifMatch: IF_MATCH_TEAM,
    unprocessable: ['REASON_REQUIRED'],
    ok: EnrolmentCancellationResponse,
  })
  @ApiParam({ name: 'id', description: 'course id' })
  @ApiParam({ name: 'teamId' })
  @ApiQuery({ name: 'reason', required: false, description: 'the reason, when not sent in the body' })
  async cancel(
    @Param('id') id: string,
    @Param('teamId') teamId: string,
    // a DELETE may come without a body
    @Body() body: CancelEnrolmentRequest | undefined,
    @Query('reason') reasonQuery: string | undefined,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EnrolmentCancellationResponse> {
    checkId('course', id);
    return send(res, await this.commandBus.execute(new CancelEnrolment(id, teamId, body?.reason ?? reasonQuery, ctx)));
  }
}
