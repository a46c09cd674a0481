import { Inject, Injectable } from '@nestjs/common';
import { isDomainError, type FailedCriterion, type PlannedTeam, type TeamCommand, type TeamEvent, type TeamState } from '#app/domain';
import type { DecisionPolicy } from '../../platform/write-path/decider-store.js';
import { teamBatch, type TeamCommands } from './team-batch.js';
import { seatFitFailures } from './seat-fit.js';
import { EnrolmentStreams } from './streams.js';

/** A waiting course that was passed over for a freed seat, and why. */
export interface PassedOver {
  readonly courseId: string;
  readonly reasons: readonly FailedCriterion[];
}

export const PASSED_OVER_PREFIX = 'Passed over for a freed seat: ';

/**
 * Reviews the waitlist before a freed seat is offered. The team decider offers a freed seat to the first
 * course in fair order (settings.waitlist.autoOfferFreedSeats); it cannot know whether that course is
 * still eligible on its current facts or whether the team fits its pathway window, because those live on
 * the course stream. So, as a DeciderStore policy on the decided events, it re-reads every course the
 * decision would offer a seat to, and for each one that no longer fits puts a `LeaveWaitlist` (reason: the
 * failed criteria) in front of the commands, then decides again. The result is ONE atomic append, e.g.
 * CourseLeftWaitlist(passed over) + SeatReleased + SeatOffered(the right patient): no offer ever goes to
 * a course that cannot take it. No change to the team decider was needed.
 */
@Injectable()
export class WaitlistReview {
  constructor(@Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams) {}

  /** the review as a policy of a team write at `now`; the passed-over courses travel in the events' metadata */
  policy(now: string): DecisionPolicy<TeamCommands, TeamEvent, TeamState> {
    return async ({ command, state, events }) => {
      if (state.status !== 'planned' || !events.some((e) => e.type === 'SeatOffered')) return undefined;
      const built = typeof command === 'function' ? command(state) : command;
      if (isDomainError(built)) return undefined;
      const { commands, passedOver } = await this.review(state, built, now);
      return passedOver.length > 0 ? { command: commands, metadata: { passedOver } } : undefined;
    };
  }

  async review(
    state: PlannedTeam,
    commands: readonly TeamCommand[],
    now: string,
  ): Promise<{ commands: TeamCommand[]; passedOver: PassedOver[] }> {
    const passedOver: PassedOver[] = [];
    const checked = new Map<string, readonly FailedCriterion[]>();
    for (let round = 0; round <= state.waitlist.length; round++) {
      const all: TeamCommand[] = [
        ...passedOver.map((p): TeamCommand => ({
          type: 'LeaveWaitlist',
          teamId: state.teamId,
          courseId: p.courseId,
          reason: passedOverReason(p.reasons),
          now,
        })),
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
