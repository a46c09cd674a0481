import { Body, Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppointmentRecord } from '#app/domain';
import type { Actor } from '../../../platform/auth/actor.js';
import { CurrentActor } from '../../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../../platform/auth/roles.decorator.js';
import { PatientData } from '../../../platform/access-log/patient-data.decorator.js';
import { AppointmentResponse } from '../course.response.js';
import { WriteEndpoint } from '../../../platform/http/endpoint.js';
import { ApiReadErrors, WRITE_HEADERS } from '../../../platform/http/openapi.js';
import { ApiError } from '../../../platform/http/api-error.js';
import { Write, type WriteContext } from '../../../platform/write-path/write-context.js';
import { setReadHeaders, setWriteHeaders } from '../../../platform/write-path/write-response.js';
import { BookAppointmentRequest, CancelAppointmentRequest } from './appointment.request.js';
import { CourseAppointments } from './course-appointments.query.js';
import { BookAppointment } from './commands/book-appointment.command.js';
import { CancelAppointment } from './commands/cancel-appointment.command.js';
import { CourseRead } from '../../../platform/privacy/course-read-policy.js';

class AppointmentListResponse {
  @ApiProperty({ type: [AppointmentResponse], description: 'booked and cancelled, by start' })
  appointments: AppointmentResponse[];
}

const COURSE_ID = ApiParam({ name: 'id', description: 'course id (uuid)', example: '0b6c2f7a-41a3-4f0e-8f57-3a1e2c9d4b55' });
const APPOINTMENT_ID = ApiParam({ name: 'appointmentId', example: '5b7f8c1e-2d1a-4c43-9a1e-7d2f4b9c0a12' });
const ETAG_NOTE = "ETag / If-Match: the revision of the patient's schedule (not of the course).";

/** Individual consultations of a course, with clinician, room and patient clashes refused. */
@ApiTags('appointments')
@Controller('courses/:id/appointments')
export class AppointmentsController {
  constructor(
    @Inject(CourseAppointments) private readonly appointments: CourseAppointments,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  @Get()
  @PatientData({ use: 'read', courseParam: 'id' })
  @Roles('secretary', 'clinician', 'auditor')
  @CourseRead('id')
  @ApiOperation({ summary: "The course's individual appointments, booked and cancelled", description: ETAG_NOTE })
  @COURSE_ID
  @ApiOkResponse({ type: AppointmentListResponse, headers: { ETag: WRITE_HEADERS.ETag } })
  @ApiReadErrors()
  async list(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ appointments: AppointmentRecord[] }> {
    const { appointments, revision } = await this.appointments.list(actor, id);
    setReadHeaders(res, revision);
    return { appointments };
  }

  @Get(':appointmentId')
  @PatientData({ use: 'read', courseParam: 'id' })
  @Roles('secretary', 'clinician', 'auditor')
  @CourseRead('id')
  @ApiOperation({ summary: 'One appointment of the course' })
  @COURSE_ID
  @APPOINTMENT_ID
  @ApiOkResponse({ type: AppointmentResponse, headers: { ETag: WRITE_HEADERS.ETag } })
  @ApiReadErrors()
  async one(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('appointmentId') appointmentId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppointmentRecord> {
    const { appointments, revision } = await this.appointments.list(actor, id);
    const found = appointments.find((a) => a.appointmentId === appointmentId);
    if (!found) throw ApiError.notFound('appointment', appointmentId);
    setReadHeaders(res, revision);
    return found;
  }

  // the 201 with its Location header goes above WriteEndpoint, so it replaces the plain 201 WriteEndpoint documents
  @ApiCreatedResponse({
    type: AppointmentResponse,
    headers: { ...WRITE_HEADERS, Location: { description: '/courses/{id}/appointments/{appointmentId}', schema: { type: 'string' } } },
  })
  @WriteEndpoint({
    method: 'POST',
    roles: ['secretary', 'clinician'],
    patientData: { use: 'write', courseParam: 'id' },
    summary: 'Book an individual consultation: reserves every clinician, the room and the patient, or none',
    description:
      'Refused with 409 SCHEDULE_CLASH when a clinician, the room or the patient is already booked at an overlapping time (details name each ' +
      'clashing resource and the time it is taken, never whose booking it is). Safe under concurrency: of several secretaries booking the same ' +
      'slot at once exactly one succeeds. The course must be accepted and not ended. ' +
      ETAG_NOTE,
    conflict: [
      'SCHEDULE_CLASH (details: resource, resourceId, busyWith, start, end; clashes: every clashing resource)',
      'BOOKING_ABANDONED',
      'APPOINTMENT_ID_IN_USE',
    ],
    unprocessable: ['UNKNOWN_INTERVENTION', 'DURATION_REQUIRED', 'REFERRAL_ON_HOLD', 'VISITATION_NOT_ACCEPTED'],
    created: AppointmentResponse,
  })
  @COURSE_ID
  async book(
    @Param('id') id: string,
    @Body() body: BookAppointmentRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppointmentRecord> {
    const write = await this.commands.execute(new BookAppointment(ctx, id, body));
    setWriteHeaders(res, write);
    res.setHeader('Location', `/courses/${id}/appointments/${write.appointment.appointmentId}`);
    return write.appointment;
  }

  @WriteEndpoint({
    method: 'DELETE',
    path: ':appointmentId',
    roles: ['secretary', 'clinician'],
    patientData: { use: 'write', courseParam: 'id' },
    summary: 'Cancel an appointment with the reason: it stays on the record as cancelled and frees its clinicians and room',
    description: 'Cancelling an already cancelled appointment changes nothing. ' + ETAG_NOTE,
    ok: AppointmentResponse,
  })
  @COURSE_ID
  @APPOINTMENT_ID
  async cancel(
    @Param('id') id: string,
    @Param('appointmentId') appointmentId: string,
    @Body() body: CancelAppointmentRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppointmentRecord> {
    const write = await this.commands.execute(new CancelAppointment(ctx, id, appointmentId, body));
    setWriteHeaders(res, write);
    return write.appointment;
  }
}
