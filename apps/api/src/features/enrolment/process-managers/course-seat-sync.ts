import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  courseDecider,
  isOnTeam,
  isWaitlisted,
  refuse,
  teamDecider,
  type CourseCommand,
  type CourseEnded,
  type CourseState,
  type DomainError,
  type PlannedTeam,
  type SeatReleased,
  type SeatReserved,
  type TeamCommand,
  type TeamCourseWaitlisted,
  type TeamState,
  teamStreamId,
  batchDecider,
} from '#app/domain';
import type { Position, RecordedEvent } from '#app/event-store';
import { comparePositions } from '#app/event-store';
import { Clock } from '../../../platform/clock/clock.js';
import { EnrolmentStreams, type LoadedCourse, type LoadedTeam } from '../streams.js';
import { teamBatch } from '../team-batch.js';
import { WaitlistReview } from '../waitlist-review.policy.js';
import type { LoadedStream } from '../../../platform/write-path/decider-store.js';
import { FollowUpWriter, followUpMetadata, SYSTEM_ACTOR, type FollowUpOutcome } from './follow-up-writer.js';
import { followUpEventId } from './follow-up-ids.js';

const courseBatch = batchDecider(courseDecider);

/** Team events whose course needs a record of them on its own stream. */
export const SYNCED_TEAM_EVENTS: ReadonlySet<string> = new Set([
  'SeatReserved',
  'SeatReleased',
  'CourseWaitlisted',
  'CourseLeftWaitlist',
  'SeatOfferDeclined',
  'SeatOfferExpired',
]);

/** Marks a SeatReserved that moves a course's seat from another team (a rebook); travels in metadata. */
export interface TransferMarker {
  readonly fromTeamId: string;
  readonly toTeamId: string;
  readonly courseId: string;
}

export interface SyncReport {
  /** positions of the follow-ups written */
  readonly positions: Position[];
  /** per course: the course-side record of the team event (applied/already/noop/refused) */
  readonly outcomes: ReadonlyArray<{ readonly eventId: string; readonly courseId: string; readonly outcome: FollowUpOutcome['kind'] }>;
  /** the course stream refused to record a seat or waitlist place, so the team gave it up again */
  readonly compensated: ReadonlyArray<{ readonly courseId: string; readonly error: DomainError }>;
  /** a rebook's source seat was released (or was already) */
  readonly sourceReleased: boolean;
}

/**
 * What the request that wrote the team events already has in hand: the team as its write left it, the course
 * as it loaded it. The course may be stale (the follow-up's append names its revision, so a concurrent write
 * only makes it load again); the team's state is used for its id and programme, which do not change.
 */
export interface SyncHints {
  readonly team?: LoadedTeam;
  readonly course?: LoadedCourse;
}

const EMPTY: SyncReport = { positions: [], outcomes: [], compensated: [], sourceReleased: false };

interface SeatEventData {
  readonly courseId?: string;
  readonly reason?: string;
  readonly reservedAt?: string;
  readonly releasedAt?: string;
  readonly joinedAt?: string;
  readonly leftAt?: string;
  readonly declinedAt?: string;
  readonly expiredAt?: string;
}

/**
 * Keeps each course stream in line with the team streams, which are the source of truth for seats.
 *
 * Every team event about a course gets a follow-up on the course stream (CourseSeatBooked,
 * CourseSeatReleased, CourseWaitlistJoined, CourseWaitlistLeft) whose event ids derive from the team
 * event's id, so it is written once whether the request writes it inline or the process manager repairs
 * it after a crash between the two appends. When the course refuses (it ended meanwhile, or it got a
 * seat on another team of the programme in a race), the team gives the seat or waitlist place up
 * again (a compensating follow-up, also with derived ids), so a team never holds a seat the course
 * does not know. A SeatReserved with a transfer marker (rebook) is recorded on the course as ONE atomic
 * move (CourseSeatReleased + CourseSeatBooked in one append), then the source team releases its seat.
 */
@Injectable()
export class CourseSeatSync {
  private readonly logger = new Logger('EnrolmentSync');

