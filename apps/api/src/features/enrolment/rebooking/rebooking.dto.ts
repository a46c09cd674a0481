import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PassedOverReasonResponse, ID_REGEX } from '../enrolment.dto.js';

export class RebookRequest {
  @ApiProperty({ example: '0b5e8a52-3c7a-4a39-9f0e-2b9c1d7e4f10', description: 'The team the course has its seat on now' })
  @IsString()
  @Matches(ID_REGEX, { message: 'fromTeamId must be a team id' })
  fromTeamId!: string;

  @ApiPropertyOptional({
    example: '6a1d2f7b-88e0-4c4e-9d55-7f3e0a9c2b11',
    description: 'The team to move to; leave it out for the next team of the same programme with a free seat that fits the course (eligibility, pathway window)',
  })
  @IsOptional()
  @IsString()
  @Matches(ID_REGEX, { message: 'toTeamId must be a team id' })
  toTeamId?: string;

  @ApiProperty({ example: 'The patient is away that week' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}

export class ConsideredTeamResponse {
  @ApiProperty() teamId!: string;
  @ApiProperty() firstSessionAt!: string;
  @ApiProperty({ type: [PassedOverReasonResponse] }) reasons!: PassedOverReasonResponse[];
}

export class RebookResponse {
  @ApiProperty({ enum: ['moved'] }) status!: 'moved';
  @ApiProperty() courseId!: string;
  @ApiProperty() fromTeamId!: string;
  @ApiProperty() toTeamId!: string;
  @ApiProperty({ example: 'FORSTAA_SMERTE' }) programme!: string;
  @ApiProperty({ example: '2025-03-03T13:00:00+01:00' }) firstSessionAt!: string;
  @ApiProperty({ description: 'The course stream has recorded the move (one atomic append)' }) courseRecorded!: boolean;
  @ApiProperty({ description: 'The source team has released the old seat (else the process manager will, shortly)' }) sourceReleased!: boolean;
  @ApiPropertyOptional({ type: [ConsideredTeamResponse], description: 'Earlier teams that were skipped, and why (next-eligible search)' })
  passedOverTeams?: ConsideredTeamResponse[];
}
