import { Command } from '@nestjs/cqrs';
import type { Position } from '#app/event-store';
import type { WriteContext } from '../../../../platform/write-path/write-context.js';
import type { ImportClinicianHistoryRequest } from '../history-import.request.js';
import type { ImportClinicianHistoryResponse } from '../history-import.response.js';

export interface ClinicianHistoryImported {
  readonly response: ImportClinicianHistoryResponse;
  /** the last append; absent when everything was already recorded */
  readonly position?: Position;
}

/** Go-live import of clinicians' earlier team service and dated competences: all rows or none. */
export class ImportClinicianHistory extends Command<ClinicianHistoryImported> {
  constructor(
    readonly input: ImportClinicianHistoryRequest,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
