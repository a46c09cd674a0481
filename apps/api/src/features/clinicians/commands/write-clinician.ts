import type { ClinicianCommand } from '#app/domain';
import { clinicianStreamId } from '#app/domain';
import type { Clock } from '../../../platform/clock/clock.js';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import { type ClinicianStreams } from '../clinician-streams.js';
import { clinicianView } from '../clinician-view.js';
import type { ClinicianWritten } from './clinician-written.js';

/**
 * The shared step of the clinician handlers: decide `command` (built for the time now) on the clinician's
 * stream with the clinic's vocabulary, append through DeciderStore, and view the result.
 */
export async function writeClinician(
  streams: ClinicianStreams,
  clock: Clock,
  ctx: WriteContext,
  clinicianId: string,
  command: (now: string) => ClinicianCommand,
  reason?: string,
): Promise<ClinicianWritten> {
  const { decider, catalogue } = await streams.decider(ctx.actor.clinicId);
  const now = clock.now().toISOString();
  const result = await streams.store.execute(decider, clinicianStreamId(clinicianId), command(now), {
    metadata: ctx.metadata({ reason }),
    ifMatch: ctx.ifMatch,
  });
  return {
    clinician: clinicianView(result.state, result.revision, catalogue, now),
    revision: result.revision,
    ...(result.position ? { position: result.position } : {}),
  };
}
