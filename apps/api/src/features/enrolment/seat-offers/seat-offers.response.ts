import { ApiProperty } from '@nestjs/swagger';
import { PassedOverResponse, SeatOfferResponse, TeamSeatCountResponse } from '../enrolment.response.js';

export class DeclineResponse {
  @ApiProperty({ enum: ['declined'] }) status!: 'declined';
  @ApiProperty() courseId!: string;
  @ApiProperty() teamId!: string;
  @ApiProperty({ type: [SeatOfferResponse], description: 'the seat offered on to the next course in line' }) offers!: SeatOfferResponse[];
  @ApiProperty({ type: [PassedOverResponse] }) passedOver!: PassedOverResponse[];
  @ApiProperty({ type: TeamSeatCountResponse }) team!: TeamSeatCountResponse;
}

export class OpenSeatOfferResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '5f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11',
    description: 'null when it is not yours to see (as on the board)',
  })
  courseId!: string | null;
  @ApiProperty({ example: '2025-03-03T09:00:00+01:00' }) offeredAt!: string;
  @ApiProperty({ example: '2025-03-05T09:00:00+01:00', description: 'The offer is held until then (catalogue settings.offerHoldHours)' })
  expiresAt!: string;
  @ApiProperty({ description: 'the hold has run out; the sweeper will expire it and offer the seat on' }) expired!: boolean;
}

export class WaitingCourseResponse {
  @ApiProperty({ example: 1 }) position!: number;
  @ApiProperty({ type: String, nullable: true, description: 'null when it is not yours to see (as on the board)' }) courseId!:
    string | null;
  @ApiProperty({ example: '2025-01-06T09:00:00+01:00' }) referralDate!: string;
  @ApiProperty() joinedAt!: string;
  @ApiProperty({ description: 'holds an open offer' }) hasOffer!: boolean;
}

export class TeamOffersResponse {
  @ApiProperty() teamId!: string;
  @ApiProperty({ type: TeamSeatCountResponse }) team!: TeamSeatCountResponse;
  @ApiProperty({ type: [OpenSeatOfferResponse] }) offers!: OpenSeatOfferResponse[];
  @ApiProperty({ type: [WaitingCourseResponse], description: 'in fair order (referral date first)' }) waitlist!: WaitingCourseResponse[];
}
