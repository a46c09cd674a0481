import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../../platform/write-path/write-context.js';
import type { AppointmentWrite } from '../appointment-booking.service.js';
import type { BookAppointmentRequest } from '../appointment.request.js';

/**
 * Book an individual consultation of a course: every clinician, the room and the patient, or none
 * (POST /courses/{id}/appointments; FHIR $book). `appointmentId`: complete a time held before ($hold).
 */
export class BookAppointment extends Command<AppointmentWrite> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly request: BookAppointmentRequest,
    readonly appointmentId?: string,
  ) {
    super();
  }
}
