import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PassedOverReasonResponse {
  @ApiProperty({ example: 'FS_NEEDS_INTERPRETER' }) code!: string;
  @ApiProperty({ example: 'The patient needs an interpreter, and Forstå smerte is taught in Danish without one.' }) reason!: string;
}

export class PassedOverResponse {
  @ApiProperty({ example: '5f0c…' }) courseId!: string;
  @ApiProperty({ type: [PassedOverReasonResponse] }) reasons!: PassedOverReasonResponse[];
}

export class SeatOfferResponse {
  @ApiProperty({ example: '5f0c…' }) courseId!: string;
  @ApiProperty({ example: '2025-03-03T09:00:00+01:00' }) offeredAt!: string;
  @ApiProperty({ example: '2025-03-05T09:00:00+01:00', description: 'The offer is held until then (catalogue settings.offerHoldHours)' })
  expiresAt!: string;
}

export class TeamSeatCountResponse {
  @ApiProperty({ example: 25 }) capacity!: number;
  @ApiProperty({ example: 24, description: 'Reserved seats plus seats held by open offers' }) seatsTaken!: number;
  @ApiProperty({ example: 3 }) waiting!: number;
}

export class EnrolmentResponse {
  @ApiProperty({ enum: ['enrolled', 'waitlisted'], example: 'enrolled' }) status!: 'enrolled' | 'waitlisted';
  @ApiProperty() courseId!: string;
  @ApiProperty() teamId!: string;
  @ApiProperty({ example: 'FORSTAA_SMERTE' }) programme!: string;
  @ApiPropertyOptional({ example: 3, description: 'waitlisted: the place in line (referral date first)' }) position?: number;
  @ApiProperty({ type: TeamSeatCountResponse }) team!: TeamSeatCountResponse;
  @ApiProperty({ description: 'The course stream has recorded it (else the process manager will, shortly)' }) courseRecorded!: boolean;
}

export class EnrolmentCancellationResponse {
  @ApiProperty({ enum: ['released', 'left_waitlist'] }) status!: 'released' | 'left_waitlist';
  @ApiProperty() courseId!: string;
  @ApiProperty() teamId!: string;
  @ApiProperty({ type: [SeatOfferResponse], description: 'Seats offered on to waiting courses by this write' })
  offers!: SeatOfferResponse[];
  @ApiProperty({
    type: [PassedOverResponse],
    description: 'Waiting courses passed over (no longer eligible, or the team does not fit their pathway window); they left the waitlist',
  })
  passedOver!: PassedOverResponse[];
  @ApiProperty({ type: TeamSeatCountResponse }) team!: TeamSeatCountResponse;
}
