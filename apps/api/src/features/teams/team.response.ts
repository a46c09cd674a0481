import { ApiProperty } from '@nestjs/swagger';
import { FailedRuleResponse } from '../clinicians/index.js';

export class LocalizedNameResponse {
  @ApiProperty({ example: 'Forstå smerte' }) da: string;
  @ApiProperty({ example: 'Understanding pain' }) en: string;
}

export class TeamProgrammeResponse {
  @ApiProperty({ example: 'FORSTAA_SMERTE' }) code: string;
  @ApiProperty({ type: LocalizedNameResponse }) name: LocalizedNameResponse;
  @ApiProperty({ example: 25, description: "the programme's seats (the team's capacity is min(programme seats, room seats))" })
  seats: number;
}

export class TeamRoomResponse {
  @ApiProperty({ example: '7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10' }) roomId: string;
  @ApiProperty({ example: 25 }) seats: number;
  @ApiProperty({ type: Number, example: null, nullable: true, description: 'cap on patients + relatives; null = none' }) maxPeople:
    number | null;
}

export class AttendanceEntryResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'b0e5c1f2-7a0c-4c55-9d8e-2c3e4f5a6b7c',
    description: 'pseudonymous course id; null when it is not yours to see (as on the board)',
  })
  courseId: string | null;
  @ApiProperty({ enum: ['attended', 'no_show'], example: 'attended' }) status: 'attended' | 'no_show';
  @ApiProperty({ example: 1 }) relativesPresent: number;
}

export class SessionAttendanceResponse {
  @ApiProperty({ example: 23 }) patients: number;
  @ApiProperty({ example: 11, description: 'relatives present (no seat, but on the list)' }) relatives: number;
  @ApiProperty({ example: 2 }) noShows: number;
  @ApiProperty({ type: [AttendanceEntryResponse], description: 'latest entry per course' }) entries: AttendanceEntryResponse[];
}

export class CancellationResponse {
  @ApiProperty({ example: 'Therapist ill' }) reason: string;
  @ApiProperty({ example: '2026-11-20T08:12:00.000Z' }) at: string;
}

export class SessionResponse {
  @ApiProperty({ example: 1, description: '1-based session number (plan order); usable as {n} in session routes' }) number: number;
  @ApiProperty({ example: 'S1', description: "the session key from the catalogue's plan; also usable as {n}" }) key: string;
  @ApiProperty({ enum: ['group', 'retreat'] }) kind: 'group' | 'retreat';
  @ApiProperty({ example: '2027-11-02T13:00:00+01:00', description: 'ISO 8601 with the Europe/Copenhagen offset at that instant' })
  startsAt: string;
  @ApiProperty({ example: '2027-11-02T14:30:00+01:00' }) endsAt: string;
  @ApiProperty({ example: 90 }) durationMinutes: number;
  @ApiProperty({ type: TeamRoomResponse }) room: TeamRoomResponse;
  @ApiProperty({ enum: ['planned', 'held', 'cancelled'], description: 'held = attendance recorded' }) status:
    'planned' | 'held' | 'cancelled';
  @ApiProperty({ type: CancellationResponse, nullable: true }) cancelled: CancellationResponse | null;
  @ApiProperty({ example: true, description: 'the staff rule holds at this session (competences judged at its start)' })
  staffRuleHolds: boolean;
  @ApiProperty({ type: SessionAttendanceResponse }) attendance: SessionAttendanceResponse;
}

export class TherapistResponse {
  @ApiProperty({ example: 'C-0042' }) clinicianId: string;
  @ApiProperty({ example: 'primary', description: 'a staff role of the programme, or apprentice (never counts as staff)' }) role: string;
  @ApiProperty({
    type: String,
    example: null,
    nullable: true,
    description: 'when a dated competence the role needs lapses (MBSR retreat); null = never',
  })
  competentUntil: string | null;
  @ApiProperty({ example: '2026-11-22T12:00:00.000Z' }) assignedAt: string;
}

export class StaffRoleCountResponse {
  @ApiProperty({ example: 'primary' }) role: string;
  @ApiProperty({ example: 1 }) required: number;
  @ApiProperty({ example: 1, description: 'assigned in this role (apprentices never count)' }) assigned: number;
}

export class StaffRuleResponse {
  @ApiProperty({ example: false, description: 'the staff rule holds at every session still to be held' }) holds: boolean;
  @ApiProperty({ type: [StaffRoleCountResponse] }) roles: StaffRoleCountResponse[];
  @ApiProperty({ type: [FailedRuleResponse], description: 'every role the team is short of' }) failures: FailedRuleResponse[];
}

export class SeatResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'b0e5c1f2-7a0c-4c55-9d8e-2c3e4f5a6b7c',
    description: 'null when it is not yours to see (as on the board)',
  })
  courseId: string | null;
  @ApiProperty({ example: 1, description: 'relatives coming along (no seat)' }) relatives: number;
  @ApiProperty({ example: '2026-11-22T12:00:00.000Z' }) reservedAt: string;
}

export class SeatsResponse {
  @ApiProperty({ example: 25 }) capacity: number;
  @ApiProperty({ example: 3, description: 'reserved seats plus seats held by open offers' }) taken: number;
  @ApiProperty({ example: 22 }) free: number;
  @ApiProperty({ type: [SeatResponse] }) reserved: SeatResponse[];
}

