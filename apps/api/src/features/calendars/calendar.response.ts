import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class CalendarEntryResponse {
  @ApiProperty({
    example: 'session:7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10:S1',
    description: 'stable for the life of the item (iCalendar UID)',
  })
  uid: string;
  @ApiProperty({ example: 2, description: 'grows by one on every change of time, place or status (iCalendar SEQUENCE)' }) sequence: number;
  @ApiProperty({ enum: ['team-session', 'appointment', 'course-step'], example: 'team-session' }) kind: string;
  @ApiProperty({ enum: ['confirmed', 'cancelled'], example: 'confirmed', description: 'cancelled items stay in the calendar as cancelled' })
  status: string;
  @ApiProperty({ example: 'Living with pain: session 1 of 4' }) title: string;
  @ApiProperty({ example: '2026-04-02T13:00:00+02:00' }) startsAt: string;
  @ApiProperty({
    type: String,
    example: '2026-04-02T15:00:00+02:00',
    nullable: true,
    description: 'null for a step booked at a time without a length',
  })
  endsAt: string | null;
  @ApiProperty({ type: String, example: 'room-2', nullable: true }) roomId: string | null;
  @ApiPropertyOptional({ example: '7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10' }) teamId?: string;
  @ApiPropertyOptional({ example: 'S1' }) sessionKey?: string;
  @ApiPropertyOptional({ example: 1 }) sessionNumber?: number;
  @ApiPropertyOptional({ example: 'LIVET_MED_SMERTER' }) programme?: string;
  @ApiPropertyOptional({ example: 'KORT_PRIMAERSAMTALE' }) intervention?: string;
  @ApiPropertyOptional({ example: 'KORT_PRIMAERSAMTALE', description: 'course steps: the pathway step booked' }) stepCode?: string;
  @ApiPropertyOptional({ example: 'c1d2e3f4-0000-4000-8000-000000000001' }) appointmentId?: string;
  @ApiProperty({ example: ['doc-17', 'nurse-4'], description: 'clinicians taking part (team therapists, or the appointment’s clinicians)' })
  clinicianIds: string[];
  @ApiProperty({
    example: ['b0e5c1f2-7a0c-4c55-9d8e-2c3e4f5a6b7c'],
    description: "patients' courses taking part that you may see (your microteams' and, for items you take part in, all of them)",
  })
  courseIds: string[];
  @ApiPropertyOptional({ example: 'Therapist ill' }) cancelReason?: string;
  @ApiPropertyOptional({ example: '2026-03-30T08:00:00+02:00' }) cancelledAt?: string;
  @ApiProperty({ example: '2026-03-30T08:00:00+02:00', description: 'last change (iCalendar LAST-MODIFIED)' }) updatedAt: string;
}

export class CalendarResponse {
  @ApiProperty({ enum: ['clinician', 'room', 'team', 'course'], example: 'clinician' }) calendar: string;
  @ApiProperty({ example: 'doc-17' }) id: string;
  @ApiProperty({ example: '2026-03-01T00:00:00+01:00' }) from: string;
  @ApiProperty({ example: '2026-06-01T00:00:00+02:00' }) to: string;
  @ApiProperty({ example: 'Europe/Copenhagen' }) timeZone: string;
  @ApiProperty({ type: [CalendarEntryResponse], description: 'items overlapping [from, to), by start' }) entries: CalendarEntryResponse[];
}
