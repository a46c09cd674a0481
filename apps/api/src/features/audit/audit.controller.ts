import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { PatientData } from '../../platform/access-log/patient-data.decorator.js';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../platform/auth/roles.decorator.js';
import { ApiReadErrors } from '../../platform/http/openapi.js';
import { DiffQuery, HistoryQuery } from './audit.request.js';
import { CourseDiffResponse, CourseHistoryResponse, TeamHistoryResponse } from './audit.response.js';
import { CourseTimeline, type HistoryFilter } from './course-timeline.service.js';
import { CourseRead } from '../../platform/privacy/course-read-policy.js';

const COURSE_ID = ApiParam({ name: 'id', description: 'course id (uuid)', example: '0b6c2f7a-41a3-4f0e-8f57-3a1e2c9d4b55' });
const MIN_POSITION = ApiHeader({
  name: 'X-Min-Position',
  required: false,
  description: 'wait until the read models have applied this position (from X-Event-Position)',
});

function filterOf(query: HistoryQuery): HistoryFilter {
  return {
    ...(query.from !== undefined ? { from: Date.parse(query.from) } : {}),
    ...(query.to !== undefined ? { to: Date.parse(query.to) } : {}),
    ...(query.type !== undefined ? { types: query.type } : {}),
  };
}

/** Audit replay: the timeline of a course or a team in words, and what changed between two times. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(@Inject(CourseTimeline) private readonly timeline: CourseTimeline) {}

  @Get('courses/:id/history')
  @Roles('secretary', 'clinician', 'auditor')
  @CourseRead('id')
  @PatientData({ use: 'read', courseParam: 'id' })
  @ApiOperation({
    summary: 'The audit timeline of a course: every event in order, in words, with actor, role, on-behalf-of, reason and time',
    description:
      "The course's own events, every team-stream event naming the course (seat reserved, released, offered, waitlisted, attendance …, found " +
      "through the audit index) and its appointments' events on the patient's schedule, in global order. Filter by recording time " +
      '(`from`, `to`, inclusive) and event type (`type`, repeatable). Complete up to the moment of the request (503 READ_MODEL_BEHIND if the index cannot catch up within 5 s).',
  })
  @COURSE_ID
  @MIN_POSITION
  @ApiOkResponse({ type: CourseHistoryResponse })
  @ApiReadErrors()
  async courseHistory(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: HistoryQuery): Promise<CourseHistoryResponse> {
    const { patientId, entries } = await this.timeline.courseHistory(actor, id, filterOf(query));
    return { courseId: id, patientId, count: entries.length, entries } as unknown as CourseHistoryResponse;
  }

  @Get('courses/:id/diff')
  @Roles('secretary', 'clinician', 'auditor')
  @CourseRead('id')
  @PatientData({ use: 'read', courseParam: 'id' })
  @ApiOperation({
    summary: 'What changed on a course between two times',
    description:
      'GET /courses/{id}?asOf=from and ?asOf=to compared field by field (lists of steps, appointments, seats … by their ids), with the events recorded after `from` up to `to`. ' +
      'A course not yet registered at `from` shows every field as added.',
  })
  @COURSE_ID
  @MIN_POSITION
  @ApiOkResponse({ type: CourseDiffResponse })
  @ApiReadErrors()
  courseDiff(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: DiffQuery): Promise<CourseDiffResponse> {
    return this.timeline.courseDiff(actor, id, query.from, query.to) as unknown as Promise<CourseDiffResponse>;
  }

  @Get('teams/:id/history')
  // not clinicians: a team's therapists see its participants as the board shows them, nothing more
  @Roles('secretary', 'auditor')
  @PatientData({ use: 'read', patientFrom: 'response' })
  @ApiOperation({
    summary: 'The audit timeline of a team: every event of its stream in words, with actor, role, reason and time',
    description:
      'Filter by recording time (`from`, `to`) and event type (`type`, repeatable). Every course the answer names is recorded in the access log. ' +
      "Secretaries, auditors and administrators only: a clinician (the team's therapists included) sees the team's participants on its board.",
  })
  @ApiParam({ name: 'id', description: 'team id (uuid)', example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11' })
  @ApiOkResponse({ type: TeamHistoryResponse })
  @ApiReadErrors()
  async teamHistory(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: HistoryQuery): Promise<TeamHistoryResponse> {
    const entries = await this.timeline.teamHistory(actor, id, filterOf(query));
    return { teamId: id, count: entries.length, entries } as unknown as TeamHistoryResponse;
  }
}
