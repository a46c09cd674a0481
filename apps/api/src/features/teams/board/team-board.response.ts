import { ApiProperty } from '@nestjs/swagger';

export class BoardFailureResponse {
  @ApiProperty({ example: 'STAFF_PRIMARY_MISSING' }) code: string;
  @ApiProperty({ example: 'Understanding pain needs 1 primary team therapist; 0 are assigned and competent at that time.' }) reason: string;
  @ApiProperty({ type: [Number], example: [1], description: 'the session numbers it fails at' }) sessions: number[];
}

export class BoardStaffRoleResponse {
  @ApiProperty({ example: 'primary' }) role: string;
  @ApiProperty({ example: 1 }) required: number;
  @ApiProperty({ example: 1, description: 'assigned in the role (apprentices never count)' }) assigned: number;
}

export class BoardStaffRuleResponse {
  @ApiProperty({ example: true, description: 'the staff rule holds at every session still to come (every session, once none is left)' })
  holds: boolean;
  @ApiProperty({ type: [Number], example: [2, 3, 4], description: 'the sessions it was judged at' }) judgedAtSessions: number[];
  @ApiProperty({ type: [BoardStaffRoleResponse] }) roles: BoardStaffRoleResponse[];
  @ApiProperty({ type: [BoardFailureResponse] }) failures: BoardFailureResponse[];
}

export class BoardStaffResponse {
  @ApiProperty({ example: 'C-0042' }) clinicianId: string;
  @ApiProperty({ example: 'primary' }) role: string;
  @ApiProperty({ example: true, description: 'false for apprentices (never staff)' }) countsAsStaff: boolean;
  @ApiProperty({ type: String, example: null, nullable: true, description: 'when a dated competence the role needs lapses' })
  competentUntil: string | null;
  @ApiProperty({ example: true, description: 'still competent at the last session to come' }) competentThroughLastSession: boolean;
}

export class BoardSeatResponse {
  @ApiProperty({
    type: String,
    example: 'b0e5c1f2-7a0c-4c55-9d8e-2c3e4f5a6b7c',
    nullable: true,
    description: 'null when not one of your patients',
  })
  courseId: string | null;
  @ApiProperty({ example: 1 }) relatives: number;
  @ApiProperty({ example: '2026-02-12T10:00:00+01:00' }) reservedAt: string;
  @ApiProperty({ example: 2, description: 'sessions attended so far' }) attended: number;
  @ApiProperty({ example: 0 }) noShows: number;
}

export class BoardSeatsResponse {
  @ApiProperty({ example: 16 }) capacity: number;
  @ApiProperty({ example: 14, description: 'reserved seats plus seats held by open offers' }) taken: number;
  @ApiProperty({ example: 2 }) free: number;
  @ApiProperty({ type: [BoardSeatResponse] }) reserved: BoardSeatResponse[];
}

export class BoardOfferResponse {
  @ApiProperty({ example: '2026-02-12T10:00:00+01:00' }) offeredAt: string;
  @ApiProperty({ example: '2026-02-14T10:00:00+01:00' }) expiresAt: string;
  @ApiProperty({ example: false, description: 'the hold has run out (the sweeper will expire it)' }) lapsed: boolean;
}

export class BoardWaitlistEntryResponse {
  @ApiProperty({ example: 1, description: 'place in fair order (referral date, then the tie-break)' }) position: number;
  @ApiProperty({
    type: String,
    example: 'b0e5c1f2-7a0c-4c55-9d8e-2c3e4f5a6b7c',
    nullable: true,
    description: 'null when not one of your patients',
  })
  courseId: string | null;
  @ApiProperty({ example: '2026-01-05T09:00:00+01:00' }) referralDate: string;
  @ApiProperty({ example: '2026-02-01T11:00:00+01:00' }) joinedAt: string;
  @ApiProperty({ example: 12.5, description: 'days on the waitlist so far' }) waitingDays: number;
  @ApiProperty({ type: BoardOfferResponse, nullable: true }) offer: BoardOfferResponse | null;
}

export class BoardSessionResponse {
  @ApiProperty({ example: 1 }) number: number;
  @ApiProperty({ example: 'S1' }) key: string;
  @ApiProperty({ example: '2026-03-02T13:00:00+01:00' }) startsAt: string;
  @ApiProperty({ example: '2026-03-02T15:00:00+01:00' }) endsAt: string;
  @ApiProperty({ example: 'room-2' }) roomId: string;
  @ApiProperty({ enum: ['planned', 'held', 'cancelled'] }) status: string;
  @ApiProperty({ example: true }) staffRuleHolds: boolean;
  @ApiProperty({ example: 14 }) attended: number;
  @ApiProperty({ example: 1 }) noShows: number;
}

export class BoardLateJoinResponse {
  @ApiProperty({ example: '2026-03-09T13:00:00+01:00' }) cutoff: string;
  @ApiProperty({ example: false, description: 'closed by hand or past the cut-off now' }) closed: boolean;
}

export class TeamBoardResponse {
  @ApiProperty({ example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11' }) teamId: string;
  @ApiProperty({ example: 'LIVET_MED_SMERTER' }) programme: string;
  @ApiProperty({ example: 'Living with pain' }) programmeName: string;
  @ApiProperty({ enum: ['planned', 'closed', 'cancelled', 'completed'] }) status: string;
  @ApiProperty({ type: BoardSeatsResponse }) seats: BoardSeatsResponse;
  @ApiProperty({ type: [BoardWaitlistEntryResponse], description: 'in fair order' }) waitlist: BoardWaitlistEntryResponse[];
  @ApiProperty({ example: 1 }) offersOutstanding: number;
  @ApiProperty({ type: [BoardStaffResponse] }) staff: BoardStaffResponse[];
  @ApiProperty({ type: BoardStaffRuleResponse }) staffRule: BoardStaffRuleResponse;
  @ApiProperty({ type: [BoardSessionResponse] }) sessions: BoardSessionResponse[];
  @ApiProperty({ type: BoardLateJoinResponse }) lateJoin: BoardLateJoinResponse;
  @ApiProperty({ example: 7, description: 'team stream revision the board reflects' }) revision: number;
  @ApiProperty({ example: '2026-03-02T10:00:00+01:00', description: 'the moment clock-dependent parts were judged at' })
  evaluatedAt: string;
}
