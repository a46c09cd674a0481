import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../platform/auth/roles.decorator.js';
import { ApiErrors } from '../../platform/http/openapi.js';
import { CapacityOutlookService } from './capacity-outlook.service.js';
import { CapacityOutlookQuery, WaitingTimesQuery } from './reports.request.js';
import { CapacityOutlookResponse, WaitingTimesResponse } from './reports.response.js';
import { WaitingTimesService } from './waiting-times.service.js';

const MIN_POSITION = ApiHeader({
  name: 'X-Min-Position',
  required: false,
  description: 'wait until the read models have applied this position',
});

@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(
    @Inject(CapacityOutlookService) private readonly outlooks: CapacityOutlookService,
    @Inject(WaitingTimesService) private readonly waits: WaitingTimesService,
  ) {}

  @Get('capacity-outlook')
  @Roles('secretary', 'clinician', 'auditor')
  @ApiOperation({
    summary: 'Seats planned against patients who will need each programme, per ISO week',
    description:
      'Supply: teams (not cancelled) by the week of their first session. Demand: active courses by the week from which they will need the programme, ' +
      'from where their pathways stand (the next group step whose prerequisites are booked or done, dated by its window or its prerequisites). ' +
      'Aggregate counts only; no patient appears.',
  })
  @MIN_POSITION
  @ApiOkResponse({ type: CapacityOutlookResponse })
  @ApiErrors(400, 401, 403, 422)
  outlook(@Query() query: CapacityOutlookQuery, @CurrentActor() actor: Actor): Promise<CapacityOutlookResponse> {
    return this.outlooks.outlook(actor, query);
  }

  @Get('reports/waiting-times')
  @Roles('secretary', 'auditor')
  @ApiOperation({
    summary: 'Waiting times per referral month: to visitation, to the first consultation and to each step',
    description:
      'Cohorts by the local month the referral was received. Aggregate figures only; "still waiting" is judged at the time of the request.',
  })
  @MIN_POSITION
  @ApiOkResponse({ type: WaitingTimesResponse })
  @ApiErrors(400, 401, 403)
  waitingTimes(@Query() query: WaitingTimesQuery, @CurrentActor() actor: Actor): Promise<WaitingTimesResponse> {
    return this.waits.report(actor, query);
  }
}