export class OfferResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'c9d8e7f6-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
    description: 'null when it is not yours to see (as on the board)',
  })
  courseId: string | null;
  @ApiProperty({ example: '2026-11-22T13:00:00+01:00' }) offeredAt: string;
  @ApiProperty({ example: '2026-11-24T13:00:00+01:00' }) expiresAt: string;
}

export class WaitlistEntryResponse {
  @ApiProperty({ example: 1, description: '1-based place in fair order (referral date, then tie-break)' }) position: number;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'c9d8e7f6-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
    description: 'null when it is not yours to see (as on the board)',
  })
  courseId: string | null;
  @ApiProperty({ example: '2026-09-01' }) referralDate: string;
  @ApiProperty({ example: '2026-11-20T10:00:00+01:00' }) joinedAt: string;
  @ApiProperty({ type: OfferResponse, nullable: true, description: 'an open seat offer to this course' }) offer: OfferResponse | null;
}

export class LateJoinResponse {
  @ApiProperty({
    example: '2027-11-02T13:00:00+01:00',
    description: "no new patients from this moment (programme.lateJoin, at the session's current time)",
  })
  cutoff: string;
  @ApiProperty({ example: false, description: 'closed now: the cut-off has passed or the team was closed by hand' }) closed: boolean;
  @ApiProperty({ type: CancellationResponse, nullable: true, description: 'closed by hand, with the reason' })
  closedByHand: CancellationResponse | null;
}

export class TeamResponse {
  @ApiProperty({ example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11', description: 'stream team-<teamId>' }) teamId: string;
  @ApiProperty({ example: 'smertecenter-syd' }) clinicId: string;
  @ApiProperty({ enum: ['planned', 'closed', 'cancelled', 'completed'], example: 'planned' }) status:
    'planned' | 'closed' | 'cancelled' | 'completed';
  @ApiProperty({ type: TeamProgrammeResponse }) programme: TeamProgrammeResponse;
  @ApiProperty({ example: 1, description: 'the catalogue version the team was planned under (its rules never change under it)' })
  catalogueVersion: number;
  @ApiProperty({ example: 'Europe/Copenhagen' }) timeZone: string;
  @ApiProperty({ type: TeamRoomResponse }) room: TeamRoomResponse;
  @ApiProperty({ type: [SessionResponse] }) sessions: SessionResponse[];
  @ApiProperty({ type: [TherapistResponse] }) therapists: TherapistResponse[];
  @ApiProperty({ type: StaffRuleResponse }) staffRule: StaffRuleResponse;
  @ApiProperty({ type: SeatsResponse }) seats: SeatsResponse;
  @ApiProperty({ type: [WaitlistEntryResponse], description: 'in fair order' }) waitlist: WaitlistEntryResponse[];
  @ApiProperty({ type: [OfferResponse], description: 'outstanding seat offers' }) offers: OfferResponse[];
  @ApiProperty({ type: LateJoinResponse }) lateJoin: LateJoinResponse;
  @ApiProperty({ example: 4, description: 'stream revision (also the ETag, for If-Match)' }) revision: number;
}

export class TeamServiceOutcomeResponse {
  @ApiProperty({ example: 'C-0042' }) clinicianId: string;
  @ApiProperty({ example: 'secondary' }) role: string;
  @ApiProperty({
    enum: ['recorded', 'alreadyRecorded', 'failed'],
    description:
      'team service on the clinician stream: recorded now, recorded at an earlier session (idempotent), or failed (retried at the next attendance record)',
  })
  outcome: 'recorded' | 'alreadyRecorded' | 'failed';
}

export class AttendanceResponse {
  @ApiProperty({ example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11' }) teamId: string;
  @ApiProperty({ type: SessionResponse }) session: SessionResponse;
  @ApiProperty({
    type: [TeamServiceOutcomeResponse],
    description: "each assigned therapist's team service, recorded on their clinician stream",
  })
  teamService: TeamServiceOutcomeResponse[];
  @ApiProperty({ example: 5, description: 'team stream revision (also the ETag)' }) revision: number;
}

export class TeamSummaryResponse {
  @ApiProperty({ example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11' }) teamId: string;
  @ApiProperty({ example: 'FORSTAA_SMERTE' }) programmeCode: string;
  @ApiProperty({ example: 1 }) catalogueVersion: number;
  @ApiProperty({ example: '7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10' }) roomId: string;
  @ApiProperty({ example: '2027-11-02T13:00:00+01:00', description: 'start of the first session not cancelled' }) firstSessionAt: string;
  @ApiProperty({ example: '2027-11-02T13:00:00+01:00', description: 'start of the last session not cancelled' }) lastSessionAt: string;
  @ApiProperty({ example: '2027-11-02T13:00:00+01:00' }) lateJoinCutoff: string;
  @ApiProperty({ example: 25 }) capacity: number;
  @ApiProperty({ example: 3 }) seatsTaken: number;
  @ApiProperty({ example: 22 }) freeSeats: number;
  @ApiProperty({ example: 0 }) waitlistCount: number;
  @ApiProperty({ example: 0 }) offersOutstanding: number;
  @ApiProperty({ enum: ['planned', 'closed', 'cancelled', 'completed'] }) status: string;
  @ApiProperty({ example: 4 }) revision: number;
}
