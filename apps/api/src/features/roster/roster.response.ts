import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RosterStepResponse {
  @ApiProperty({ example: 'LANG_PRIMAERSAMTALE' }) stepCode: string;
  @ApiProperty({ example: 'Long first talk' }) name: string;
  @ApiProperty({ enum: ['scheduled', 'completed'], example: 'scheduled' }) status: 'scheduled' | 'completed';
  @ApiPropertyOptional({ example: '2026-03-27T09:00:00+01:00', description: 'booked start, or when it was completed' }) at?: string;
}

export class RosterWindowResponse {
  @ApiProperty({ example: '2026-04-01', description: 'local date (day windows) or instant (hour windows)' }) from: string;
  @ApiProperty({ example: '2026-04-08' }) to: string;
  @ApiProperty({ example: 'Livet med smerter (end)' }) relativeTo: string;
}

export class RosterNextStepResponse {
  @ApiProperty({ example: 'NURSE_FOLLOWUP_1' }) stepCode: string;
  @ApiProperty({ example: 'Nurse follow-up 1' }) name: string;
  @ApiProperty({ example: false, description: 'a choice the patient has not made yet' }) needsChoice: boolean;
  @ApiPropertyOptional({ example: 'MBSR', description: 'the programme to find a seat on (group steps)' }) programme?: string;
  @ApiPropertyOptional({ type: RosterWindowResponse }) window?: RosterWindowResponse;
}

export class RosterEventResponse {
  @ApiProperty({ example: 'session:7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10:S2', description: 'calendar uid (GET /calendars/...)' })
  uid: string;
  @ApiProperty({ enum: ['team-session', 'appointment', 'course-step'] }) kind: string;
  @ApiProperty({ example: 'Living with pain: session 2 of 4' }) title: string;
  @ApiProperty({ example: '2026-04-09T13:00:00+02:00' }) startsAt: string;
  @ApiProperty({ type: String, example: '2026-04-09T15:00:00+02:00', nullable: true }) endsAt: string | null;
  @ApiProperty({ type: String, example: 'room-2', nullable: true }) roomId: string | null;
  @ApiProperty({ type: String, example: null, nullable: true }) teamId: string | null;
}

export class OpenItemResponse {
  @ApiProperty({
    enum: [
      'REFERRAL_ON_HOLD',
      'VISITATION_DUE',
      'VISITATION_OVERDUE',
      'STEP_WINDOW_CLOSING',
      'STEP_WINDOW_MISSED',
      'STEP_BOOKED_OUTSIDE_WINDOW',
      'WAITING_FOR_SEAT',
      'READY_TO_END',
    ],
    example: 'STEP_WINDOW_CLOSING',
  })
  code: string;
  @ApiProperty({ example: 'Nurse follow-up 1 must be booked by 2026-05-08.' }) message: string;
  @ApiPropertyOptional({ example: 'NURSE_FOLLOWUP_1' }) stepCode?: string;
  @ApiPropertyOptional({ example: 'MBSR' }) programme?: string;
  @ApiPropertyOptional() teamId?: string;
  @ApiPropertyOptional({ example: '2026-05-08' }) dueBy?: string;
  @ApiPropertyOptional({ example: '2026-04-20T10:00:00+02:00' }) since?: string;
}

export class CoordinatorResponse {
  @ApiProperty({ example: 'CONTACT_NURSE' }) role: string;
  @ApiPropertyOptional({ example: 'nurse-4' }) clinicianId?: string;
}

export class RosterCourseResponse {
  @ApiProperty({ example: 'b0e5c1f2-7a0c-4c55-9d8e-2c3e4f5a6b7c' }) courseId: string;
  @ApiProperty({ example: 'p-7f3a9c', description: 'pseudonymous patient id (never the CPR number)' }) patientId: string;
  @ApiProperty({ enum: ['on_hold', 'awaiting_visitation', 'active', 'ended'], example: 'active' }) status: string;
  @ApiProperty({ example: ['PAL'], description: "the clinician's roles in this course's microteam" }) roles: string[];
  @ApiProperty({ type: CoordinatorResponse }) coordinator: CoordinatorResponse;
  @ApiProperty({ type: RosterStepResponse, nullable: true, description: 'where the patient is on the pathway' })
  pathwayStep: RosterStepResponse | null;
  @ApiProperty({ type: RosterNextStepResponse, nullable: true, description: 'the next step to book' })
  nextStep: RosterNextStepResponse | null;
  @ApiProperty({ type: RosterEventResponse, nullable: true, description: 'the next session or appointment on the course calendar' })
  nextAppointment: RosterEventResponse | null;
  @ApiProperty({ type: [OpenItemResponse], description: 'what needs attention, judged at evaluatedAt from the stored deadlines' })
  openItems: OpenItemResponse[];
}

export class RosterResponse {
  @ApiProperty({ example: 'doc-17' }) clinicianId: string;
  @ApiProperty({ example: '2026-03-02T10:00:00+01:00', description: 'the moment deadlines were judged at (now, or ?at=)' })
  evaluatedAt: string;
  @ApiProperty({ type: [RosterCourseResponse] }) courses: RosterCourseResponse[];
}
