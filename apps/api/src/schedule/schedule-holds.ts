import { Inject, Injectable, Logger } from '@nestjs/common';
import { isHoldBacked, ORPHAN_AFTER_MS, scheduleDecider, scheduleStreamId, teamDecider, type ClashDetails, type ResourceRef } from '#app/domain';
import { DeciderStore } from '../write-path/decider-store.js';
import type { EventMetadata } from '../write-path/event-metadata.js';
import type { WriteContext } from '../write-path/write-context.js';

export const teamStreamId = (teamId: string): string => `team-${teamId}`;

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
 * does not use that resource for that session at those times — a team write that crashed between
 * reserving and committing, or after committing but before releasing what it replaced. Younger holds than
 * ORPHAN_AFTER_MS may belong to a write still in flight and are left alone (they count as clashes).
 */
@Injectable()
export class ScheduleHolds {
  private readonly logger = new Logger('ScheduleHolds');

  constructor(@Inject(DeciderStore) private readonly store: DeciderStore) {}

  async releaseIfStale(ctx: WriteContext, resource: ResourceRef, clash: ClashDetails): Promise<boolean> {
    if (clash.kind !== 'team-session' || !clash.teamId || !clash.sessionKey) return false;
    const now = new Date().toISOString();
    if (Date.parse(now) - Date.parse(clash.reservedAt) < ORPHAN_AFTER_MS) return false;
    const team = await this.store.load(teamDecider, teamStreamId(clash.teamId));
    if (isHoldBacked({ resource, sessionKey: clash.sessionKey, start: clash.start, end: clash.end }, team.state)) return false;
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
