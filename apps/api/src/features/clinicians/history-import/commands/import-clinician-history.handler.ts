import { Inject } from '@nestjs/common';
import { clinicianStreamId } from '#app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { comparePositions, type Position } from '#app/event-store';
import { Clock } from '../../../../platform/clock/clock.js';
import { ClinicianStreams } from '../../clinician-streams.js';
import { HistoryImportPlanner } from '../history-import.planner.js';
import type { ImportedClinicianResponse } from '../history-import.response.js';
import { ImportClinicianHistory, type ClinicianHistoryImported } from './import-clinician-history.command.js';

/**
 * Checks every row first (HistoryImportPlanner: one bad row refuses the whole import), then appends one
 * batch per clinician through DeciderStore; rows recorded meanwhile are skipped, so a repeated or
 * interrupted import records exactly what is missing.
 */
@CommandHandler(ImportClinicianHistory)
export class ImportClinicianHistoryHandler implements ICommandHandler<ImportClinicianHistory> {
  constructor(
    @Inject(HistoryImportPlanner) private readonly planner: HistoryImportPlanner,
    @Inject(ClinicianStreams) private readonly streams: ClinicianStreams,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ input, ctx }: ImportClinicianHistory): Promise<ClinicianHistoryImported> {
    const plan = await this.planner.plan(ctx, input, this.clock.now().toISOString());
    const clinicians: ImportedClinicianResponse[] = [];
    let position: Position | undefined;
    for (const { clinicianId, commands, present } of plan.work) {
      const result = await this.streams.store.execute(plan.decider, clinicianStreamId(clinicianId), commands, { metadata: plan.metadata });
      if (result.position && (!position || comparePositions(result.position, position) > 0)) position = result.position;
      const events = result.newEvents;
      clinicians.push({
        clinicianId,
        teamService: events.filter((e) => e.type === 'TeamServiceRecorded').length,
        competences: events.filter((e) => e.type === 'CompetenceGranted').length,
        alreadyPresent: present + commands.length - events.length,
        revision: result.revision,
      });
    }
    const recorded = clinicians.reduce((sum, c) => sum + c.teamService + c.competences, 0);
    return {
      response: {
        importId: plan.importId,
        source: plan.source,
        rows: plan.rows,
        recorded,
        alreadyPresent: plan.rows - recorded,
        clinicians,
      },
      ...(position ? { position } : {}),
    };
  }
}
