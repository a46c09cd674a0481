import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsInstant } from '../../../platform/http/validators.js';

export class FeedQuery {
  @ApiPropertyOptional({ example: 'cal_Vx3M2…', description: 'the feed token (instead of a bearer token)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  token?: string;

  @ApiPropertyOptional({ example: '2026-03-01T00:00:00+01:00', description: 'start of the range (default 90 days ago)' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ example: '2027-03-01T00:00:00+01:00', description: 'end of the range (default 400 days from now)' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({
    example: '812-40',
    description: 'Same as the X-Min-Position header: wait until the read models have applied this position',
  })
  @IsOptional()
  @IsString()
  minPosition?: string;
}
