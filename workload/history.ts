import { randomUUID } from 'node:crypto';
import type { EventStore } from '#app/event-store';
import { CLINIC } from './plan.js';

/**
 * Team service from before the API took over (the centre's paper records): the one kind of history the
 * API cannot create, because a team cannot be planned in the past and attendance needs a session that has
 * started. Without it nobody qualifies as a Forstå smerte primary (4 earlier teams as apprentice or
 * secondary) or secondary (once as apprentice). Appended to each clinician's stream, after its
 * registration through the API, as `teams.e2e-spec.ts` does; skipped for a clinician who already has it.
 */
export async function seedTeamServiceHistory(store: EventStore, clinicianIds: readonly string[]): Promise<number> {
  let written = 0;
  for (const clinicianId of clinicianIds) {
    const streamId = `clinician-${clinicianId}`;
    const existing = await store.readStream(streamId);
    if (existing.length === 0) throw new Error(`Clinician ${clinicianId} is not registered; register it through the API first.`);
    if (existing.some((e) => e.type === 'TeamServiceRecorded' && String((e.data as { teamId?: string }).teamId).startsWith('paper-')))
      continue;
    const served = [
      { role: 'apprentice', servedAt: '2019-03-04' },
      ...[0, 1, 2, 3].map((i) => ({ role: 'secondary', servedAt: `2020-0${i + 2}-03` })),
    ];
    const events = served.map((s, i) => ({
      id: randomUUID(),
      type: 'TeamServiceRecorded',
      data: { clinicianId, teamId: `paper-${clinicianId}-${i}`, programme: 'FORSTAA_SMERTE', role: s.role, servedAt: s.servedAt },
      metadata: {
        schemaVersion: 1,
        actor: { staffId: 'workload-import', roles: ['admin'] },
        clinicId: CLINIC,
        correlationId: randomUUID(),
        occurredAt: new Date().toISOString(),
        reason: 'Team service before the API (paper records)',
      },
    }));
    await store.appendToStream(streamId, events, existing.length - 1);
    written += events.length;
  }
  return written;
}

/** The same earlier Forstå smerte service as rows of the go-live import (POST /imports/clinician-history). */
export function teamServiceImportRows(clinicianIds: readonly string[]): Array<Record<string, string>> {
  return clinicianIds.flatMap((clinicianId) =>
    [
      { role: 'apprentice', from: '2019-03-04', to: '2019-05-20', teamRef: 'FS-2019-1' },
      ...[0, 1, 2, 3].map((i) => ({ role: 'secondary', from: `2020-0${i + 2}-03`, to: `2020-0${i + 4}-20`, teamRef: `FS-2020-${i + 1}` })),
    ].map((s) => ({
      kind: 'teamService',
      clinicianId,
      programme: 'FORSTAA_SMERTE',
      ...s,
      sourceDocument: `Holdliste ${s.teamRef} (paper records)`,
    })),
  );
}
