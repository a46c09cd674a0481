import { applyDecorators } from '@nestjs/common';
import { ApiConflictResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ScheduleClashEntry {
  @ApiProperty({ enum: ['clinician', 'room', 'patient'], example: 'clinician' }) resource: string;
  @ApiPropertyOptional({ example: 'C-0042', description: 'absent for the patient' }) resourceId?: string;
  @ApiProperty({ enum: ['appointment', 'team-session', 'pathway-step'], example: 'team-session' }) busyWith: string;
  @ApiProperty({ example: '2027-03-03T09:00:00+01:00' }) start: string;
  @ApiProperty({ example: '2027-03-03T11:30:00+01:00' }) end: string;
  @ApiPropertyOptional({
    example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11',
    description: "the team it is busy with (only a team of the caller's own clinic)",
  })
  teamId?: string;
  @ApiPropertyOptional({ example: 'S3', description: 'with teamId: the session' }) sessionKey?: string;
  @ApiPropertyOptional({
    example: '2027-03-03T09:30:00+01:00',
    description: 'team writes: the start of the session of this request that clashes',
  })
  requestedStart?: string;
}

export class ScheduleClashDetails extends ScheduleClashEntry {
  @ApiProperty({ type: [ScheduleClashEntry], description: 'every clash on every resource; the top-level fields repeat the first' })
  clashes: ScheduleClashEntry[];
}

export class ScheduleClashErrorResponse {
  @ApiProperty({ example: 409 }) statusCode: number;
  @ApiProperty({
    example: 'SCHEDULE_CLASH',
    description: 'SCHEDULE_CLASH, or CONCURRENCY_CONFLICT when the record is changed by many at once',
  })
  code: string;
  @ApiProperty({
    example:
      'Clinician C-0042 is already booked for a team session from 2027-03-03T09:00:00+01:00 to 2027-03-03T11:30:00+01:00 and a team session from 2027-03-10T09:00:00+01:00 to 2027-03-10T11:30:00+01:00.',
  })
  message: string;
  @ApiProperty({ type: ScheduleClashDetails }) details: ScheduleClashDetails;
}

/**
 * 409 of a write that reserves rooms or staff: SCHEDULE_CLASH lists every clashing session or appointment
 * (never a patient, course or another clinic's team).
 */
export const ApiScheduleClash = (what: string) =>
  applyDecorators(
    ApiConflictResponse({
      type: ScheduleClashErrorResponse,
      description: `SCHEDULE_CLASH: ${what} is already booked at an overlapping time; details.clashes lists every clash (resource, busy with what, when). CONCURRENCY_CONFLICT: changed by many people at once, try again.`,
    }),
  );
