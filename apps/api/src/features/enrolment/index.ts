// The enrolment feature's public surface: other features import from here only.
export { EnrolmentModule } from './enrolment.module.js';
export { EnrolCourse } from './commands/enrol-course.command.js';
export { CancelEnrolment } from './commands/cancel-enrolment.command.js';
export { EnrolmentStreams, checkId, type LoadedCourse, type LoadedTeam } from './streams.js';
export { TeamWriter, type TeamWrite } from './team-writer.js';
export { httpError, type WriteOutcome } from './seat-writes.js';
export { courseSideRefusal, seatFitFailures } from './seat-fit.js';
export { EnrolmentProcessManager } from './process-managers/enrolment.process-manager.js';
export { OfferExpirySweeper } from './seat-offers/offer-expiry.sweeper.js';
