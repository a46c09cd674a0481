import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

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
  @ApiProperty({ example: '2025-03-05T09:00:00+01:00', description: 'The offer is held until then (catalogue settings.offerHoldHours)' }) expiresAt!: string;
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
  @ApiProperty({ type: [SeatOfferResponse], description: 'Seats offered on to waiting courses by this write' }) offers!: SeatOfferResponse[];
  @ApiProperty({ type: [PassedOverResponse], description: 'Waiting courses passed over (no longer eligible, or the team does not fit their pathway window); they left the waitlist' })
  passedOver!: PassedOverResponse[];
  @ApiProperty({ type: TeamSeatCountResponse }) team!: TeamSeatCountResponse;
}

export class EnrolmentErrorResponse {
  @ApiProperty({ example: 409 }) statusCode!: number;
  @ApiProperty({ example: 'TEAM_FULL' }) code!: string;
  @ApiProperty({ example: 'All 25 seats on the team are taken; the course can join the waitlist.' }) message!: string;
  @ApiProperty({ example: { waitlist: { waiting: 3, canJoin: true, howToJoin: 'Send the same request with joinWaitlistIfFull: true.' } } })
  details!: Record<string, unknown>;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED, INVALID_IF_MATCH, INVALID_IDEMPOTENCY_KEY',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN: only secretaries and admins book',
  404: 'NOT_FOUND: unknown course or team (or another clinic’s), NOT_ENROLLED',
  409: 'TEAM_FULL (details.waitlist), WAITLIST_HAS_PRIORITY, ALREADY_ON_TEAM, ALREADY_WAITLISTED, ALREADY_BOOKED_ON_PROGRAMME, NO_TEAM_AVAILABLE, CONCURRENCY_CONFLICT',
  412: 'PRECONDITION_FAILED: If-Match does not name the team stream’s current revision',
  422: 'NOT_ELIGIBLE (details.failures lists every failed criterion), TEAM_CLOSED_FOR_LATE_JOINERS, COURSE_ENDED, REASON_REQUIRED, IDEMPOTENCY_KEY_REUSED, …',
};

export function ApiErrors(...statuses: number[]): MethodDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: EnrolmentErrorResponse })));
}
