import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppointmentBookingService, type AppointmentWrite } from '../appointment-booking.service.js';
import { CancelAppointment } from './cancel-appointment.command.js';

/** The patient's stream (the commit point) first, then the clinicians' and room's holds are released. */
@CommandHandler(CancelAppointment)
export class CancelAppointmentHandler implements ICommandHandler<CancelAppointment> {
  constructor(@Inject(AppointmentBookingService) private readonly booking: AppointmentBookingService) {}

  execute({ ctx, courseId, appointmentId, request }: CancelAppointment): Promise<AppointmentWrite> {
    return this.booking.cancel(ctx, courseId, appointmentId, request.reason);
  }
}
