import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { IsDateOrInstant } from '../../platform/http/field-validators.js';

export class BusyQuery {
  @ApiPropertyOptional({
    example: '2027-03-01',
    description: "Start of the window: a local date (start of that day in the clinic's time zone) or an instant with offset; default now",
  })
  @IsOptional()
  @IsDateOrInstant()
  from?: string;

  @ApiPropertyOptional({
    example: '2027-03-31',
    description:
      'End of the window: a local date (through the end of that day) or an instant; default 28 days after from; at most 400 days after from',
  })
  @IsOptional()
  @IsDateOrInstant()
  to?: string;

  @ApiPropertyOptional({
    example: '812-40',
    description: 'Same as the X-Min-Position header: wait until the read model has applied this position',
  })
  @IsOptional()
  @IsString()
  minPosition?: string;
}
