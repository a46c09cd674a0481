import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  changedUse,
  isDomainError,
  resourceKey,
  resourceOrder,
  scheduleDecider,
  scheduleStreamId,
  teamDecider,
  teamResourceUse,
  toMillis,
  type ClashDetails,
  type Decider,
  type DomainEvent,
  type ReserveSlots,
  type ResourceRef,
  type SessionUse,
  type TeamCommand,
  type TeamEvent,
  type TeamState,
  teamStreamId,
} from '#app/domain';
import { Clock } from '../../platform/clock/clock.js';
import { ApiError, fromDomainError } from '../../platform/http/api-error.js';
import {
  DeciderStore,
  StaleRevisionError,
  writtenWithKey,
  type ExecuteResult,
  type LoadedStream,
} from '../../platform/write-path/decider-store.js';
import type { WriteContext } from '../../platform/write-path/write-context.js';
import { scheduleClashError, type FoundClash } from './schedule-clash.js';
import { SCHEDULE_MAX_ATTEMPTS, ScheduleHolds, scheduleMetadata } from './schedule-holds.js';

/** whole-write retries when the team stream moves on between deciding and committing */
const MAX_TEAM_ATTEMPTS = 6;
const MAX_REPAIRS = 3;

/**
 * A commit stream whose state holds resources: a team (its sessions hold the room and staff) or a course (its
 * booked pathway steps hold their staff). `use` says what the state holds; the scheduler keeps the schedule
 * streams equal to it.
 */
export interface Holder<C, E extends DomainEvent, S> {
  readonly decider: Decider<C, E, S>;
  readonly streamId: string;
  readonly kind: 'team-session' | 'pathway-step';
  use(state: S): SessionUse[];
  timeZone(state: S): string;
}

export const teamHolder = (teamId: string): Holder<TeamCommand, TeamEvent, TeamState> => ({
  decider: teamDecider,
  streamId: teamStreamId(teamId),
  kind: 'team-session',
  use: teamResourceUse,
  timeZone: (state) => (state.status === 'planned' ? state.rules.timeZone : 'Europe/Copenhagen'),
});

interface ResourceSlots {
  readonly resource: ResourceRef;
  readonly uses: SessionUse[];
}

/**
 * Every team write that changes what the team occupies (planning, assigning or removing a therapist or
 * apprentice, moving or cancelling a session) keeps the schedule streams true, decided from streams only:
 *
 *  1. load the team stream, decide the command, and compare what the team holds before and after
 *     (`teamResourceUse`: room and staff per session that is not cancelled);
 *  2. check every resource that gains sessions against its schedule stream and refuse with every clash at
 *     once (409 SCHEDULE_CLASH), after releasing stale holds that no team backs any more;
 *  3. reserve the new holds resource by resource in one global order (clinicians, then rooms), each
 *     append with the stream's expected revision — 16 secretaries planning teams into one room at the same
 *     minute: one append wins, the others are decided again on the fresh stream and refused as clashes;
 *  4. commit the team events at exactly the revision decided from (the team stream is the commit point);
 *     if the team moved on meanwhile, release this attempt's own holds and start again from 1;
 *  5. release the holds the change gave up (a removed therapist, a cancelled or moved session).
 *
 * Hold ids are per attempt (`<teamId>/<sessionKey>/<attempt>`, derived from the Idempotency-Key and the
 * team revision when there is one), so undoing a failed attempt can never release a hold another write owns.
 */
@Injectable()
export class TeamScheduler {
  private readonly logger = new Logger('TeamScheduler');

