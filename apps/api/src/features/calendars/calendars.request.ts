import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { IsInstant } from '../../platform/http/validators.js';

export class CalendarQuery {
  @ApiPropertyOptional({ example: '2026-03-01T00:00:00+01:00', description: 'start of the range (ISO 8601 with offset); default now' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-06-01T00:00:00+02:00',
    description: 'end of the range (exclusive); default from + 92 days; at most 366 days after from',
  })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({ example: true, description: 'include cancelled items (default true: a feed must see cancellations)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeCancelled must be true or false' })
  includeCancelled?: boolean;

  @ApiPropertyOptional({
    example: '812-40',
    description: 'Same as the X-Min-Position header: wait until the read models have applied this position',
  })
  @IsOptional()
  @IsString()
  minPosition?: string;
}
