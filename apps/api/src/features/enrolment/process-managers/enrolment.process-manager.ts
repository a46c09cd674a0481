import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { courseStreamId, type PlannedSession, type TeamEvent } from '#app/domain';
import {
  DurableSubscription,
  START,
  comparePositions,
  type EventStore,
  type Leadership,
  type Position,
  type RecordedEvent,
} from '#app/event-store';
import { ApiError } from '../../../platform/http/api-error.js';
import { AppendWakeups } from '../../../platform/persistence/append-wakeups.js';
import { EVENT_STORE, LEADERSHIP } from '../../../platform/persistence/tokens.js';
import { CourseSeatSync, SYNCED_TEAM_EVENTS } from './course-seat-sync.js';
import { followUpEventId } from './follow-up-ids.js';
import { deleteRows, insertRows, upsertClause } from '#app/projections';

export const PROCESS_MANAGER_NAME = 'enrolment-process-manager.v1';
const WORKER_MIN_IDLE_MS = 250;
const WORKER_MAX_IDLE_MS = 60_000;

type WorkKind = 'team-event' | 'course-ended';

interface StoredEvent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: { readonly commit: string; readonly prepare: string };
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: string;
}

/**
 * The enrolment process manager: a durable, checkpointed subscription to the global log that repairs
 * what a crash between two appends would leave undone (see CourseSeatSync):
 * - team seat/waitlist events → the course stream's record (or a compensation on the team);
 * - a rebook's target SeatReserved (transfer marker) → the course's move and the source team's release;
 * - CourseEnded → the teams release the course's seats and waitlist places.
 *
 * Two phases, because a subscription batch runs in one PostgreSQL transaction (checkpoint + effects)
 * while these effects are appends to the event store (possibly EventStoreDB; in embedded mode the one
 * PGlite backend is held by an open transaction, so appending from inside it would wait on itself):
 * 1. in the batch transaction, the relevant events are queued in `enrolment_pm_work` (and the offer and
 *    team tables the sweeper and the rebooking read are kept), committed with the checkpoint;
 * 2. after commit, a worker takes the queue in order and writes the follow-ups, which are idempotent
 *    (derived event ids), then deletes the row. A crash in between only repeats an idempotent step.
 */
