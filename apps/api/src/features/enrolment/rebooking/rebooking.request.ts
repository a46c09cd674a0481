import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ID_REGEX } from '../enrolment.request.js';

export class RebookRequest {
  @ApiProperty({ example: '0b5e8a52-3c7a-4a39-9f0e-2b9c1d7e4f10', description: 'The team the course has its seat on now' })
  @IsString()
  @Matches(ID_REGEX, { message: 'fromTeamId must be a team id' })
  fromTeamId!: string;

  @ApiPropertyOptional({
    example: '6a1d2f7b-88e0-4c4e-9d55-7f3e0a9c2b11',
    description:
      'The team to move to; leave it out for the next team of the same programme with a free seat that fits the course (eligibility, pathway window)',
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
