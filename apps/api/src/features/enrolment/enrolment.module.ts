import { Module } from '@nestjs/common';
import { CourseSeatSync } from './process-managers/course-seat-sync.js';
import { EnrolmentProcessManager } from './process-managers/enrolment.process-manager.js';
import { FollowUpWriter } from './process-managers/follow-up-writer.js';
import { RebookingController } from './rebooking/rebooking.controller.js';
import { RebookingService } from './rebooking/rebooking.service.js';
import { TeamCandidates } from './rebooking/team-candidates.js';
import { OfferExpirySweeper } from './seat-offers/offer-expiry.sweeper.js';
import { SeatOfferService, SeatOffersController } from './seat-offers/seat-offers.controller.js';
import { EnrolmentController } from './enrolment.controller.js';
import { EnrolmentService } from './enrolment.service.js';
import { EnrolmentStreams } from './streams.js';
import { TeamWriter, WaitlistReview } from './team-writer.js';

/**
 * Enrolment, waitlist offers, rebooking and the process manager that keeps course streams in line
 * with team streams (one module: they share the team writer and the follow-up machinery).
 */
@Module({
  providers: [
    EnrolmentStreams,
    WaitlistReview,
    TeamWriter,
    FollowUpWriter,
    CourseSeatSync,
    EnrolmentProcessManager,
    EnrolmentService,
    SeatOfferService,
    OfferExpirySweeper,
    TeamCandidates,
    RebookingService,
  ],
  controllers: [EnrolmentController, SeatOffersController, RebookingController],
  exports: [EnrolmentProcessManager, OfferExpirySweeper, CourseSeatSync, EnrolmentService, EnrolmentStreams, TeamWriter],
})
export class EnrolmentModule {}
