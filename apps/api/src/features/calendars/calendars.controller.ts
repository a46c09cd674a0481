import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { PatientData } from '../../platform/access-log/patient-data.decorator.js';
import { ApiErrors } from '../../platform/http/openapi.js';
import { ApiError } from '../../platform/http/api-error.js';
import { CalendarResponse } from './calendar.response.js';
import { CalendarService, type CalendarKind } from './calendar.service.js';
import { CalendarQuery } from './calendars.request.js';
import { Roles } from '../../platform/auth/roles.decorator.js';
import { CourseRead } from '../../platform/privacy/course-read-policy.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const MIN_POSITION = ApiHeader({
  name: 'X-Min-Position',
  required: false,
  description: 'wait until the read models have applied this position (from X-Event-Position)',
});
const RANGE =
  'Items overlapping [from, to), cancelled ones included as cancelled; each with a stable uid and a sequence that grows on every change of time, place or status.';

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('calendars')
export class CalendarsController {
  constructor(@Inject(CalendarService) private readonly calendars: CalendarService) {}

  @Get('clinicians/:id')
  @Roles('secretary', 'clinician', 'auditor')
  @PatientData({ use: 'read', patientFrom: 'response' })
  @ApiOperation({
    summary: "A clinician's calendar: the team sessions they staff and the appointments they take part in",
    description: `${RANGE} Your own calendar; another clinician's only for secretaries and administrators (403 FORBIDDEN otherwise).`,
  })
  @ApiParam({ name: 'id', example: 'doc-17', description: 'staff id' })
  @MIN_POSITION
  @ApiOkResponse({ type: CalendarResponse })
  @ApiErrors(400, 401, 403, 404)
  clinician(@Param('id') id: string, @Query() query: CalendarQuery, @CurrentActor() actor: Actor): Promise<CalendarResponse> {
    return this.read(actor, 'clinician', id, query);
  }

  @Get('rooms/:id')
  @Roles('secretary', 'clinician', 'auditor')
  @PatientData({ use: 'read', patientFrom: 'response' })
  @ApiOperation({
    summary: "A room's calendar: team sessions and appointments held in it",
    description: `${RANGE} Patients' courses are listed only where you may see them.`,
  })
  @ApiParam({ name: 'id', example: '7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10', description: 'room id' })
  @MIN_POSITION
  @ApiOkResponse({ type: CalendarResponse })
  @ApiErrors(400, 401, 404)
  room(@Param('id') id: string, @Query() query: CalendarQuery, @CurrentActor() actor: Actor): Promise<CalendarResponse> {
    return this.read(actor, 'room', id, query);
  }

  @Get('teams/:id')
  @Roles('secretary', 'clinician', 'auditor')
  @PatientData({ use: 'read', patientFrom: 'response' })
  @ApiOperation({
    summary: "A team's calendar: its sessions",
    description: `${RANGE} Patients' courses are listed only where you may see them.`,
  })
  @ApiParam({ name: 'id', example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11', description: 'team id' })
  @MIN_POSITION
  @ApiOkResponse({ type: CalendarResponse })
  @ApiErrors(400, 401, 404)
  team(@Param('id') id: string, @Query() query: CalendarQuery, @CurrentActor() actor: Actor): Promise<CalendarResponse> {
    return this.read(actor, 'team', id, query);
  }

  @Get('courses/:id')
  @Roles('secretary', 'clinician', 'auditor')
  @CourseRead('id')
  @PatientData({ use: 'read', courseParam: 'id', patientFrom: 'response' })
  @ApiOperation({
    summary: "A patient course's calendar: its team sessions, appointments and individually booked steps",
    description: `${RANGE} Only for the course's microteam, secretaries and administrators (403 FORBIDDEN otherwise).`,
  })
  @ApiParam({ name: 'id', example: 'b0e5c1f2-7a0c-4c55-9d8e-2c3e4f5a6b7c', description: 'course id' })
  @MIN_POSITION
  @ApiOkResponse({ type: CalendarResponse })
  @ApiErrors(400, 401, 403, 404)
  course(@Param('id') id: string, @Query() query: CalendarQuery, @CurrentActor() actor: Actor): Promise<CalendarResponse> {
    return this.read(actor, 'course', id, query);
  }

  private read(actor: Actor, kind: CalendarKind, id: string, query: CalendarQuery): Promise<CalendarResponse> {
    // `<id>.ics` is the iCalendar feed (its own route); a malformed id is simply unknown
    if (!ID.test(id) || id.endsWith('.ics')) throw ApiError.notFound(kind === 'course' ? 'course' : kind, id);
    return this.calendars.calendar(actor, kind, id, query);
  }
}
