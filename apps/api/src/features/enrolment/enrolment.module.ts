import { Module } from '@nestjs/common';
import { CancelEnrolmentHandler } from './commands/cancel-enrolment.handler.js';
import { EnrolCourseHandler } from './commands/enrol-course.handler.js';
import { EnrolmentController } from './enrolment.controller.js';
import { InlineFollowUps } from './inline-follow-ups.js';
import { CourseSeatSync } from './process-managers/course-seat-sync.js';
import { EnrolmentProcessManager } from './process-managers/enrolment.process-manager.js';
import { FollowUpWriter } from './process-managers/follow-up-writer.js';
import { RebookCourseHandler } from './rebooking/commands/rebook-course.handler.js';
import { RebookingController } from './rebooking/rebooking.controller.js';
import { TeamCandidates } from './rebooking/team-candidates.js';
import { AcceptSeatOfferHandler } from './seat-offers/commands/accept-seat-offer.handler.js';
import { DeclineSeatOfferHandler } from './seat-offers/commands/decline-seat-offer.handler.js';
import { OfferExpirySweeper } from './seat-offers/offer-expiry.sweeper.js';
import { SeatOffersController } from './seat-offers/seat-offers.controller.js';
import { SeatOffersQuery } from './seat-offers/seat-offers.query.js';
import { EnrolmentStreams } from './streams.js';
import { TeamWriter } from './team-writer.js';
import { WaitlistReview } from './waitlist-review.policy.js';

/**
 * Enrolment, waitlist offers, rebooking and the process manager that keeps course streams in line
 * with team streams (one module: they share the team writer and the follow-up machinery). Writes are
 * commands on the CommandBus, one handler each.
 */
@Module({
  providers: [
    EnrolmentStreams,
    WaitlistReview,
    TeamWriter,
    FollowUpWriter,
    CourseSeatSync,
    InlineFollowUps,
    EnrolmentProcessManager,
    EnrolCourseHandler,
    CancelEnrolmentHandler,
    AcceptSeatOfferHandler,
    DeclineSeatOfferHandler,
    SeatOffersQuery,
    OfferExpirySweeper,
    TeamCandidates,
    RebookCourseHandler,
  ],
  controllers: [EnrolmentController, SeatOffersController, RebookingController],
  exports: [EnrolmentProcessManager, OfferExpirySweeper, CourseSeatSync, EnrolmentStreams, TeamWriter],
})
export class EnrolmentModule {}
