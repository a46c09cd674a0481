import { Body, Controller, Get, HttpCode, Inject, Injectable, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { Response } from 'express';
import { toMillis, type PlannedTeam } from '#app/domain';
import type { Actor } from '../../../platform/auth/actor.js';
import { CurrentActor } from '../../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../../platform/auth/roles.decorator.js';
import { PatientData } from '../../../platform/access-log/patient-data.decorator.js';
import {
  ApiErrors,
  EnrolmentResponse,
  SeatOfferResponse,
  PassedOverResponse,
  EnrolmentRelativeRequest,
  DeclineOfferRequest,
  TeamSeatCountResponse,
} from '../enrolment.dto.js';
import { IDEMPOTENCY, IF_MATCH_TEAM, send } from '../enrolment.controller.js';
import { EnrolmentService, httpError, offersIn, recorded, teamSeats, type WriteOutcome } from '../enrolment.service.js';
import { courseSideRefusal } from '../seat-fit.js';
import { EnrolmentStreams, checkId } from '../streams.js';
import { TeamWriter } from '../team-writer.js';
import { latestPosition } from '../process-managers/course-seat-sync.js';
import { Write, type WriteContext } from '../../../platform/write-path/write-context.js';
import { setReadHeaders } from '../../../platform/write-path/write-response.js';
import { CourseReadPolicy, hideParticipants } from '../../../platform/privacy/course-read-policy.js';

export class AcceptOfferRequest {
  @ApiPropertyOptional({ type: [EnrolmentRelativeRequest], example: [{ age: 52 }] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => EnrolmentRelativeRequest)
  relatives?: EnrolmentRelativeRequest[];

  @ApiPropertyOptional({ example: 'The patient confirmed by phone' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason?: string;
}

export class DeclineResponse {
  @ApiProperty({ enum: ['declined'] }) status!: 'declined';
  @ApiProperty() courseId!: string;
  @ApiProperty() teamId!: string;
  @ApiProperty({ type: [SeatOfferResponse], description: 'the seat offered on to the next course in line' }) offers!: SeatOfferResponse[];
  @ApiProperty({ type: [PassedOverResponse] }) passedOver!: PassedOverResponse[];
  @ApiProperty({ type: TeamSeatCountResponse }) team!: TeamSeatCountResponse;
}

export class OpenSeatOfferResponse {
  @ApiProperty({ type: String, nullable: true, example: '5f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11', description: 'null when it is not yours to see (as on the board)' })
  courseId!: string | null;
  @ApiProperty({ example: '2025-03-03T09:00:00+01:00' }) offeredAt!: string;
  @ApiProperty({ example: '2025-03-05T09:00:00+01:00', description: 'The offer is held until then (catalogue settings.offerHoldHours)' }) expiresAt!: string;
  @ApiProperty({ description: 'the hold has run out; the sweeper will expire it and offer the seat on' }) expired!: boolean;
}

export class WaitingCourseResponse {
  @ApiProperty({ example: 1 }) position!: number;
  @ApiProperty({ type: String, nullable: true, description: 'null when it is not yours to see (as on the board)' }) courseId!: string | null;
  @ApiProperty({ example: '2025-01-06T09:00:00+01:00' }) referralDate!: string;
  @ApiProperty() joinedAt!: string;
  @ApiProperty({ description: 'holds an open offer' }) hasOffer!: boolean;
}

export class TeamOffersResponse {
  @ApiProperty() teamId!: string;
  @ApiProperty({ type: TeamSeatCountResponse }) team!: TeamSeatCountResponse;
  @ApiProperty({ type: [OpenSeatOfferResponse] }) offers!: OpenSeatOfferResponse[];
  @ApiProperty({ type: [WaitingCourseResponse], description: 'in fair order (referral date first)' }) waitlist!: WaitingCourseResponse[];
}

/** Confirming and declining a held seat offer (the secretary has talked to the patient). */
@Injectable()
export class SeatOfferService {
  constructor(
    @Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams,
    @Inject(TeamWriter) private readonly teams: TeamWriter,
    @Inject(EnrolmentService) private readonly enrolments: EnrolmentService,
    @Inject(CourseReadPolicy) private readonly policy: CourseReadPolicy,
  ) {}

  async accept(teamId: string, courseId: string, input: AcceptOfferRequest, ctx: WriteContext): Promise<WriteOutcome<EnrolmentResponse>> {
    const course = await this.streams.ownCourse(ctx.actor, courseId);
    const team = await this.streams.ownTeam(ctx.actor, teamId);
    const now = new Date().toISOString();
    const courseSide = courseSideRefusal(course, team.state, now);
    if (courseSide && team.state.offers.some((o) => o.courseId === courseId)) throw httpError(courseSide);
    const write = await this.teams.execute(
      teamId,
      () => [{ type: 'AcceptSeatOffer', teamId, courseId, facts: course.state.facts, relatives: input.relatives ?? [], now }],
      { metadata: ctx.metadata({ reason: input.reason }), ifMatch: ctx.ifMatch, now },
    );
    const report = await this.enrolments.followUps(write, courseId);
    const state = write.result.state as PlannedTeam;
    return {
      httpStatus: 200,
      revision: write.result.revision,
      position: latestPosition([write.result.position, ...report.positions]),
      body: { status: 'enrolled', courseId, teamId, programme: state.programme.code, team: teamSeats(state), courseRecorded: recorded(report, courseId) },
    };
  }

  async decline(teamId: string, courseId: string, reason: string, ctx: WriteContext): Promise<WriteOutcome<DeclineResponse>> {
    await this.streams.ownCourse(ctx.actor, courseId);
    await this.streams.ownTeam(ctx.actor, teamId);
    const now = new Date().toISOString();
    const write = await this.teams.execute(teamId, () => [{ type: 'DeclineSeatOffer', teamId, courseId, reason, now }], {
      metadata: ctx.metadata({ reason }),
      ifMatch: ctx.ifMatch,
      now,
    });
    const report = await this.enrolments.followUps(write, undefined);
    return {
      httpStatus: 200,
      revision: write.result.revision,
      position: latestPosition([write.result.position, ...report.positions]),
      body: {
        status: 'declined',
        courseId,
        teamId,
        offers: offersIn(write.result.newEvents),
        passedOver: write.passedOver.map((p) => ({ courseId: p.courseId, reasons: [...p.reasons] })),
        team: teamSeats(write.result.state as PlannedTeam),
      },
    };
  }

  async list(actor: Actor, teamId: string): Promise<{ body: TeamOffersResponse; revision: number }> {
    const team = await this.streams.ownTeam(actor, teamId);
    const s = team.state;
    const nowMs = Date.now();
    const shown = await this.policy.participantFilter(actor, s.therapists.map((t) => t.clinicianId));
    return {
      revision: team.revision,
      body: hideParticipants({
        teamId,
        team: teamSeats(s),
        offers: s.offers.map((o) => ({ ...o, expired: toMillis(o.expiresAt) <= nowMs })),
        waitlist: s.waitlist.map((w, i) => ({ position: i + 1, ...w, hasOffer: s.offers.some((o) => o.courseId === w.courseId) })),
      }, shown),
    };
  }
}

@ApiTags('seat offers')
@ApiBearerAuth()
@Controller('teams')
export class SeatOffersController {
  constructor(@Inject(SeatOfferService) private readonly offers: SeatOfferService) {}

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
    return send(res, await this.offers.accept(teamId, courseId, body, ctx));
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
    return send(res, await this.offers.decline(teamId, courseId, body.reason, ctx));
  }
}
