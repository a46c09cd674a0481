import { Inject, Injectable } from '@nestjs/common';
import { teamStreamId } from '#app/domain';
import type { TeamEvent, TeamState } from '#app/domain';
import type { EventStore, RecordedEvent } from '#app/event-store';
import { Clock } from '../../platform/clock/clock.js';
import { EVENT_STORE } from '../../platform/persistence/tokens.js';
import { DeciderStore, type ExecuteResult, type LoadedStream } from '../../platform/write-path/decider-store.js';
import type { EventMetadata } from '../../platform/write-path/event-metadata.js';
import { teamWrites, type TeamCommands } from './team-batch.js';
import { WaitlistReview, type PassedOver } from './waitlist-review.policy.js';

export interface TeamWrite {
  readonly result: ExecuteResult<TeamState, TeamEvent>;
  /** the events of this write as stored (ids, revisions), for the follow-ups */
  readonly recorded: RecordedEvent[];
  readonly passedOver: readonly PassedOver[];
}

/**
 * Team writes of the enrolment slice, a thin writer over the one write path: DeciderStore decides the
 * commands (built on the state they are decided on), runs the waitlist review on the decided events before
 * the append (a DecisionPolicy) and appends them as one batch. A lost race is decided and reviewed again
 * there; a client's If-Match is a 412; a retried request gets the events its key already wrote.
 */
@Injectable()
export class TeamWriter {
  constructor(
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(WaitlistReview) private readonly waitlist: WaitlistReview,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(
    teamId: string,
    commands: TeamCommands,
    options: {
      metadata: EventMetadata;
      ifMatch?: number;
      now: string;
      /** the team as this request already loaded it (first attempt only) */ loaded?: LoadedStream<TeamState>;
    },
  ): Promise<TeamWrite> {
    const streamId = teamStreamId(teamId);
    const result = await this.store.execute(teamWrites(teamId), streamId, commands, {
      metadata: options.metadata,
      ifMatch: options.ifMatch,
      loaded: options.loaded,
      policies: [this.waitlist.policy(options.now)],
    });
    const recorded = await this.recordedEvents(streamId, result);
    return { result, recorded, passedOver: passedOverIn(recorded) };
  }

  /** The stored events of a write; for a replayed retry, the ones its idempotency key wrote earlier. */
  private async recordedEvents(streamId: string, result: ExecuteResult<TeamState, TeamEvent>): Promise<RecordedEvent[]> {
    if (result.replayed) return [...result.replayed];
    const appended = result.appended ?? [];
    if (appended.length === 0 || !result.position) return [];
    // one event just appended by this call: everything about it is known (its position is the append's), no read needed
    if (appended.length === 1) {
      const only = appended[0];
      return [
        {
          id: only.id,
          streamId,
          revision: result.revision,
          type: only.type,
          data: only.data,
          metadata: only.metadata,
          position: result.position,
          createdAt: this.clock.now(),
        },
      ];
    }
    const ids = new Set(appended.map((e) => e.id));
    const tail = await this.events.readStream(streamId, { fromRevision: result.revision - appended.length + 1 });
    return tail.filter((e) => ids.has(e.id));
  }
}

/** the passed-over courses of a write (or of the earlier write a retry replays), read back from its metadata */
function passedOverIn(recorded: readonly RecordedEvent[]): PassedOver[] {
  const m = recorded[0]?.metadata as { passedOver?: PassedOver[] } | undefined;
  return m?.passedOver ?? [];
}