@Injectable()
export class EnrolmentProcessManager implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EnrolmentProcessManager');
  private readonly subscription: DurableSubscription;
  private worker: Promise<void> | undefined;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private draining: Promise<void> = Promise.resolve();
  private failures = 0;
  /** the worker's next wait while the queue stays empty: doubles up to WORKER_MAX_IDLE_MS, woken by work */
  private idleMs = WORKER_MIN_IDLE_MS;
  private readonly unsubscribe: Array<() => void> = [];
  /** the newest append of this process (the store's in-process hook) */
  private lastAppended: Position = START;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CourseSeatSync) private readonly sync: CourseSeatSync,
    @Inject(LEADERSHIP) private readonly leadership: Leadership,
    @Inject(AppendWakeups) private readonly wakeups: AppendWakeups,
  ) {
    this.subscription = new DurableSubscription({
      name: PROCESS_MANAGER_NAME,
      source: store,
      dataSource,
      handler: (events, manager) => this.enqueue(events, manager),
      // enqueue() reads team and course events only: an import of other streams is read without its payload
      payloadCategories: ['team', 'course'],
      pollIntervalMs: 100,
      // while writes stream in, a batch every 100 ms or so (see ProjectionRunner)
      minBatchIntervalMs: 100,
      // while behind (a restart, an import), up to 5 000 events per transaction: most need nothing
      maxBatchSize: 5_000,
      leadership,
      logger: { log: (m) => this.logger.log(m), error: (m) => this.logger.error(m) },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.stopping = false;
    await this.subscription.start();
    this.unsubscribe.push(
      this.store.onAppended?.((result) => {
        if (comparePositions(result.position, this.lastAppended) > 0) this.lastAppended = result.position;
      }) ?? (() => undefined),
      this.wakeups.on(() => this.subscription.poke()),
      this.leadership.onChange(() => this.wake?.()),
    );
    this.worker = this.runWorker();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.wake?.();
    await this.worker;
    await this.subscription.stop();
  }

  /** this process applies the process manager's batches and works off its queue (the elected one) */
  get consuming(): boolean {
    return this.subscription.consuming;
  }

  poke(): void {
    this.subscription.poke();
    this.idleMs = WORKER_MIN_IDLE_MS;
    this.wake?.();
  }

  /**
   * The head of the log, or this process's newest append when that is newer: the head only shows a commit
   * once every older transaction has ended (gap safety), so right after our own append it can lag behind
   * it while any other transaction runs, and "caught up with the head" would not include our own write.
   */
  private async head(): Promise<Position> {
    const head = await this.store.headPosition();
    return comparePositions(this.lastAppended, head) > 0 ? this.lastAppended : head;
  }

  /**
   * Resolves when every event up to `position` (default: the head of the log or our newest append) has been through phase 1:
   * the offer and team tables are up to date with it (follow-ups may still be queued).
   */
  async caughtUp(position?: Position, timeoutMs = 10_000): Promise<void> {
    const target = position ?? (await this.head());
    if (comparePositions(target, START) > 0) await this.subscription.waitUntilCaughtUp(target, timeoutMs);
  }

  /** Resolves when every event up to `position` has been queued and every queued follow-up is done. */
  async settled(position?: Position, timeoutMs = 10_000): Promise<void> {
    const target = position ?? (await this.head());
    if (comparePositions(target, START) > 0) await this.subscription.waitUntilCaughtUp(target, timeoutMs);
    await this.drain();
  }

  // ------------------------------------------------------------ phase 1: in the checkpoint's transaction

  private async enqueue(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const work: Array<[WorkKind, string]> = [];
    const offers: OpenOffers = new Map();
    const inBatch = new Set(events.map((e) => e.id.toLowerCase()));
    for (const e of events) {
      if (e.streamId.startsWith('team-')) {
        await this.keepTables(e, manager, offers);
        if (SYNCED_TEAM_EVENTS.has(e.type) && !followedUpInBatch(e, inBatch)) work.push(['team-event', queuedForm(e)]);
      } else if (e.streamId.startsWith('course-') && e.type === 'CourseEnded') {
        work.push(['course-ended', queuedForm(e)]);
      }
    }
    // the open offers the batch changed, one statement each for the taken and the new ones (the last change of an offer decides it)
    const changes = [...offers.values()];
    await deleteRows(
      manager,
      'enrolment_open_offers',
      { team_id: 'text', course_id: 'text' },
      changes.filter((o) => !o.offer).map((o) => [o.teamId, o.courseId]),
    );
    await insertRows(
      manager,
      'enrolment_open_offers',
      OFFER_COLUMNS,
      changes.flatMap((o) => (o.offer ? [[o.teamId, o.courseId, o.offer.offeredAt, o.offer.expiresAt]] : [])),
      upsertClause(['team_id', 'course_id'], OFFER_COLUMNS),
    );
    if (work.length === 0) return;
    // the batch's work in one statement, queued in log order (seq follows the ordinality)
    await manager.query(
      `INSERT INTO enrolment_pm_work (kind, event) SELECT w.kind, w.event::jsonb FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS w(kind, event, ord) ORDER BY w.ord`,
      [work.map((w) => w[0]), work.map((w) => w[1])],
    );
    setImmediate(() => {
      this.idleMs = WORKER_MIN_IDLE_MS;
      this.wake?.();
    });
  }

  /** open offers (for the expiry sweeper) and each team's programme and first session (for rebooking) */
  private async keepTables(e: RecordedEvent, manager: EntityManager, offers: OpenOffers): Promise<void> {
    const teamId = e.streamId.slice('team-'.length);
    const event = { type: e.type, data: e.data } as TeamEvent;
    switch (event.type) {
      case 'TeamPlanned': {
        const p = event.data;
        const first = p.sessions[0] as PlannedSession | undefined;
        if (!first) return;
        await manager.query(
          `INSERT INTO enrolment_team_index (team_id, clinic_id, programme_code, first_session_key, first_session_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (team_id) DO NOTHING`,
          [teamId, p.clinicId, p.programmeCode, first.key, first.startsAt],
        );
        return;
      }
      case 'SessionMoved':
        await manager.query(`UPDATE enrolment_team_index SET first_session_at = $3 WHERE team_id = $1 AND first_session_key = $2`, [
          teamId,
          event.data.sessionKey,
          event.data.startsAt,
        ]);
        return;
      case 'SeatOffered':
        offers.set(`${teamId}\u0000${event.data.courseId}`, {
          teamId,
          courseId: event.data.courseId,
          offer: { offeredAt: event.data.offeredAt, expiresAt: event.data.expiresAt },
        });
        return;
      case 'SeatHeld':
        // a hold lapses like an offer expires: the sweeper finds the team here and sends ExpireSeatOffers.
        // Through the batch's map like the other changes (written at the batch's end): written at once, a
        // SeatHoldLapsed/SeatOffered of the same course earlier in the batch would be applied after it.
        offers.set(`${teamId}\u0000${event.data.courseId}`, {
          teamId,
          courseId: event.data.courseId,
          offer: { offeredAt: event.data.heldAt, expiresAt: event.data.heldUntil },
        });
        return;
      case 'SeatHoldLapsed':
      case 'SeatReserved':
      case 'SeatOfferAccepted':
      case 'SeatOfferDeclined':
      case 'SeatOfferExpired':
      case 'CourseLeftWaitlist':
        offers.set(`${teamId}\u0000${event.data.courseId}`, { teamId, courseId: event.data.courseId });
        return;
      default:
        return;
    }
  }

  // ------------------------------------------------------------ phase 2: after commit

  /**
   * Phase 2 runs only in the elected process (the one whose subscription queues the work). An empty
   * queue is looked at again after 250 ms, then less and less often (up to 60 s): new work (queued in this process) wakes it.
   */
  private async runWorker(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!this.leadership.isLeader) {
          await this.sleep(WORKER_MAX_IDLE_MS);
          continue;
        }
        const worked = await this.drain();
        this.failures = 0;
        if (worked) this.idleMs = WORKER_MIN_IDLE_MS;
        const wait = this.idleMs;
        this.idleMs = Math.min(this.idleMs * 2, WORKER_MAX_IDLE_MS);
        await this.sleep(wait);
      } catch (error) {
        this.failures++;
        const delay = Math.min(100 * 2 ** Math.min(this.failures, 7), 10_000);
        this.logger.error(
          `Enrolment follow-ups failed (attempt ${this.failures}); retrying in ${delay} ms. ${error instanceof Error ? error.message : String(error)}`,
        );
        await this.sleep(delay);
      }
    }
  }

  /** Works off the queue in order; one drain at a time (the worker loop and settled() share it). Resolves true when there was work. */
  private drain(): Promise<boolean> {
    const run = this.draining.catch(() => undefined).then(() => this.drainOnce());
    this.draining = run.then(() => undefined);
    return run;
  }

  private async drainOnce(): Promise<boolean> {
    for (let worked = false; ; worked = true) {
      const rows = await this.dataSource.query<
        Array<{
          seq: string;
          kind: WorkKind;
          event: StoredEvent | string;
        }>
      >(`SELECT seq::text AS seq, kind, event FROM enrolment_pm_work ORDER BY seq LIMIT 50`);
      if (rows.length === 0) return worked;
      const work = rows.map((row) => ({
        ...row,
        event: toRecorded(typeof row.event === 'string' ? (JSON.parse(row.event) as StoredEvent) : row.event),
      }));
      const done = await this.alreadyFollowedUp(work);
      if (done.size > 0) await this.dataSource.query(`DELETE FROM enrolment_pm_work WHERE seq = ANY($1::bigint[])`, [[...done]]);
      for (const { seq, kind, event } of work) {
        if (this.stopping) return true;
        if (done.has(seq)) continue;
        try {
          if (kind === 'team-event') await this.sync.afterTeamEvents([event], 'repair');
          else await this.sync.afterCourseEnded(event);
        } catch (error) {
          // a request-level refusal (a stream vanished, a catalogue is missing) will not heal by retrying
          if (!(error instanceof ApiError)) throw error;
          this.logger.warn(`Follow-up of ${event.type} ${event.id} skipped: ${error.code} ${error.message}`);
        }
        await this.dataSource.query(`DELETE FROM enrolment_pm_work WHERE seq = $1`, [seq]);
      }
    }
  }

  /**
   * The queued team events whose course follow-up is stored by now (the request wrote it inline, just after
   * the batch that queued the team event was read): a repair would only find it ('already'), so their rows go
   * without one. All their course streams in one read instead of three reads per event; a rebook's seat
   * (transfer marker) is always repaired, as it also releases the source team's seat.
   */
  private async alreadyFollowedUp(work: ReadonlyArray<{ seq: string; kind: WorkKind; event: RecordedEvent }>): Promise<Set<string>> {
    const candidates = work.flatMap(({ seq, kind, event }) => {
      const courseId = (event.data as { courseId?: unknown }).courseId;
      return kind === 'team-event' && typeof courseId === 'string' && !isTransfer(event)
        ? [{ seq, event, streamId: courseStreamId(courseId) }]
        : [];
    });
    if (candidates.length === 0) return new Set();
    const streams = await this.store.readStreams([...new Set(candidates.map((c) => c.streamId))]);
    const stored = new Set([...streams.values()].flatMap((events) => events.map((e) => e.id.toLowerCase())));
    return new Set(candidates.filter((c) => stored.has(followUpEventId(c.event.id, 'course'))).map((c) => c.seq));
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(this.timer);
        this.wake = undefined;
        resolve();
      };
      this.timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

