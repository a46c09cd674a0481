import { ApiProperty } from '@nestjs/swagger';

export class OutlookWeekResponse {
  @ApiProperty({ example: '2026-W11' }) week: string;
  @ApiProperty({ example: '2026-03-09', description: 'the Monday' }) weekStart: string;
  @ApiProperty({ example: 2, description: 'teams starting that week (not cancelled)' }) teams: number;
  @ApiProperty({ example: 32 }) seatsPlanned: number;
  @ApiProperty({ example: 20, description: 'reserved or held by an open offer' }) seatsTaken: number;
  @ApiProperty({ example: 12 }) seatsFree: number;
  @ApiProperty({ example: 15, description: 'courses that will need the programme from that week and hold no seat' })
  patientsNeeding: number;
  @ApiProperty({ example: 3, description: 'courses that still choose between this programme and another one' }) patientsChoosing: number;
  @ApiProperty({ example: 4, description: 'of patientsNeeding, those already on a waitlist' }) waitlisted: number;
  @ApiProperty({ example: -3, description: 'seatsFree - patientsNeeding' }) balance: number;
}

export class OutlookBacklogResponse {
  @ApiProperty({ example: 2, description: 'needs dated before the first week that are still open' }) patientsNeeding: number;
  @ApiProperty({ example: 0 }) patientsChoosing: number;
}

export class OutlookProgrammeResponse {
  @ApiProperty({ example: 'LIVET_MED_SMERTER' }) programme: string;
  @ApiProperty({ example: 'Living with pain' }) name: string;
  @ApiProperty({ type: OutlookBacklogResponse }) before: OutlookBacklogResponse;
  @ApiProperty({ type: [OutlookWeekResponse] }) weeks: OutlookWeekResponse[];
}

export class CapacityOutlookResponse {
  @ApiProperty({ example: '2026-03-02' }) from: string;
  @ApiProperty({ example: '2026-05-31' }) to: string;
  @ApiProperty({ example: 'Europe/Copenhagen' }) timeZone: string;
  @ApiProperty({ example: '2026-03-02T10:00:00+01:00', description: 'needs dated in the past count from this week' }) evaluatedAt: string;
  @ApiProperty({ type: [OutlookProgrammeResponse] }) programmes: OutlookProgrammeResponse[];
}

export class DurationStatsResponse {
  @ApiProperty({ example: 24 }) patients: number;
  @ApiProperty({ type: Number, example: 13.5, nullable: true }) median: number | null;
  @ApiProperty({ type: Number, example: 14.2, nullable: true }) mean: number | null;
  @ApiProperty({ type: Number, example: 21, nullable: true, description: '90th percentile (nearest rank)' }) p90: number | null;
  @ApiProperty({ type: Number, example: 30, nullable: true }) max: number | null;
}

export class VisitationStatsResponse {
  @ApiProperty({ example: 24 }) decided: number;
  @ApiProperty({ example: 22, description: 'decided within the deadline (48 hours from receipt)' }) withinDeadline: number;
  @ApiProperty({ example: 1, description: 'still undecided and past the deadline now' }) overdueNow: number;
  @ApiProperty({ type: DurationStatsResponse, description: 'hours from receipt to the decision' }) hours: DurationStatsResponse;
}

export class WaitingStatsResponse {
  @ApiProperty({ example: 3 }) patients: number;
  @ApiProperty({ type: Number, example: 41.5, nullable: true, description: 'the longest wait so far, in days' }) longestDays: number | null;
}

export class StepWaitResponse {
  @ApiProperty({ example: 'FORSTAA_SMERTE' }) stepCode: string;
  @ApiProperty({ type: DurationStatsResponse, description: 'days from receipt of the referral to the step (booked time, or completion)' })
  days: DurationStatsResponse;
}

export class WaitingTimesMonthResponse {
  @ApiProperty({ example: '2026-01', description: 'month the referrals were received (local time)' }) month: string;
  @ApiProperty({ example: 26 }) referrals: number;
  @ApiProperty({ type: VisitationStatsResponse }) visitation: VisitationStatsResponse;
  @ApiProperty({ type: DurationStatsResponse, description: 'days from receipt of the referral to the first consultation (booked or held)' })
  firstConsultation: DurationStatsResponse;
  @ApiProperty({ type: WaitingStatsResponse, description: 'accepted or undecided courses with no consultation booked yet, as of now' })
  stillWaiting: WaitingStatsResponse;
  @ApiProperty({ type: [StepWaitResponse] }) steps: StepWaitResponse[];
}

export class WaitingTimesResponse {
  @ApiProperty({ example: '2026-01' }) from: string;
  @ApiProperty({ example: '2026-06' }) to: string;
  @ApiProperty({ example: 'Europe/Copenhagen' }) timeZone: string;
  @ApiProperty({ example: '2026-07-01T09:00:00+02:00' }) evaluatedAt: string;
  @ApiProperty({ type: [WaitingTimesMonthResponse] }) months: WaitingTimesMonthResponse[];
}
