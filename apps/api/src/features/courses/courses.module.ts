import { Module } from '@nestjs/common';
import { AppointmentBookingService } from '../appointments/appointment-booking.service.js';
import { AppointmentsController } from '../appointments/appointments.controller.js';
import { PatientsModule } from '../patients/patients.module.js';
import { ScheduleModule } from '../schedule/schedule.module.js';
import { CourseService } from './course.service.js';
import { CoursesController } from './courses.controller.js';
import { PatientSearchController } from './patient-search.controller.js';
import { ReferralsController } from './referrals.controller.js';

/**
 * Referrals and patients' courses (care-model §3–§6) and their individual appointments: POST /referrals,
 * GET /courses/{id}, the pathway operations and /courses/{id}/appointments.
 */
@Module({
  imports: [PatientsModule, ScheduleModule],
  providers: [CourseService, AppointmentBookingService],
  controllers: [ReferralsController, CoursesController, AppointmentsController, PatientSearchController],
  exports: [CourseService, AppointmentBookingService],
})
export class CoursesModule {}
