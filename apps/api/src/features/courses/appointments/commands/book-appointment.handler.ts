import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppointmentBookingService, type AppointmentWrite } from '../appointment-booking.service.js';
import { BookAppointment } from './book-appointment.command.js';

/** The reservations on several schedule streams (with compensation) have one home: AppointmentBookingService. */
@CommandHandler(BookAppointment)
export class BookAppointmentHandler implements ICommandHandler<BookAppointment> {
  constructor(@Inject(AppointmentBookingService) private readonly booking: AppointmentBookingService) {}

  execute({ ctx, courseId, request, appointmentId }: BookAppointment): Promise<AppointmentWrite> {
    return this.booking.book(ctx, courseId, request, appointmentId === undefined ? {} : { appointmentId });
  }
}
