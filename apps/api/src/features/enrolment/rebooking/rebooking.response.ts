import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PassedOverReasonResponse } from '../enrolment.response.js';

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
  @ApiProperty({ description: 'The source team has released the old seat (else the process manager will, shortly)' })
  sourceReleased!: boolean;
  @ApiPropertyOptional({ type: [ConsideredTeamResponse], description: 'Earlier teams that were skipped, and why (next-eligible search)' })
  passedOverTeams?: ConsideredTeamResponse[];
}
