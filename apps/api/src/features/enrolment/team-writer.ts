import { Inject, Injectable } from '@nestjs/common';
import {
  isDomainError,
  teamDecider,
  type DomainError,
  type FailedCriterion,
  type PlannedTeam,
  type TeamCommand,
  type TeamEvent,
  type TeamState,
} from '#app/domain';
import type { EventStore, RecordedEvent } from '#app/event-store';
import { ApiError, fromDomainError } from '../../platform/http/api-error.js';
import { EVENT_STORE } from '../../platform/persistence/tokens.js';
import { batchDecider } from './process-managers/follow-up-writer.js';
import { LostRace } from '../../platform/write-path/write-retry.js';
import { DeciderStore, type ExecuteResult, type LoadedStream } from '../../platform/write-path/decider-store.js';
import type { EventMetadata } from '../../platform/write-path/event-metadata.js';
import { seatFitFailures } from './seat-fit.js';
import { EnrolmentStreams, teamStreamId } from './streams.js';

export const teamBatch = batchDecider(teamDecider);

/** A waiting course that was passed over for a freed seat, and why. */
export interface PassedOver {
  readonly courseId: string;
  readonly reasons: readonly FailedCriterion[];
}

export const PASSED_OVER_PREFIX = 'Passed over for a freed seat: ';

export interface TeamWrite {
  readonly result: ExecuteResult<TeamState, TeamEvent>;
  /** the events of this write as stored (ids, revisions), for the follow-ups */
  readonly recorded: RecordedEvent[];
  readonly passedOver: readonly PassedOver[];
}

export type TeamCommands = (state: PlannedTeam) => readonly TeamCommand[] | DomainError;

/**
 * Reviews the waitlist before a freed seat is offered. The team decider offers a freed seat to the first
 * course in fair order (settings.waitlist.autoOfferFreedSeats); it cannot know whether that course is
 * still eligible on its current facts or whether the team fits its pathway window, because those live on
 * the course stream. So the handler decides the write in memory, re-reads every course the decision
 * would offer a seat to, and for each one that no longer fits puts a `LeaveWaitlist` (reason: the
 * failed criteria) in front of the command, then decides again. The result is ONE atomic append, e.g.
 * CourseLeftWaitlist(passed over) + SeatReleased + SeatOffered(the right patient): no offer ever goes to
 * a course that cannot take it. No change to the team decider was needed.
 */
@Injectable()
export class WaitlistReview {
  constructor(@Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams) {}

  async review(state: PlannedTeam, commands: readonly TeamCommand[], now: string): Promise<{ commands: TeamCommand[]; passedOver: PassedOver[] }> {
    const passedOver: PassedOver[] = [];
    const checked = new Map<string, readonly FailedCriterion[]>();
    for (let round = 0; round <= state.waitlist.length; round++) {
      const all: TeamCommand[] = [
        ...passedOver.map(
          (p): TeamCommand => ({ type: 'LeaveWaitlist', teamId: state.teamId, courseId: p.courseId, reason: passedOverReason(p.reasons), now }),
        ),
        ...commands,
      ];
      const decided = teamBatch.decide(all, state);
      if (isDomainError(decided)) return { commands: all, passedOver };
      let unfit: PassedOver | undefined;
      for (const event of decided) {
        if (event.type !== 'SeatOffered') continue;
        const courseId = event.data.courseId;
        let reasons = checked.get(courseId);
        if (!reasons) {
          reasons = seatFitFailures(await this.streams.course(courseId), state, now);
          checked.set(courseId, reasons);
        }
        if (reasons.length > 0) {
          unfit = { courseId, reasons };
          break;
        }
      }
      if (!unfit) return { commands: all, passedOver };
      passedOver.push(unfit);
    }
    throw new Error('The waitlist review did not settle.');
  }
}

export function passedOverReason(reasons: readonly FailedCriterion[]): string {
  return PASSED_OVER_PREFIX + reasons.map((r) => r.reason).join(' ');
}

