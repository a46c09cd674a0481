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

  @ApiPropertyOptional({
    example: '812-40',
    description: 'Same as the X-Min-Position header: wait until the read models have applied this position',
  })
  @IsOptional()
  @IsString()
  minPosition?: string;
}
