import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  courseDecider,
  courseStreamId,
  isHoldBacked,
  ORPHAN_AFTER_MS,
  scheduleDecider,
  scheduleStreamId,
  teamDecider,
  toMillis,
  type ClashDetails,
  type ResourceRef,
  teamStreamId,
} from '#app/domain';
import { Clock } from '../../platform/clock/clock.js';
import { DeciderStore } from '../../platform/write-path/decider-store.js';
import type { EventMetadata } from '../../platform/write-path/event-metadata.js';
import type { WriteContext } from '../../platform/write-path/write-context.js';

/** retries of one schedule append under contention (many secretaries booking one room or clinician) */
export const SCHEDULE_MAX_ATTEMPTS = 30;

/**
 * Schedule streams take the request's key as `requestKey`, not `idempotencyKey`: DeciderStore would treat a
 * stream's earlier events with the key as this request's outcome, and on a clinician's stream those may be a
 * reservation *and* its compensation. Idempotency comes from the hold ids derived from the key.
 */
export function scheduleMetadata(ctx: WriteContext, reason?: string): EventMetadata {
  const { idempotencyKey, ...metadata } = ctx.metadata({ reason: reason?.trim() || undefined });
  return { ...metadata, ...(idempotencyKey ? { requestKey: idempotencyKey } : {}) };
}

/**
 * Repairs holds that no commit stream backs any more: a team-session hold whose team (stream `team-<id>`)
 * does not use that resource for that session at those times, or a pathway-step hold whose course no longer
 * books that step then with that clinician — a team write that crashed between
 * reserving and committing, or after committing but before releasing what it replaced. Younger holds than
 * ORPHAN_AFTER_MS may belong to a write still in flight and are left alone (they count as clashes).
 */
@Injectable()
export class ScheduleHolds {
  private readonly logger = new Logger('ScheduleHolds');

  constructor(
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async releaseIfStale(ctx: WriteContext, resource: ResourceRef, clash: ClashDetails): Promise<boolean> {
    const now = this.clock.now().toISOString();
    if (Date.parse(now) - Date.parse(clash.reservedAt) < ORPHAN_AFTER_MS) return false;
    if (clash.kind === 'team-session' && clash.teamId && clash.sessionKey) {
      const team = await this.store.load(teamDecider, teamStreamId(clash.teamId));
      if (isHoldBacked({ resource, sessionKey: clash.sessionKey, start: clash.start, end: clash.end }, team.state)) return false;
    } else if (clash.kind === 'pathway-step' && clash.courseId && clash.stepCode) {
      // backed while the step is booked at that start and the clinician is on the course's microteam
      const { state } = await this.store.load(courseDecider, courseStreamId(clash.courseId));
      const step = Object.hasOwn(state.steps, clash.stepCode) ? state.steps[clash.stepCode] : undefined;
      const booked = step?.status === 'scheduled' && step.at !== undefined && toMillis(step.at) === toMillis(clash.start);
      if (booked && state.microteam.some((m) => m.clinicianId === resource.id)) return false;
    } else {
      return false;
    }
    await this.store.execute(
      scheduleDecider,
      scheduleStreamId(resource),
      { type: 'ReleaseSlots', now, appointmentIds: [clash.appointmentId], reason: 'stale hold released', compensation: true },
      { metadata: scheduleMetadata(ctx, 'stale hold released'), maxAttempts: SCHEDULE_MAX_ATTEMPTS },
    );
    this.logger.log(`released stale hold ${clash.appointmentId} on ${scheduleStreamId(resource)}`);
    return true;
  }
}
