import { ApiProperty } from '@nestjs/swagger';

export class PatientCoursePathwayResponse {
  @ApiProperty({ example: 'SMERTEFORLOEB' }) code: string;
  @ApiProperty({ example: 1 }) version: number;
}

export class PatientCourseSeatResponse {
  @ApiProperty({ example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11' }) teamId: string;
  @ApiProperty({ example: 'FORSTAA_SMERTE' }) programme: string;
}

export class PatientCourseSummaryResponse {
  @ApiProperty({ example: '5b8e1c7a-6a55-4f0e-9f7c-3c2d1e0b9a88' }) courseId: string;
  @ApiProperty({ type: PatientCoursePathwayResponse }) pathway: PatientCoursePathwayResponse;
  @ApiProperty({ enum: ['on_hold', 'awaiting_visitation', 'active', 'ended'], example: 'active' }) status: string;
  @ApiProperty({ example: true, description: 'not ended: a new referral on the same pathway would be 409 OPEN_COURSE_EXISTS' })
  open: boolean;
  @ApiProperty({ example: '2026-03-02T08:15:00+01:00' }) receivedAt: string;
  @ApiProperty({ example: '2026-03-04T08:15:00+01:00' }) visitationDueBy: string;
  @ApiProperty({ type: String, example: '2026-03-03T10:00:00+01:00', nullable: true }) visitationDecidedAt: string | null;
  @ApiProperty({ type: String, example: null, nullable: true, description: 'when the course ended (also by rejection at visitation)' })
  endedAt: string | null;
  @ApiProperty({ type: [PatientCourseSeatResponse], description: 'the teams the course holds seats on' })
  seats: PatientCourseSeatResponse[];
  @ApiProperty({ example: ['MBSR'], description: 'programmes the course is waiting for a seat on' }) waitlists: string[];
}

export class PatientSearchResponse {
  @ApiProperty({
    type: String,
    example: '8d3f7a2e-1b4c-4e5d-9a6b-7c8d9e0f1a2b',
    nullable: true,
    description: "the clinic's pseudonymous patient id; null when the clinic has no patient with this number",
  })
  patientId: string | null;
  @ApiProperty({ type: [PatientCourseSummaryResponse], description: "the patient's courses in your clinic, oldest referral first" })
  courses: PatientCourseSummaryResponse[];
}
