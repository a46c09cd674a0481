import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../../platform/write-path/write-context.js';
import type { AppointmentWrite } from '../appointment-booking.service.js';
import type { CancelAppointmentRequest } from '../appointment.request.js';

/** Cancel an appointment with the reason; it stays on the record as cancelled (DELETE /courses/{id}/appointments/{appointmentId}). */
export class CancelAppointment extends Command<AppointmentWrite> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly appointmentId: string,
    readonly request: CancelAppointmentRequest,
  ) {
    super();
  }
}
