import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../../../platform/write-path/write-context.js';
import type { AppointmentHeld } from '../appointment-booking.service.js';
import type { BookAppointmentRequest } from '../appointment.request.js';

/** Hold a time for the course without booking it: the clinicians and the room, until `holdMinutes` from now (FHIR Appointment/$hold). */
export class HoldAppointment extends Command<AppointmentHeld> {
  constructor(
    readonly ctx: WriteContext,
    readonly courseId: string,
    readonly request: BookAppointmentRequest,
    readonly holdMinutes: number,
  ) {
    super();
  }
}
