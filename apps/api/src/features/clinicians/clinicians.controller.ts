import { Body, Controller, Inject, Param, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { grantValidAt, toMillis, type ClinicianState } from '#app/domain';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { Write, type WriteContext } from '../../platform/write-path/write-context.js';
import { setReadHeaders, setWriteHeaders } from '../../platform/write-path/write-response.js';
import { ReadEndpoint, WriteEndpoint } from '../../platform/http/endpoint.js';
import { Clock } from '../../platform/clock/clock.js';
import { ClinicianStreams } from './clinician-streams.js';
import { GrantCompetence } from './commands/grant-competence.command.js';
import { RegisterClinician } from './commands/register-clinician.command.js';
import { RevokeCompetence } from './commands/revoke-competence.command.js';
import { clinicianView } from './clinician-view.js';
import { ClinicianResponse, ClinicianSummaryResponse } from './clinician.response.js';
import { GrantCompetenceRequest, ListCliniciansQuery, ReasonRequest, RegisterClinicianRequest } from './clinicians.request.js';

@ApiTags('clinicians')
@Controller('clinicians')
export class CliniciansController {
  constructor(
    @Inject(ClinicianStreams) private readonly clinicians: ClinicianStreams,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @ReadEndpoint({
    roles: ['secretary', 'clinician', 'auditor'],
    summary: "The clinic's clinicians (only the caller's clinic), with filters",
    description:
      'From the `clinician_directory` read model (send X-Min-Position from a write to read your own write). ' +
      '`profession`: has that profession; `competence`: holds a valid grant of it now (expiry, revocation and the catalogue validity applied); ' +
      '`active`: the employment has started (true) or not yet (false). Clinicians of other clinics are never listed.',
    ok: [ClinicianSummaryResponse],
    minPosition: true,
    errors: [400, 401, 403],
  })
  async list(@Query() query: ListCliniciansQuery, @CurrentActor() actor: Actor): Promise<ClinicianSummaryResponse[]> {
    const rows: Array<{ clinician_id: string; state: ClinicianState | string; stream_revision: string | number }> =
      await this.dataSource.query(
        `SELECT clinician_id, state, stream_revision FROM clinician_directory
       WHERE clinic_id = $1 AND ($2::text IS NULL OR $2 = ANY (professions)) ORDER BY clinician_id`,
        [actor.clinicId, query.profession ?? null],
      );
    const catalogue = await this.clinicians
      .decider(actor.clinicId)
      .then((d) => d.catalogue)
      .catch(() => undefined);
    const options = { validityMonths: catalogue?.settings.competenceValidityMonths };
    const now = this.clock.now().toISOString();
    return rows
      .map((row) => {
        const state = typeof row.state === 'string' ? (JSON.parse(row.state) as ClinicianState) : row.state;
        const employmentStart = state.employmentStart ?? '';
        return {
          clinicianId: row.clinician_id,
          professions: [...state.professions],
          employmentStart,
          active: employmentStart !== '' && toMillis(employmentStart) <= Date.parse(now),
          competences: [...new Set(state.competences.filter((g) => grantValidAt(g, now, options)).map((g) => g.competence))].sort(),
          revision: Number(row.stream_revision),
        };
      })
      .filter(
        (c) =>
          (query.competence === undefined || c.competences.includes(query.competence)) &&
          (query.active === undefined || c.active === query.active),
      );
  }

  @WriteEndpoint({
    method: 'POST',
    roles: ['secretary'],
    summary: 'Register a clinician (admin or secretary)',
    description:
      "Stream `clinician-<clinicianId>`. Professions must be in the clinic's catalogue (422 UNKNOWN_PROFESSION lists each unknown one). " +
      'An id already in use is 409 ALREADY_EXISTS.',
    // not `creates`: an If-Match is honoured (a new stream is revision -1), so 412 stays documented
    ifMatch: 'The ETag (stream revision) you last read; a new clinician has none ("-1"); 412 if the clinician changed since',
    unprocessable: ['UNKNOWN_PROFESSION'],
    conflict: ['ALREADY_EXISTS'],
    created: { type: ClinicianResponse, description: 'ETag = stream revision, X-Event-Position = where it was written' },
  })
  async register(
    @Body() body: RegisterClinicianRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ClinicianResponse> {
    const written = await this.commandBus.execute(new RegisterClinician(body, ctx));
    setWriteHeaders(res, written);
    res.setHeader('Location', `/clinicians/${encodeURIComponent(body.clinicianId)}`);
    return written.clinician;
  }

  @ReadEndpoint({
    path: ':id',
    roles: ['secretary', 'clinician', 'auditor'],
    summary: 'A clinician: professions, dated competences with validity, derived competences and team-service history',
    description:
      'Derived competences (time employed, earlier teams per programme and role) come from the employment start and the recorded team service. ETag = stream revision.',
    ok: ClinicianResponse,
    errors: [401, 404],
  })
  @ApiParam({ name: 'id', example: 'C-0042' })
  async get(@Param('id') id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<ClinicianResponse> {
    const loaded = await this.clinicians.loadOwn(actor, id);
    const { catalogue } = await this.clinicians.decider(actor.clinicId);
    setReadHeaders(res, loaded.revision);
    return clinicianView(loaded.state, loaded.revision, catalogue, this.clock.now().toISOString());
  }

  @WriteEndpoint({
    method: 'POST',
    path: ':id/competences',
    roles: ['secretary'],
    summary: 'Grant a dated competence (admin or secretary; reason required)',
    description: 'A renewal (a new retreat) is a new grant. 422 UNKNOWN_COMPETENCE, COMPETENCE_DATE_IN_FUTURE, INVALID_EXPIRY.',
    ifMatch: 'The ETag (stream revision) you last read, e.g. "3"; 412 if the clinician changed since',
    unprocessable: ['UNKNOWN_COMPETENCE', 'COMPETENCE_DATE_IN_FUTURE', 'INVALID_EXPIRY'],
    created: ClinicianResponse,
  })
  @ApiParam({ name: 'id', example: 'C-0042' })
  async grant(
    @Param('id') id: string,
    @Body() body: GrantCompetenceRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ClinicianResponse> {
    const written = await this.commandBus.execute(new GrantCompetence(id, body, ctx));
    setWriteHeaders(res, written);
    return written.clinician;
  }

  @WriteEndpoint({
    method: 'DELETE',
    path: ':id/competences/:code',
    roles: ['secretary'],
    summary: 'Revoke a competence the clinician holds (admin or secretary; reason in the JSON body)',
    description: '422 COMPETENCE_NOT_HELD when no unrevoked grant of that code exists.',
    ifMatch: 'The ETag (stream revision) you last read, e.g. "3"; 412 if the clinician changed since',
    unprocessable: ['COMPETENCE_NOT_HELD'],
    ok: ClinicianResponse,
  })
  @ApiParam({ name: 'id', example: 'C-0042' })
  @ApiParam({ name: 'code', example: 'MBSR_TEACHER' })
  async revoke(
    @Param('id') id: string,
    @Param('code') code: string,
    @Body() body: ReasonRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ClinicianResponse> {
    const written = await this.commandBus.execute(new RevokeCompetence(id, code, body.reason, ctx));
    setWriteHeaders(res, written);
    return written.clinician;
  }
}
