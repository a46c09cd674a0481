import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isDomainError, isOnTeam, teamDecider, type FailedCriterion, type PlannedTeam } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { courseSideRefusal, seatFitFailures } from '../../seat-fit.js';
import { EnrolmentStreams, checkId, type LoadedCourse, type LoadedTeam } from '../../streams.js';
import { TeamWriter, type TeamWrite } from '../../team-writer.js';
import { ApiError } from '../../../../platform/http/api-error.js';
import { latestPosition, type TransferMarker } from '../../process-managers/course-seat-sync.js';
import type { WriteContext } from '../../../../platform/write-path/write-context.js';
import { writtenWithKey } from '../../../../platform/write-path/decider-store.js';
import { Clock } from '../../../../platform/clock/clock.js';
import { InlineFollowUps } from '../../inline-follow-ups.js';
import { httpError, recorded, type WriteOutcome } from '../../seat-writes.js';
import type { RebookResponse } from '../rebooking.response.js';
import { TeamCandidates } from '../team-candidates.js';
import { RebookCourse } from './rebook-course.command.js';

/** refusals of a candidate team that just mean "not this one, try the next" */
const TRY_NEXT: ReadonlySet<string> = new Set([
  'TEAM_FULL',
  'WAITLIST_HAS_PRIORITY',
  'ROOM_FULL',
  'TEAM_CLOSED_FOR_LATE_JOINERS',
  'ALREADY_WAITLISTED',
  'NOT_ELIGIBLE',
]);

interface Considered {
  readonly teamId: string;
  readonly firstSessionAt: string;
  readonly reasons: readonly FailedCriterion[];
}

/**
 * Moves a course's seat to another team of the same programme: POST /courses/{id}/rebook.
 *
 * Never two seats, never none, on both event stores (no multi-stream atomic append):
 * 1. the TARGET team reserves the seat, with a transfer marker (`metadata.transfer = { fromTeamId,
 *    toTeamId, courseId }`) — the only step that can be refused (full, closed, not eligible); when it is,
 *    nothing has been written anywhere and the source seat is kept;
 * 2. the COURSE stream records the move as ONE atomic append (CourseSeatReleased from the source +
 *    CourseSeatBooked on the target, same causation), so the course is never seen with two seats or none;
 * 3. the SOURCE team releases its seat (freed seat offered on through the waitlist review).
 * Steps 2 and 3 are follow-ups with ids derived from the step-1 event id: done inline here, and by the
 * enrolment process manager if the process dies in between, each exactly once.
 * What an observer can see between 1 and 3 (milliseconds; longer only after a crash until the process
 * manager repairs it): the two team streams both list the course, the target's reservation marked as a
 * transfer from the source. The source seat is never offered to anyone before step 3, so the patient is
 * never without a seat; the course stream (what the secretary and the course read model see) moves in
 * one step. The target seat is never given up for this move unless the course refuses it (then the source
 * is kept), so the patient never ends with none.
 */