const OFFER_COLUMNS = { team_id: 'text', course_id: 'text', offered_at: 'timestamptz', expires_at: 'timestamptz' } as const;

/** per (team, course) the batch's last change of an open offer: made (with its times) or gone */
type OpenOffers = Map<string, { teamId: string; courseId: string; offer?: { offeredAt: string; expiresAt: string } }>;

/**
 * The course already recorded this team event in the same batch (its follow-up, with the id derived from
 * the team event's, is there): the request wrote it inline and a repair would only find it ('already').
 * Not for a rebook's seat (transfer marker): its repair also releases the source team's seat.
 */
function followedUpInBatch(e: RecordedEvent, inBatch: ReadonlySet<string>): boolean {
  return !isTransfer(e) && inBatch.has(followUpEventId(e.id, 'course'));
}

function isTransfer(e: RecordedEvent): boolean {
  return (e.metadata as { transfer?: unknown }).transfer !== undefined;
}

/** a team or course event as the work queue keeps it (JSON) */
export function queuedForm(e: RecordedEvent): string {
  const event: StoredEvent = {
    id: e.id,
    streamId: e.streamId,
    revision: e.revision,
    position: { commit: e.position.commit.toString(), prepare: e.position.prepare.toString() },
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    createdAt: e.createdAt.toISOString(),
  };
  return JSON.stringify(event);
}

function toRecorded(e: StoredEvent): RecordedEvent {
  return {
    id: e.id,
    streamId: e.streamId,
    revision: e.revision,
    position: { commit: BigInt(e.position.commit), prepare: BigInt(e.position.prepare) },
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    createdAt: new Date(e.createdAt),
  };
}
