import { Body, Controller, Inject, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { formatPosition } from '#app/event-store';
import { Write, type WriteContext } from '../../../platform/write-path/write-context.js';
import { WriteEndpoint } from '../../../platform/http/endpoint.js';
import { ImportClinicianHistory } from './commands/import-clinician-history.command.js';
import { ImportClinicianHistoryRequest } from './history-import.request.js';
import { ImportClinicianHistoryResponse } from './history-import.response.js';

@ApiTags('clinicians')
@Controller('imports')
export class HistoryImportController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @WriteEndpoint({
    method: 'POST',
    path: 'clinician-history',
    roles: ['admin'],
    summary: "Go-live import of clinicians' earlier team service and dated competences (admin only)",
    description:
      'Brings in the past from before the system, so the competence rules hold from day one (e.g. a Forstå smerte primary therapist ' +
      'needs 4 earlier teams as apprentice or secondary and a year at the centre: import the teams, and register the clinician with the real ' +
      "employment start). Each row becomes a `TeamServiceRecorded` or `CompetenceGranted` event on the clinician's stream whose payload " +
      'carries `imported` {importId, source, sourceDocument, importedBy, importedAt, from, to, teamRef}; the metadata carries the actor, ' +
      'the reason and `import` {importId, source}.\n\n' +
      '**All or nothing**: every row is checked first (clinician registered in your clinic, programme, role, competence in the catalogue, ' +
      'dates valid and not in the future, no team recorded twice in different roles); one bad row refuses the whole import with ' +
      '`422 IMPORT_REJECTED`, `details.rows` naming every bad row (counting from 1) with all its problems, and nothing is recorded.\n\n' +
      '**Idempotent by content**: a row already recorded with the same content is skipped, so the same import sent again records nothing ' +
      '(200, `recorded: 0`). If a run is interrupted, sending it again records exactly the rest.',
    creates: true,
    unprocessable: ['IMPORT_REJECTED'],
    created: { type: ImportClinicianHistoryResponse, description: 'rows were recorded; X-Event-Position = the last append' },
    ok: { type: ImportClinicianHistoryResponse, description: 'everything was already recorded: nothing written' },
  })
  async import(
    @Body() body: ImportClinicianHistoryRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportClinicianHistoryResponse> {
    const outcome = await this.commandBus.execute(new ImportClinicianHistory(body, ctx));
    res.status(outcome.response.recorded > 0 ? 201 : 200);
    if (outcome.position) res.setHeader('X-Event-Position', formatPosition(outcome.position));
    return outcome.response;
  }
}
