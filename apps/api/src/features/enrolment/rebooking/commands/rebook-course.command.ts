import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../../platform/write-path/write-context.js';
import type { WriteOutcome } from '../../seat-writes.js';
import type { RebookResponse } from '../rebooking.response.js';

/** Move a course's seat to another team of the same programme (a named one, or the next that fits). */
export class RebookCourse extends Command<WriteOutcome<RebookResponse>> {
  constructor(
    readonly courseId: string,
    readonly input: { readonly fromTeamId: string; readonly toTeamId?: string; readonly reason: string },
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