@CommandHandler(RebookCourse)
export class RebookCourseHandler implements ICommandHandler<RebookCourse> {
  constructor(
    @Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams,
    @Inject(TeamWriter) private readonly teams: TeamWriter,
    @Inject(TeamCandidates) private readonly candidates: TeamCandidates,
    @Inject(InlineFollowUps) private readonly followUps: InlineFollowUps,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ courseId, input, ctx }: RebookCourse): Promise<WriteOutcome<RebookResponse>> {
    checkId('team', input.fromTeamId);
    const course = await this.streams.ownCourse(ctx.actor, courseId);
    const from = await this.streams.ownTeam(ctx.actor, input.fromTeamId);
    const now = this.clock.now().toISOString();
    const programme = from.state.programme.code;
    let write: TeamWrite | undefined;
    let target: LoadedTeam | undefined;
    const considered: Considered[] = [];

    if (input.toTeamId !== undefined) {
      checkId('team', input.toTeamId);
      if (input.toTeamId === input.fromTeamId)
        throw new ApiError(422, 'SAME_TEAM', 'The course already has its seat on this team; choose another team.');
      target = await this.streams.ownTeam(ctx.actor, input.toTeamId);
      if (!this.replays(target.events, ctx)) {
        this.checkSource(from, courseId, ctx);
        if (target.state.programme.code !== programme) {
          throw new ApiError(422, 'PROGRAMME_MISMATCH', `A seat can only be moved to another ${from.state.programme.name.en} team.`, {
            programme,
            targetProgramme: target.state.programme.code,
          });
        }
        const courseSide = courseSideRefusal(course, target.state, now, { releasing: from.teamId });
        if (courseSide) throw httpError(courseSide);
      }
      write = await this.transfer(course, from, target, input.reason, now, ctx);
    } else {
      const shortlist = (await this.candidates.find(from.clinicId, programme, now)).filter((c) => c.teamId !== from.teamId);
      const teams: LoadedTeam[] = [];
      for (const c of shortlist) {
        const t = await this.streams.team(c.teamId);
        if (t && t.clinicId === ctx.actor.clinicId && t.state.programme.code === programme) teams.push(t);
      }
      // a retried request: the team it already reserved on, whatever the shortlist says now
      const earlier = teams.find((t) => this.replays(t.events, ctx));
      if (earlier) {
        target = earlier;
        write = await this.transfer(course, from, earlier, input.reason, now, ctx);
      } else {
        this.checkSource(from, courseId, ctx);
        for (const t of teams) {
          const reasons = this.wouldRefuse(course, from, t.state, now);
          const firstSessionAt = t.state.sessions[0].startsAt;
          if (reasons.length > 0) {
            considered.push({ teamId: t.teamId, firstSessionAt, reasons });
            continue;
          }
          try {
            write = await this.transfer(course, from, t, input.reason, now, ctx);
            target = t;
            break;
          } catch (error) {
            if (!(error instanceof ApiError) || !TRY_NEXT.has(error.code)) throw error;
            considered.push({ teamId: t.teamId, firstSessionAt, reasons: [{ code: error.code, reason: error.message }] });
          }
        }
        if (!write || !target) {
          throw new ApiError(
            409,
            'NO_TEAM_AVAILABLE',
            `No later ${from.state.programme.name.en} team has a free seat that fits this course; the seat on the current team is kept.`,
            {
              considered,
            },
          );
        }
      }
    }

    const report = await this.followUps.after(write, courseId);
    const state = write.result.state as PlannedTeam;
    return {
      httpStatus: 200,
      revision: write.result.revision,
      position: latestPosition([write.result.position, ...report.positions]),
      body: {
        status: 'moved',
        courseId,
        fromTeamId: from.teamId,
        toTeamId: target.teamId,
        programme,
        firstSessionAt: state.sessions[0].startsAt,
        courseRecorded: recorded(report, courseId),
        sourceReleased: report.sourceReleased,
        ...(considered.length > 0 ? { passedOverTeams: considered.map((c) => ({ ...c, reasons: [...c.reasons] })) } : {}),
      },
    };
  }

  /** If-Match names the source team's revision; the course must hold a seat there (team stream = truth). */
  private checkSource(from: LoadedTeam, courseId: string, ctx: WriteContext): void {
    if (ctx.ifMatch !== undefined && ctx.ifMatch !== from.revision) {
      throw new ApiError(412, 'PRECONDITION_FAILED', 'The team has changed since you loaded it. Reload it and try again.', {
        streamId: from.streamId,
        expectedRevision: ctx.ifMatch,
        currentRevision: from.revision,
      });
    }
    if (!isOnTeam(from.state, courseId)) {
      throw new ApiError(409, 'SEAT_NOT_FOUND', 'The course has no seat on that team to move.', { teamId: from.teamId });
    }
  }

  /** why ReserveSeat on this team would be refused now, or the team does not fit the course */
  private wouldRefuse(course: LoadedCourse, from: LoadedTeam, team: PlannedTeam, now: string): FailedCriterion[] {
    const decided = teamDecider.decide(this.reserve(course, from, team.teamId, now), team);
    const teamSide = isDomainError(decided) ? [{ code: decided.code, reason: decided.message }, ...decided.failures] : [];
    const fit = seatFitFailures(course, team, now, { releasing: from.teamId });
    const seen = new Set<string>();
    return [...teamSide, ...fit].filter((f) => !seen.has(f.code) && (seen.add(f.code), true));
  }

  private reserve(course: LoadedCourse, from: LoadedTeam, teamId: string, now: string) {
    // the patient's relatives come along; their ages were checked when the source seat was booked (same programme)
    const seat = from.state.seats.find((s) => s.courseId === course.courseId);
    const minAge = from.state.programme.relatives?.minAge ?? 18;
    return {
      type: 'ReserveSeat' as const,
      teamId,
      courseId: course.courseId,
      referralDate: course.state.referral.receivedAt,
      facts: course.state.facts,
      relatives: Array.from({ length: seat?.relatives ?? 0 }, () => ({ age: minAge })),
      now,
    };
  }

  private transfer(
    course: LoadedCourse,
    from: LoadedTeam,
    target: LoadedTeam,
    reason: string,
    now: string,
    ctx: WriteContext,
  ): Promise<TeamWrite> {
    const transfer: TransferMarker = { fromTeamId: from.teamId, toTeamId: target.teamId, courseId: course.courseId };
    return this.teams.execute(target.teamId, [this.reserve(course, from, target.teamId, now)], {
      metadata: { ...ctx.metadata({ reason }), transfer },
      now,
    });
  }

  private replays(events: readonly RecordedEvent[], ctx: WriteContext): boolean {
    return writtenWithKey(events, ctx.metadata()).length > 0;
  }
}