/**
 * Team writes of the enrolment slice: the commands are decided on the state they were built from (so
 * the waitlist review holds for exactly that state) and appended as one batch. A concurrent write
 * makes the build start again on the fresh state (DeciderStore.retrying, with the write path's policy);
 * a client's If-Match is a 412 instead. Idempotency
 * (DeciderStore): a retried request gets the events its key already wrote.
 */
@Injectable()
export class TeamWriter {
  constructor(
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(WaitlistReview) private readonly waitlist: WaitlistReview,
  ) {}

  async execute(
    teamId: string,
    build: TeamCommands,
    options: { metadata: EventMetadata; ifMatch?: number; now: string; /** the team as this request already loaded it (first attempt only) */ loaded?: LoadedStream<TeamState> },
  ): Promise<TeamWrite> {
    const streamId = teamStreamId(teamId);
    // a lost race (the team moved between this load and the append) builds again on the fresh state:
    // DeciderStore.retrying is the write path's one retry loop (bounded, with jitter). A stale first load
    // (the request's own) is safe: the append names its revision.
    return this.store.retrying(streamId, async (attempt) => {
      const loaded = attempt === 1 && options.loaded ? options.loaded : await this.store.load(teamDecider, streamId);
      if (loaded.state.status !== 'planned') throw ApiError.notFound('team', teamId);
      const built = build(loaded.state);
      if (isDomainError(built)) {
        // refused on the request's own (possibly stale) load: build again on a fresh one before answering
        if (loaded === options.loaded) throw new LostRace(streamId);
        if (!writtenWithKey(loaded.events, options.metadata)) throw fromDomainError(built);
      }
      const { commands, passedOver } = isDomainError(built) ? { commands: [], passedOver: [] } : await this.waitlist.review(loaded.state, built, options.now);
      const metadata: EventMetadata = passedOver.length > 0 ? { ...options.metadata, passedOver } : options.metadata;
      const result = await this.store.execute(teamBatch, streamId, commands, {
        metadata,
        ifMatch: options.ifMatch,
        basedOnRevision: loaded.revision,
        maxAttempts: 1,
        loaded,
      });
      const recorded = await this.recordedEvents(streamId, result, options.metadata);
      return { result, recorded, passedOver: passedOver.length > 0 ? passedOver : passedOverIn(recorded) };
    });
  }

  /** The stored events of a write; for a replayed retry, the ones its idempotency key wrote earlier. */
  private async recordedEvents(streamId: string, result: ExecuteResult<TeamState, TeamEvent>, metadata: EventMetadata): Promise<RecordedEvent[]> {
    if (result.newEvents.length === 0) return [];
    // one event just appended by this call: everything about it is known (its position is the append's), no read needed
    const only = result.appended?.length === 1 ? result.appended[0]! : undefined;
    if (only && result.position) {
      return [{ id: only.id, streamId, revision: result.revision, type: only.type, data: only.data, metadata: only.metadata, position: result.position, createdAt: new Date() } as RecordedEvent];
    }
    const from = result.revision - result.newEvents.length + 1;
    const tail = await this.events.readStream(streamId, { fromRevision: from });
    const fresh = tail.length === result.newEvents.length && tail.every((e, i) => e.type === result.newEvents[i]!.type && sameKey(e, metadata));
    if (fresh) return tail;
    const all = await this.events.readStream(streamId);
    return all.filter((e) => sameKey(e, metadata));
  }
}

function sameKey(e: RecordedEvent, metadata: EventMetadata): boolean {
  const m = e.metadata as Partial<EventMetadata>;
  if (!metadata.idempotencyKey) return m.correlationId === metadata.correlationId && m.actor?.staffId === metadata.actor.staffId;
  return m.idempotencyKey === metadata.idempotencyKey && m.actor?.staffId === metadata.actor.staffId;
}

function writtenWithKey(events: readonly RecordedEvent[], metadata: EventMetadata): boolean {
  return !!metadata.idempotencyKey && events.some((e) => sameKey(e, metadata));
}

/** the passed-over courses of an earlier write (for a replayed retry), read back from its metadata */
function passedOverIn(recorded: readonly RecordedEvent[]): PassedOver[] {
  const m = recorded[0]?.metadata as { passedOver?: PassedOver[] } | undefined;
  return m?.passedOver ?? [];
}