  constructor(
    @Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams,
    @Inject(FollowUpWriter) private readonly followUps: FollowUpWriter,
    @Inject(WaitlistReview) private readonly waitlist: WaitlistReview,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Follow-ups of freshly written team events (all of one team, in order). `repair`: called by the
   * process manager, which skips an event when a later one about the same course already has its
   * follow-up (the request wrote that one inline; applying the older one now would reorder them).
   */
  async afterTeamEvents(events: readonly RecordedEvent[], mode: 'inline' | 'repair', depth = 0, loaded?: SyncHints): Promise<SyncReport> {
    let report = EMPTY;
    for (const event of events) {
      if (!SYNCED_TEAM_EVENTS.has(event.type)) continue;
      report = merge(report, await this.teamEvent(event, mode, depth, mode === 'inline' ? loaded : undefined));
    }
    return report;
  }

  private async teamEvent(te: RecordedEvent, mode: 'inline' | 'repair', depth: number, hints?: SyncHints): Promise<SyncReport> {
    const data = te.data as SeatEventData;
    const courseId = data.courseId;
    if (!courseId || !te.streamId.startsWith('team-')) return EMPTY;
    const teamId = te.streamId.slice('team-'.length);
    // inline, the request hands over the team as its write left it and the course as it loaded it (no reads)
    const team = hints?.team?.teamId === teamId ? hints.team : await this.streams.team(teamId);
    if (!team) return EMPTY;
    const hinted = hints?.course?.courseId === courseId ? hints.course : undefined;
    const course = hinted ?? (await this.streams.course(courseId));
    if (mode === 'repair' && this.superseded(te, team.events, course, courseId)) return EMPTY;

    const transfer = te.type === 'SeatReserved' ? transferOf(te) : undefined;
    const outcome: FollowUpOutcome = course
      ? await this.followUps.apply({
          streamId: course.streamId,
          decider: courseBatch,
          source: te,
          purpose: 'course',
          metadata: followUpMetadata(te, this.clock.now(), transfer ? { transfer } : {}),
          ...(hinted ? { loaded: { state: hinted.state, revision: hinted.revision, events: hinted.events } } : {}),
          decide: (loaded) => {
            if (heldSinceLaterTeamEvent(te, loaded.events)) return null;
            const commands = courseCommands(te, loaded.state, course, team.state, transfer, this.clock.now().toISOString());
            return commands === null ? null : courseBatch.decide(commands, loaded.state);
          },
        })
      : { kind: 'refused', error: refuse('COURSE_NOT_FOUND', 'The course can no longer be found.') };
    let report: SyncReport = {
      ...EMPTY,
      positions: outcome.kind === 'applied' ? [outcome.position] : [],
      outcomes: [{ eventId: te.id, courseId, outcome: outcome.kind }],
    };
    if (outcome.kind === 'refused' && (te.type === 'SeatReserved' || te.type === 'CourseWaitlisted')) {
      report = merge(report, await this.compensate(te, teamId, courseId, outcome.error, depth));
    }
    if (transfer && (outcome.kind !== 'refused' || course?.state.status === 'ended')) {
      report = merge(report, await this.releaseTransferSource(te, transfer, depth));
    }
    return report;
  }

  /** a later event about the same course on the same team already has its follow-up */
  private superseded(te: RecordedEvent, teamEvents: readonly RecordedEvent[], course: LoadedCourse | undefined, courseId: string): boolean {
    const courseIds = new Set((course?.events ?? []).map((e) => e.id.toLowerCase()));
    const teamIds = new Set(teamEvents.map((e) => e.id.toLowerCase()));
    return teamEvents.some(
      (e) =>
        e.revision > te.revision &&
        SYNCED_TEAM_EVENTS.has(e.type) &&
        (e.data as SeatEventData).courseId === courseId &&
        (courseIds.has(followUpEventId(e.id, 'course')) || teamIds.has(followUpEventId(e.id, 'compensate'))),
    );
  }

  /** The course could not record the seat (or waitlist place): the team gives it up again. */
  private async compensate(te: RecordedEvent, teamId: string, courseId: string, error: DomainError, depth: number): Promise<SyncReport> {
    const reason = `The course could not take the ${te.type === 'SeatReserved' ? 'seat' : 'waitlist place'}: ${error.message}`;
    this.logger.warn(`Compensating ${te.type} ${te.id} on ${te.streamId}: ${error.code}`);
    const outcome = await this.teamFollowUp(
      te,
      teamStreamId(teamId),
      'compensate',
      { actor: SYSTEM_ACTOR, reason, compensates: { code: error.code } },
      (state, now) =>
        isOnTeam(state, courseId)
          ? [{ type: 'ReleaseSeat', teamId, courseId, reason, now }]
          : isWaitlisted(state, courseId)
            ? [{ type: 'LeaveWaitlist', teamId, courseId, reason, now }]
            : null,
    );
    const written = outcome.kind === 'applied' ? outcome.written : [];
    const nested = depth < 2 ? await this.afterTeamEvents(written, 'inline', depth + 1) : EMPTY;
    return merge({ ...EMPTY, positions: outcome.kind === 'applied' ? [outcome.position] : [], compensated: [{ courseId, error }] }, nested);
  }

  /** After a rebook's target seat: the source team releases the course's old seat (idempotent). */
  private async releaseTransferSource(te: RecordedEvent, transfer: TransferMarker, depth: number): Promise<SyncReport> {
    const given = (te.metadata as { reason?: string }).reason;
    const reason = `Moved to another team (${transfer.toTeamId})${given ? `: ${given}` : ''}`;
    const outcome = await this.teamFollowUp(
      te,
      teamStreamId(transfer.fromTeamId),
      'transfer-release',
      { reason, transfer: { ...transfer, role: 'source-release' } },
      (state, now) =>
        isOnTeam(state, transfer.courseId)
          ? [{ type: 'ReleaseSeat', teamId: transfer.fromTeamId, courseId: transfer.courseId, reason, now }]
          : null,
    );
    const written = outcome.kind === 'applied' ? outcome.written : [];
    const nested = depth < 2 ? await this.afterTeamEvents(written, 'inline', depth + 1) : EMPTY;
    return merge(
      { ...EMPTY, positions: outcome.kind === 'applied' ? [outcome.position] : [], sourceReleased: outcome.kind !== 'refused' },
      nested,
    );
  }

  /** A course ended: every team still holding a seat or waitlist place for it gives it up. */
  async afterCourseEnded(ce: RecordedEvent): Promise<SyncReport> {
    const data = ce.data as CourseEnded['data'];
    const courseId = ce.streamId.slice('course-'.length);
    const teamIds = [...new Set([...data.seatsToRelease, ...data.waitlistsToLeave].map((s) => s.teamId))];
    const reason = `The course ended (${data.reason.replaceAll('_', ' ')}).`;
    let report = EMPTY;
    for (const teamId of teamIds) {
      const outcome = await this.teamFollowUp(ce, teamStreamId(teamId), `course-ended/${teamId}`, { reason }, (state, now) =>
        isOnTeam(state, courseId)
          ? [{ type: 'ReleaseSeat', teamId, courseId, reason, now }]
          : isWaitlisted(state, courseId)
            ? [{ type: 'LeaveWaitlist', teamId, courseId, reason, now }]
            : null,
      );
      const written = outcome.kind === 'applied' ? outcome.written : [];
      report = merge(report, { ...EMPTY, positions: outcome.kind === 'applied' ? [outcome.position] : [] });
      report = merge(report, await this.afterTeamEvents(written, 'inline', 1));
    }
    return report;
  }

  /** A follow-up on a team stream; a freed seat goes through the waitlist review like any other. */
  private teamFollowUp(
    source: RecordedEvent,
    streamId: string,
    purpose: string,
    extra: Parameters<typeof followUpMetadata>[2],
    build: (state: PlannedTeam, now: string) => TeamCommand[] | null,
  ): Promise<FollowUpOutcome> {
    return this.followUps.apply({
      streamId,
      decider: teamDecider,
      source,
      purpose,
      metadata: followUpMetadata(source, this.clock.now(), extra),
      decide: async (loaded: LoadedStream<TeamState>) => {
        if (loaded.state.status !== 'planned') return null;
        const now = this.clock.now().toISOString();
        const commands = build(loaded.state, now);
        if (!commands) return null;
        const reviewed = await this.waitlist.review(loaded.state, commands, now);
        return teamBatch.decide(reviewed.commands, loaded.state);
      },
    });
  }
}

/**
 * A release (or waitlist leave) must not undo a seat (or waitlist place) that the course got on the same team
 * from a LATER team event: a late follow-up of an old release (the process manager repairing after a crash,
 * while a retried request writes the new booking's follow-up inline) would otherwise take the new seat off the
 * course stream while the team keeps it. Read from the course stream as loaded for this append.
 */
function heldSinceLaterTeamEvent(te: RecordedEvent, courseEvents: readonly RecordedEvent[]): boolean {
  const holding =
    te.type === 'SeatReleased'
      ? 'CourseSeatBooked'
      : te.type === 'SeatReserved' || te.type === 'CourseWaitlisted'
        ? undefined
        : 'CourseWaitlistJoined';
  if (!holding) return false;
  const teamId = te.streamId.slice('team-'.length);
  const latest = courseEvents.findLast((e) => e.type === holding && (e.data as { teamId?: string }).teamId === teamId);
  const cause = (latest?.metadata as { followUpOf?: { streamId?: string; revision?: number } } | undefined)?.followUpOf;
  return cause?.streamId === te.streamId && typeof cause.revision === 'number' && cause.revision > te.revision;
}

export function transferOf(te: RecordedEvent): TransferMarker | undefined {
  const t = (te.metadata as { transfer?: Partial<TransferMarker> & { role?: string } }).transfer;
  return t && t.role === undefined && t.fromTeamId && t.toTeamId && t.courseId
    ? { fromTeamId: t.fromTeamId, toTeamId: t.toTeamId, courseId: t.courseId }
    : undefined;
}

/** The course commands that record a team event on the course; null = nothing to record in this state. */
function courseCommands(
  te: RecordedEvent,
  state: CourseState,
  course: LoadedCourse,
  team: PlannedTeam,
  transfer: TransferMarker | undefined,
  now: string,
): CourseCommand[] | null {
  const d = te.data as SeatEventData;
  const teamId = team.teamId;
  const base = { teamId, programme: team.programme.code, pathway: course.pathway };
  const reason = d.reason ?? (te.metadata as { reason?: string }).reason;
  switch (te.type) {
    case 'SeatReserved': {
      const { reservedAt } = te.data as SeatReserved['data'];
      const book: CourseCommand = { type: 'RecordSeatBooked', ...base, now: reservedAt };
      if (transfer && state.seats.some((s) => s.teamId === transfer.fromTeamId)) {
        const moveReason = `Moved to another team${reason ? `: ${reason}` : ''}`;
        return [
          {
            type: 'RecordSeatReleased',
            teamId: transfer.fromTeamId,
            programme: team.programme.code,
            pathway: course.pathway,
            reason: moveReason,
            now: reservedAt,
          },
          book,
        ];
      }
      return [book];
    }
    case 'SeatReleased':
      if (!state.seats.some((s) => s.teamId === teamId)) return null;
      return [{ type: 'RecordSeatReleased', ...base, ...(reason ? { reason } : {}), now: (te.data as SeatReleased['data']).releasedAt }];
    case 'CourseWaitlisted':
      return [{ type: 'RecordWaitlisted', ...base, now: (te.data as TeamCourseWaitlisted['data']).joinedAt }];
    default: {
      if (!state.waitlists.some((w) => w.teamId === teamId)) return null;
      return [{ type: 'RecordLeftWaitlist', ...base, now: d.leftAt ?? d.declinedAt ?? d.expiredAt ?? now }];
    }
  }
}

function merge(a: SyncReport, b: SyncReport): SyncReport {
  if (b === EMPTY) return a;
  if (a === EMPTY) return b;
  return {
    positions: [...a.positions, ...b.positions],
    outcomes: [...a.outcomes, ...b.outcomes],
    compensated: [...a.compensated, ...b.compensated],
    sourceReleased: a.sourceReleased || b.sourceReleased,
  };
}

export function latestPosition(positions: readonly (Position | undefined)[]): Position | undefined {
  return positions
    .filter((p): p is Position => p !== undefined)
    .reduce<Position | undefined>((max, p) => (!max || comparePositions(p, max) > 0 ? p : max), undefined);
}
