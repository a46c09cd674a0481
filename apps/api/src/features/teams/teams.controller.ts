import { Body, Controller, Inject, Param, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { Clock } from '../../platform/clock/clock.js';
import { ReadEndpoint, WriteEndpoint } from '../../platform/http/endpoint.js';
import { CourseReadPolicy, hideParticipants } from '../../platform/privacy/course-read-policy.js';
import { Write, type WriteContext } from '../../platform/write-path/write-context.js';
import { setReadHeaders, setWriteHeaders } from '../../platform/write-path/write-response.js';
import { ApiScheduleClash, TeamSuggestionsQuery, TeamSuggestionsResponse, TeamSuggestionsService } from '../schedule/index.js';
import { AssignTherapist } from './commands/assign-therapist.command.js';
import { CancelSession } from './commands/cancel-session.command.js';
import { MoveSession } from './commands/move-session.command.js';
import { PlanTeam } from './commands/plan-team.command.js';
import { RecordAttendance } from './commands/record-attendance.command.js';
import { RemoveTherapist } from './commands/remove-therapist.command.js';
import type { TeamWritten } from './commands/team-written.js';
import { TeamStreams } from './team-streams.js';
import { sessionView, teamView } from './team-view.js';
import { AttendanceResponse, TeamResponse, TeamSummaryResponse } from './team.response.js';
import { TeamsQuery } from './teams.query.js';
import {
  AssignTherapistRequest,
  ListTeamsQuery,
  MoveSessionRequest,
  PlanTeamRequest,
  RecordAttendanceRequest,
  TeamReasonRequest,
} from './teams.request.js';

const IF_MATCH_TEAM = 'The team ETag (stream revision) you last read, e.g. "3"; 412 if the team changed since';
const TEAM_ID = ApiParam({ name: 'id', example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11', description: 'team id (stream team-<id>)' });
const SESSION_N = ApiParam({
  name: 'n',
  example: '1',
  description:
    'The 1-based session number in plan order (a retreat day counts: MBSR RETREAT is 8); a non-numeric value is taken as the session key (S1, RETREAT)',
});

@ApiTags('teams')
@Controller('teams')
export class TeamsController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(TeamStreams) private readonly teams: TeamStreams,
    @Inject(TeamsQuery) private readonly query: TeamsQuery,
    @Inject(CourseReadPolicy) private readonly policy: CourseReadPolicy,
    @Inject(TeamSuggestionsService) private readonly suggestions: TeamSuggestionsService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @ApiScheduleClash('the room')
  @WriteEndpoint({
    method: 'POST',
    roles: ['secretary'],
    summary: 'Plan a team of a programme in a room (admin or secretary)',
    description:
      "Loads the clinic's current catalogue and the room's seats (room stream) and sends PlanTeam: sessions follow the programme's plan at the local " +
      'start time (Europe/Copenhagen, kept across DST), capacity = min(programme seats, room seats). 422 PROGRAMME_NOT_FOUND, TEAM_START_IN_PAST; 404 unknown room. ' +
      'Every session (the MBSR retreat day too) reserves the room on its schedule stream: 409 SCHEDULE_CLASH lists every session that would overlap a booking of the room.',
    unprocessable: ['PROGRAMME_NOT_FOUND', 'TEAM_START_IN_PAST'],
    created: { type: TeamResponse, description: 'ETag = stream revision, X-Event-Position for X-Min-Position on GET /teams, Location' },
  })
  async plan(@Body() body: PlanTeamRequest, @Write() ctx: WriteContext, @Res({ passthrough: true }) res: Response): Promise<TeamResponse> {
    const written = await this.commandBus.execute(new PlanTeam(body, ctx));
    res.setHeader('Location', `/teams/${written.state.teamId}`);
    return this.respond(res, written);
  }

  @ReadEndpoint({
    roles: ['secretary', 'clinician', 'auditor'],
    summary: "The clinic's teams, filtered (from the team_summaries read model)",
    description:
      'Ordered by first session. Send X-Min-Position (or ?minPosition=) from a write to read your own write. 400 VALIDATION_FAILED for a bad filter.',
    ok: [TeamSummaryResponse],
    minPosition: true,
    errors: [400, 401],
  })
  list(@Query() query: ListTeamsQuery, @CurrentActor() actor: Actor): Promise<TeamSummaryResponse[]> {
    return this.query.list(actor, query);
  }

  @ReadEndpoint({
    path: 'suggestions',
    roles: ['secretary'],
    summary:
      'Next start dates for a team of a programme: a free room of the right size and enough qualified, free staff (admin or secretary)',
    description:
      "Day by day from `from` (09:00 and 13:00, or `startTime`), over the next 180 days: every session of the programme's plan (the MBSR retreat day too) " +
      "must find the smallest room with at least the programme's seats free, and for every staff role enough clinicians who meet the role's competence rule " +
      'at each session (the same rule POST /teams/{id}/therapists checks) and are free. From the read models (rooms, clinician directory, busy times); ' +
      'planning decides again on the schedule streams. 422 PROGRAMME_NOT_FOUND; 400 VALIDATION_FAILED.',
    ok: TeamSuggestionsResponse,
    minPosition: true,
    errors: [400, 401, 403, 422],
  })
  suggest(@Query() query: TeamSuggestionsQuery, @CurrentActor() actor: Actor): Promise<TeamSuggestionsResponse> {
    return this.suggestions.suggest(actor, query);
  }

  @ReadEndpoint({
    path: ':id',
    roles: ['secretary', 'clinician', 'auditor'],
    patientData: { use: 'read', patientFrom: 'response' },
    summary: 'A team from its stream: sessions, room, therapists, seats, waitlist, offers, staff rule, late-join cut-off',
    description:
      "ETag = stream revision (send it as If-Match on a write). Patients' courses (seats, waitlist, offers, attendance) appear as on the board: to secretaries, " +
      "administrators, auditors and the team's therapists; to other clinicians only their own microteam patients (else courseId is null).",
    ok: TeamResponse,
    errors: [401, 404],
  })
  @TEAM_ID
  async get(@Param('id') id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<TeamResponse> {
    const loaded = await this.teams.loadOwn(actor, id);
    setReadHeaders(res, loaded.revision);
    const shown = await this.policy.participantFilter(
      actor,
      loaded.state.therapists.map((t) => t.clinicianId),
    );
    return hideParticipants(teamView(loaded.state, loaded.revision, this.clock.now().toISOString()), shown);
  }

  @ApiScheduleClash('the clinician')
  @WriteEndpoint({
    method: 'POST',
    path: ':id/therapists',
    roles: ['secretary'],
    patientData: { use: 'write', patientFrom: 'response' },
    summary: 'Assign a therapist to the team in a staff role, or as apprentice (admin or secretary)',
    description:
      "The clinician's current state (stream clinician-<id>: professions, dated competences, employment, team history) is checked against the role's " +
      'competence rule at every session still to come: 422 COMPETENCE_MISSING lists every missing requirement. Also 422 ROLE_FULL, UNKNOWN_ROLE, ALREADY_ASSIGNED, APPRENTICES_NOT_ALLOWED. ' +
      'The clinician (therapist or apprentice) is reserved for every session that ends after now: 409 SCHEDULE_CLASH lists every clashing date at once.',
    ifMatch: IF_MATCH_TEAM,
    unprocessable: ['COMPETENCE_MISSING', 'ROLE_FULL', 'UNKNOWN_ROLE', 'ALREADY_ASSIGNED', 'APPRENTICES_NOT_ALLOWED'],
    created: TeamResponse,
  })
  @TEAM_ID
  async assign(
    @Param('id') id: string,
    @Body() body: AssignTherapistRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TeamResponse> {
    return this.respond(res, await this.commandBus.execute(new AssignTherapist(id, body, ctx)));
  }

  @WriteEndpoint({
    method: 'DELETE',
    path: ':id/therapists/:clinicianId',
    roles: ['secretary'],
    patientData: { use: 'write', patientFrom: 'response' },
    summary: 'Remove a therapist from the team (admin or secretary; reason in the JSON body)',
    description: "422 THERAPIST_NOT_ASSIGNED. Releases the clinician's reservations for the team's sessions.",
    ifMatch: IF_MATCH_TEAM,
    unprocessable: ['THERAPIST_NOT_ASSIGNED'],
    ok: TeamResponse,
  })
  @TEAM_ID
  @ApiParam({ name: 'clinicianId', example: 'C-0042' })
  async remove(
    @Param('id') id: string,
    @Param('clinicianId') clinicianId: string,
    @Body() body: TeamReasonRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TeamResponse> {
    return this.respond(res, await this.commandBus.execute(new RemoveTherapist(id, clinicianId, body.reason, ctx)));
  }

  @WriteEndpoint({
    method: 'POST',
    path: ':id/sessions/:n/attendance',
    roles: ['clinician', 'secretary'],
    patientData: { use: 'write', patientFrom: ['body', 'response'] },
    summary: 'Record attendance for a session: attended / no_show, relatives present (clinician or secretary)',
    description:
      'Refused with 422 STAFF_RULE_NOT_MET while the staff rule does not hold at the session, SESSION_NOT_STARTED before its start, SESSION_CANCELLED, ' +
      'COURSE_NOT_ON_TEAM (each course listed), RELATIVE_NOT_ALLOWED. A later record for the same course corrects the earlier one. Afterwards team service is ' +
      "recorded on each assigned therapist's clinician stream (idempotent), from which derived competences such as earlier Forstå smerte teams are counted.",
    ifMatch: IF_MATCH_TEAM,
    unprocessable: ['STAFF_RULE_NOT_MET', 'SESSION_NOT_STARTED', 'SESSION_CANCELLED', 'COURSE_NOT_ON_TEAM', 'RELATIVE_NOT_ALLOWED'],
    created: AttendanceResponse,
  })
  @TEAM_ID
  @SESSION_N
  async attendance(
    @Param('id') id: string,
    @Param('n') n: string,
    @Body() body: RecordAttendanceRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttendanceResponse> {
    const written = await this.commandBus.execute(new RecordAttendance(id, n, body, ctx));
    setWriteHeaders(res, written.result);
    return {
      teamId: written.state.teamId,
      session: sessionView(written.state, written.session),
      teamService: written.teamService,
      revision: written.result.revision,
    };
  }

  @WriteEndpoint({
    method: 'POST',
    path: ':id/sessions/:n/cancel',
    roles: ['secretary'],
    patientData: { use: 'write', patientFrom: 'response' },
    summary: 'Cancel one session (admin or secretary; reason required)',
    description: '422 SESSION_CANCELLED, SESSION_ALREADY_HELD. Releases the room and staff reserved for the session.',
    ifMatch: IF_MATCH_TEAM,
    unprocessable: ['SESSION_CANCELLED', 'SESSION_ALREADY_HELD'],
    ok: TeamResponse,
  })
  @TEAM_ID
  @SESSION_N
  async cancel(
    @Param('id') id: string,
    @Param('n') n: string,
    @Body() body: TeamReasonRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TeamResponse> {
    return this.respond(res, await this.commandBus.execute(new CancelSession(id, n, body.reason, ctx)));
  }

  @ApiScheduleClash('the room or an assigned clinician')
  @WriteEndpoint({
    method: 'POST',
    path: ':id/sessions/:n/move',
    roles: ['secretary'],
    patientData: { use: 'write', patientFrom: 'response' },
    summary: 'Move one session to a new start (and optionally another room) (admin or secretary; reason required)',
    description:
      '422 SESSION_IN_PAST, SESSION_ALREADY_HELD, SESSION_CANCELLED, ROOM_TOO_SMALL (fewer seats than patients on the team); 404 unknown room. ' +
      'The room and every assigned clinician are reserved at the new time and released at the old one: 409 SCHEDULE_CLASH lists every clash.',
    ifMatch: IF_MATCH_TEAM,
    unprocessable: ['SESSION_IN_PAST', 'SESSION_ALREADY_HELD', 'SESSION_CANCELLED', 'ROOM_TOO_SMALL'],
    ok: TeamResponse,
  })
  @TEAM_ID
  @SESSION_N
  async move(
    @Param('id') id: string,
    @Param('n') n: string,
    @Body() body: MoveSessionRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TeamResponse> {
    return this.respond(res, await this.commandBus.execute(new MoveSession(id, n, body, ctx)));
  }

  private respond(res: Response, written: TeamWritten): TeamResponse {
    setWriteHeaders(res, written.result);
    return teamView(written.state, written.result.revision, written.now);
  }
}
