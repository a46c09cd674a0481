import { Inject, Injectable } from '@nestjs/common';
import { toMillis } from '#app/domain';
import type { Actor } from '../../../platform/auth/actor.js';
import { Clock } from '../../../platform/clock/clock.js';
import { CourseReadPolicy, hideParticipants } from '../../../platform/privacy/course-read-policy.js';
import { teamSeats } from '../seat-writes.js';
import { EnrolmentStreams } from '../streams.js';
import type { TeamOffersResponse } from './seat-offers.response.js';

/** A team's open seat offers and waitlist, read from the team stream (the offers' expiry judged by the Clock). */
@Injectable()
export class SeatOffersQuery {
  constructor(
    @Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams,
    @Inject(CourseReadPolicy) private readonly policy: CourseReadPolicy,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, teamId: string): Promise<{ body: TeamOffersResponse; revision: number }> {
    const team = await this.streams.ownTeam(actor, teamId);
    const s = team.state;
    const nowMs = this.clock.now().getTime();
    const shown = await this.policy.participantFilter(
      actor,
      s.therapists.map((t) => t.clinicianId),
    );
    return {
      revision: team.revision,
      body: hideParticipants(
        {
          teamId,
          team: teamSeats(s),
          offers: s.offers.map((o) => ({ ...o, expired: toMillis(o.expiresAt) <= nowMs })),
          waitlist: s.waitlist.map((w, i) => ({ position: i + 1, ...w, hasOffer: s.offers.some((o) => o.courseId === w.courseId) })),
        },
        shown,
      ),
    };
  }
}
