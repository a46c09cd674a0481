import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppointmentBookingService, type AppointmentHeld } from '../appointment-booking.service.js';
import { HoldAppointment } from './hold-appointment.command.js';

@CommandHandler(HoldAppointment)
export class HoldAppointmentHandler implements ICommandHandler<HoldAppointment> {
  constructor(@Inject(AppointmentBookingService) private readonly booking: AppointmentBookingService) {}

  execute({ ctx, courseId, request, holdMinutes }: HoldAppointment): Promise<AppointmentHeld> {
    return this.booking.hold(ctx, courseId, request, holdMinutes);
  }
}
