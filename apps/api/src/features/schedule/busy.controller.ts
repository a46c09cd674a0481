import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../platform/auth/roles.decorator.js';
import { ApiErrors } from '../../platform/http/openapi.js';
import { ClinicianStreams } from '../clinicians/index.js';
import { RoomStreams } from '../rooms/index.js';
import { BusyQuery } from './busy.request.js';
import { BusyResponse } from './busy.response.js';
import { BusyTimesService } from './busy-times.service.js';

const MIN_POSITION = ApiHeader({
  name: 'X-Min-Position',
  required: false,
  description: 'wait until the read model has applied this position (from a write)',
});
const DESCRIPTION =
  'From the busy_times read model (kept from the schedule streams by a durable subscription; rebuildable). Every team session, appointment and ' +
  "booked pathway step that holds it and overlaps [from, to): the times and what kind of booking, the team only when it is the caller's clinic's, " +
  "never a patient or course. 400 VALIDATION_FAILED for a bad or too long window (at most 400 days); 404 for an unknown id or another clinic's.";

@ApiTags('schedule')
@ApiBearerAuth()
@Controller()
export class BusyController {
  constructor(
    @Inject(BusyTimesService) private readonly busy: BusyTimesService,
    @Inject(RoomStreams) private readonly rooms: RoomStreams,
    @Inject(ClinicianStreams) private readonly clinicians: ClinicianStreams,
  ) {}

  @Get('rooms/:id/busy')
  @Roles('secretary', 'clinician', 'auditor')
  @ApiOperation({ summary: "A room's busy times (secretary, clinician, auditor)", description: DESCRIPTION })
  @ApiParam({ name: 'id', example: '7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10', description: 'room id' })
  @MIN_POSITION
  @ApiOkResponse({ type: BusyResponse })
  @ApiErrors(400, 401, 403, 404)
  async room(@Param('id') id: string, @Query() query: BusyQuery, @CurrentActor() actor: Actor): Promise<BusyResponse> {
    await this.rooms.roomInput(actor, id);
    return this.busy.busy(actor, 'room', id, query);
  }

  @Get('clinicians/:id/busy')
  @Roles('secretary', 'clinician', 'auditor')
  @ApiOperation({ summary: "A clinician's busy times (secretary, clinician, auditor)", description: DESCRIPTION })
  @ApiParam({ name: 'id', example: 'C-0042', description: "the clinician's staff id" })
  @MIN_POSITION
  @ApiOkResponse({ type: BusyResponse })
  @ApiErrors(400, 401, 403, 404)
  async clinician(@Param('id') id: string, @Query() query: BusyQuery, @CurrentActor() actor: Actor): Promise<BusyResponse> {
    await this.clinicians.loadOwn(actor, id);
    return this.busy.busy(actor, 'clinician', id, query);
  }
}
