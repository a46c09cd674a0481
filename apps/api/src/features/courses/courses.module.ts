import { Module } from '@nestjs/common';
import { PatientsModule } from '../patients/index.js';
import { ScheduleModule } from '../schedule/index.js';
import { AppointmentBookingService } from './appointments/appointment-booking.service.js';
import { AppointmentsController } from './appointments/appointments.controller.js';
import { CourseAppointments } from './appointments/course-appointments.query.js';
import { BookAppointmentHandler } from './appointments/commands/book-appointment.handler.js';
import { CancelAppointmentHandler } from './appointments/commands/cancel-appointment.handler.js';
import { HoldAppointmentHandler } from './appointments/commands/hold-appointment.handler.js';
import { AddAddOnHandler } from './commands/add-add-on.handler.js';
import { AssignMicroteamMemberHandler } from './commands/assign-microteam-member.handler.js';
import { ChooseOptionHandler } from './commands/choose-option.handler.js';
import { CompleteStepHandler } from './commands/complete-step.handler.js';
import { DecideVisitationHandler } from './commands/decide-visitation.handler.js';
import { EndCourseHandler } from './commands/end-course.handler.js';
import { ReceiveReferralHandler } from './commands/receive-referral.handler.js';
import { RecordPatientFactsHandler } from './commands/record-patient-facts.handler.js';
import { RemoveMicroteamMemberHandler } from './commands/remove-microteam-member.handler.js';
import { ScheduleStepHandler } from './commands/schedule-step.handler.js';
import { SkipStepHandler } from './commands/skip-step.handler.js';
import { SupplementReferralHandler } from './commands/supplement-referral.handler.js';
import { CourseAsOf } from './course-as-of.query.js';
import { CourseReader } from './course-reader.js';
import { CourseWriter } from './course-writer.js';
import { CoursesController } from './courses.controller.js';
import { ReferralsController } from './referrals.controller.js';

const COMMAND_HANDLERS = [
  ReceiveReferralHandler,
  SupplementReferralHandler,
  DecideVisitationHandler,
  RecordPatientFactsHandler,
  AssignMicroteamMemberHandler,
  RemoveMicroteamMemberHandler,
  ScheduleStepHandler,
  CompleteStepHandler,
  SkipStepHandler,
  ChooseOptionHandler,
  AddAddOnHandler,
  EndCourseHandler,
  // appointments (a child of courses: /courses/{id}/appointments)
  BookAppointmentHandler,
  CancelAppointmentHandler,
  HoldAppointmentHandler,
];

/**
 * Referrals and patients' courses (care-model §3–§6) and their individual appointments: POST /referrals,
 * GET /courses/{id}, the pathway operations and /courses/{id}/appointments. Every write is a command
 * (commands/, appointments/commands/) dispatched on the CommandBus to its handler.
 */
@Module({
  imports: [PatientsModule, ScheduleModule],
  providers: [CourseReader, CourseWriter, CourseAsOf, CourseAppointments, AppointmentBookingService, ...COMMAND_HANDLERS],
  controllers: [ReferralsController, CoursesController, AppointmentsController],
  exports: [CourseReader, CourseAsOf],
})
export class CoursesModule {}
