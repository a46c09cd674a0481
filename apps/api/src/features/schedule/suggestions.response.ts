import { ApiProperty } from '@nestjs/swagger';

export class SuggestedStaff {
  @ApiProperty({ example: 'teacher' }) role: string;
  @ApiProperty({ example: ['C-0042', 'C-0051'] }) clinicianIds: string[];
}

export class SuggestedSession {
  @ApiProperty({ example: 'S1' }) key: string;
  @ApiProperty({ enum: ['group', 'retreat'], example: 'group' }) kind: string;
  @ApiProperty({ example: '2027-02-01T09:00:00+01:00' }) startsAt: string;
  @ApiProperty({ example: '2027-02-01T11:30:00+01:00' }) endsAt: string;
}

export class TeamSuggestion {
  @ApiProperty({ example: '2027-02-01', description: 'send as startsOn to POST /teams' }) startsOn: string;
  @ApiProperty({ example: '09:00', description: 'send as startTime to POST /teams' }) startTime: string;
  @ApiProperty({
    example: '7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10',
    description: 'the smallest free room with at least the programme’s seats',
  })
  roomId: string;
  @ApiProperty({ example: 18 }) seats: number;
  @ApiProperty({
    type: [SuggestedStaff],
    description: 'per staff role, clinicians who meet its competence rule at every session and are free for all of them',
  })
  staff: SuggestedStaff[];
  @ApiProperty({ type: [SuggestedSession] }) sessions: SuggestedSession[];
}

export class TeamSuggestionsResponse {
  @ApiProperty({ example: 'MBSR' }) programme: string;
  @ApiProperty({
    type: [TeamSuggestion],
    description: 'earliest first; fewer than count (or none) when the next 180 days have no more',
    example: [
      {
        startsOn: '2027-02-01',
        startTime: '09:00',
        roomId: '7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10',
        seats: 18,
        staff: [{ role: 'teacher', clinicianIds: ['C-0042', 'C-0051'] }],
        sessions: [{ key: 'S1', kind: 'group', startsAt: '2027-02-01T09:00:00+01:00', endsAt: '2027-02-01T11:30:00+01:00' }],
      },
    ],
  })
  suggestions: TeamSuggestion[];
}
