import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { CODE_PATTERN, IsLocalDate } from '../../platform/http/field-validators.js';

export class TeamSuggestionsQuery {
  @ApiProperty({ example: 'MBSR', description: "A programme code from the clinic's current catalogue" })
  @IsString()
  @Matches(CODE_PATTERN, { message: 'programme must be a catalogue code such as MBSR' })
  programme: string;

  @ApiPropertyOptional({ example: '2027-02-01', description: "First local date to try (the clinic's time zone); default today" })
  @IsOptional()
  @IsLocalDate()
  from?: string;

  @ApiPropertyOptional({ example: 5, description: 'How many start dates, 1–20; default 5' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  count?: number;

  @ApiPropertyOptional({ example: '13:00', description: 'Only this local start time; default 09:00 and 13:00 each day' })
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'startTime must be a local time HH:mm' })
  startTime?: string;

  @ApiPropertyOptional({ example: '812-40', description: 'Same as the X-Min-Position header: wait until the read models have applied this position' })
  @IsOptional()
  @IsString()
  minPosition?: string;
}

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
  @ApiProperty({ example: '7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10', description: 'the smallest free room with at least the programme’s seats' }) roomId: string;
  @ApiProperty({ example: 18 }) seats: number;
  @ApiProperty({ type: [SuggestedStaff], description: 'per staff role, clinicians who meet its competence rule at every session and are free for all of them' })
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