  constructor(
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(ScheduleHolds) private readonly holds: ScheduleHolds,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(
    ctx: WriteContext,
    teamId: string,
    command: (now: string, state: TeamState) => TeamCommand,
    reason?: string,
  ): Promise<ExecuteResult<TeamState, TeamEvent> & { now: string }> {
    return this.run(ctx, teamHolder(teamId), command, reason);
  }

  /** the same for any commit stream (teams, courses) */
  async run<C, E extends DomainEvent, S>(
    ctx: WriteContext,
    holder: Holder<C, E, S>,
    command: (now: string, state: S) => C,
    reason?: string,
    /** the commit stream as the caller already loaded it in this request: decides the first attempt */
    given?: LoadedStream<S>,
  ): Promise<ExecuteResult<S, E> & { now: string }> {
    const metadata = ctx.metadata({ reason: reason?.trim() || undefined });
    const { decider, streamId } = holder;
    const ownerOf = streamId.slice(streamId.indexOf('-') + 1);
    for (let attempt = 1; ; attempt++) {
      const now = this.clock.now().toISOString();
      const loaded = attempt === 1 && given ? given : await this.store.load(decider, streamId);
      // a caller's load that is already stale for its If-Match: judge on a fresh one
      if (attempt === 1 && given && ctx.ifMatch !== undefined && ctx.ifMatch !== loaded.revision) continue;
      const cmd = command(now, loaded.state);
      // a retry of a request already written, or a stale If-Match: DeciderStore answers (replay / 412)
      if (writtenWithKey(loaded.events, metadata).length > 0 || (ctx.ifMatch !== undefined && ctx.ifMatch !== loaded.revision)) {
        return { ...(await this.store.execute(decider, streamId, cmd, { metadata, ifMatch: ctx.ifMatch, loaded })), now };
      }
      const decided = decider.decide(cmd, loaded.state);
      if (isDomainError(decided)) throw fromDomainError(decided);
      if (decided.length === 0) return { state: loaded.state, newEvents: [], revision: loaded.revision, loaded, appended: [], now };
      const after = decided.reduce((state, event) => decider.evolve(state, event), loaded.state);
      const change = changedUse(holder.use(loaded.state), holder.use(after));
      const timeZone = holder.timeZone(after);
      const holdAttempt = ctx.idempotencyKey
        ? createHash('sha256')
            .update(`${ctx.actor.clinicId}\n${ctx.actor.staffId}\n${ctx.idempotencyKey}\n${loaded.revision}`)
            .digest('hex')
            .slice(0, 12)
        : randomUUID().slice(0, 12);
      const groups = groupByResource(change.reserve);
      const requests = groups.map((g) => reserveCommand(holder.kind, g, holdAttempt, now, timeZone));

      await this.refuseClashes(ctx, groups, requests);

      const mine = new Map<string, { resource: ResourceRef; ids: string[] }>();
      try {
        for (const [i, group] of groups.entries()) {
          const reserved = await this.reserve(ctx, group.resource, requests[i], reason);
          mine.set(resourceKey(group.resource), { resource: group.resource, ids: reserved });
        }
        const result = await this.store.execute(decider, streamId, cmd, {
          metadata,
          ifMatch: ctx.ifMatch,
          expectedRevision: loaded.revision,
          loaded,
        });
        await this.releaseGivenUp(ctx, holder.kind, ownerOf, change, holder.use(after), mine, now, reason);
        return { ...result, now };
      } catch (error) {
        await this.compensate(ctx, mine, error);
        if (!(error instanceof StaleRevisionError)) throw error;
        if (ctx.ifMatch !== undefined) {
          throw new ApiError(412, 'PRECONDITION_FAILED', 'The record has changed since you loaded it. Reload it and try again.', {
            streamId,
          });
        }
        if (attempt >= MAX_TEAM_ATTEMPTS) {
          throw new ApiError(409, 'CONCURRENCY_CONFLICT', 'This record is being changed by many people at once. Please try again.', {
            streamId,
          });
        }
      }
    }
  }

  /** step 2: every clash on every resource at once, repairing stale holds on the way */
  private async refuseClashes(ctx: WriteContext, groups: readonly ResourceSlots[], requests: readonly ReserveSlots[]): Promise<void> {
    const found: FoundClash[] = [];
    for (const [i, group] of groups.entries()) {
      for (let repairs = 0; ; repairs++) {
        const loaded = await this.store.load(scheduleDecider, scheduleStreamId(group.resource));
        const decided = scheduleDecider.decide(requests[i], loaded.state);
        if (!isDomainError(decided)) break;
        if (decided.code !== 'SCHEDULE_CLASH') throw fromDomainError(decided);
        const clashes = (decided.details.clashes as ClashDetails[] | undefined) ?? [decided.details.clash as ClashDetails];
        let repaired = false;
        if (repairs < MAX_REPAIRS) {
          for (const clash of clashes) repaired = (await this.holds.releaseIfStale(ctx, group.resource, clash)) || repaired;
        }
        if (!repaired) {
          found.push({ resource: group.resource, clashes, message: decided.message });
          break;
        }
      }
    }
    if (found.length > 0) throw scheduleClashError(found, ctx.actor.clinicId, { requested: true });
  }

  /** step 3: one append per resource; returns the ids this attempt newly holds */
  private async reserve(ctx: WriteContext, resource: ResourceRef, request: ReserveSlots, reason?: string): Promise<string[]> {
    try {
      const result = await this.store.execute(
        scheduleDecider,
        scheduleStreamId(resource),
        { ...request, now: this.clock.now().toISOString() },
        {
          metadata: scheduleMetadata(ctx, reason),
          maxAttempts: SCHEDULE_MAX_ATTEMPTS,
        },
      );
      return result.newEvents.flatMap((e) => (e.type === 'SlotReserved' ? [e.data.appointmentId] : []));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'SCHEDULE_CLASH') {
        const clashes = (error.details.clashes as ClashDetails[] | undefined) ?? [error.details.clash as ClashDetails];
        throw scheduleClashError([{ resource, clashes, message: error.message }], ctx.actor.clinicId, { requested: true });
      }
      throw error;
    }
  }

  /**
   * step 5: on each resource whose use changed, release this team's older holds for sessions it gave up or
   * holds anew. Only holds reserved before this write began: a hold reserved later belongs to a write that
   * read the team after this commit.
   */
  private async releaseGivenUp(
    ctx: WriteContext,
    kind: Holder<unknown, DomainEvent, unknown>['kind'],
    owner: string,
    change: { reserve: SessionUse[]; release: SessionUse[] },
    after: readonly SessionUse[],
    mine: ReadonlyMap<string, { ids: string[] }>,
    startedAt: string,
    reason?: string,
  ): Promise<void> {
    const touched = new Map<string, ResourceRef>();
    for (const u of [...change.reserve, ...change.release]) touched.set(resourceKey(u.resource), u.resource);
    const renewed = new Set(change.reserve.map((u) => `${resourceKey(u.resource)}#${u.key}`));
    const ownerOfHold = (h: { teamId?: string; courseId?: string }) => (kind === 'team-session' ? h.teamId : h.courseId);
    const keyOfHold = (h: { sessionKey?: string; stepCode?: string }) => (kind === 'team-session' ? h.sessionKey : h.stepCode);
    for (const [key, resource] of touched) {
      const own = new Set(mine.get(key)?.ids ?? []);
      const kept = after.filter((u) => resourceKey(u.resource) === key);
      try {
        const schedule = await this.store.load(scheduleDecider, scheduleStreamId(resource));
        const stale = Object.values(schedule.state.slots).filter(
          (h) =>
            h.status === 'reserved' &&
            h.kind === kind &&
            ownerOfHold(h) === owner &&
            !own.has(h.appointmentId) &&
            toMillis(h.reservedAt) < toMillis(startedAt) &&
            (renewed.has(`${key}#${String(keyOfHold(h))}`) ||
              !kept.some((u) => u.key === keyOfHold(h) && toMillis(u.start) === toMillis(h.start) && toMillis(u.end) === toMillis(h.end))),
        );
        if (stale.length === 0) continue;
        await this.store.execute(
          scheduleDecider,
          scheduleStreamId(resource),
          {
            type: 'ReleaseSlots',
            now: this.clock.now().toISOString(),
            appointmentIds: stale.map((h) => h.appointmentId),
            reason: reason?.trim() || 'booking changed',
          },
          { metadata: scheduleMetadata(ctx, reason), maxAttempts: SCHEDULE_MAX_ATTEMPTS },
        );
      } catch (error) {
        // left behind: no team backs these holds, so the next booking that meets them releases them (ScheduleHolds)
        this.logger.warn(
          `releasing given-up holds of ${owner} on ${scheduleStreamId(resource)} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private async compensate(
    ctx: WriteContext,
    mine: ReadonlyMap<string, { resource: ResourceRef; ids: string[] }>,
    cause: unknown,
  ): Promise<void> {
    const reason = `team change not completed (${cause instanceof ApiError ? cause.code : cause instanceof StaleRevisionError ? 'team changed meanwhile' : 'error'})`;
    for (const { resource, ids } of [...mine.values()].reverse()) {
      if (ids.length === 0) continue;
      try {
        await this.store.execute(
          scheduleDecider,
          scheduleStreamId(resource),
          { type: 'ReleaseSlots', now: this.clock.now().toISOString(), appointmentIds: ids, reason, compensation: true },
          { metadata: scheduleMetadata(ctx, reason), maxAttempts: SCHEDULE_MAX_ATTEMPTS },
        );
      } catch (error) {
        this.logger.warn(`compensating ${scheduleStreamId(resource)} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

function groupByResource(uses: readonly SessionUse[]): ResourceSlots[] {
  const groups = new Map<string, ResourceSlots>();
  for (const u of uses) {
    const key = resourceKey(u.resource);
    let group = groups.get(key);
    if (!group) {
      group = { resource: u.resource, uses: [] };
      groups.set(key, group);
    }
    group.uses.push(u);
  }
  return [...groups.values()].sort((a, b) => resourceOrder(a.resource, b.resource));
}

function reserveCommand(
  kind: 'team-session' | 'pathway-step',
  group: ResourceSlots,
  attempt: string,
  now: string,
  timeZone: string,
): ReserveSlots {
  return {
    type: 'ReserveSlots',
    now,
    timeZone,
    resource: group.resource,
    slots: group.uses.map((u) => ({
      appointmentId: `${kind === 'team-session' ? '' : 'step/'}${u.owner}/${u.key}/${attempt}`,
      kind,
      start: u.start,
      end: u.end,
      ...(kind === 'team-session' ? { teamId: u.owner, sessionKey: u.key } : { courseId: u.owner, stepCode: u.key }),
      clinicId: u.clinicId,
    })),
  };
}
