import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class CapacityOutlookQuery {
  @ApiPropertyOptional({ example: '2026-03-02', description: 'first day (local date); its ISO week is the first column; default today' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date such as 2026-03-02' })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-05-31',
    description: 'last day (local date); default from + 12 weeks; at most 53 weeks after from',
  })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date such as 2026-05-31' })
  to?: string;

  @ApiPropertyOptional({ example: 'LIVET_MED_SMERTER', description: 'one programme code; default every programme of the catalogue' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: 'programme must be a programme code such as LIVET_MED_SMERTER' })
  programme?: string;

  @ApiPropertyOptional({ example: '812-40', description: 'Same as the X-Min-Position header' })
  @IsOptional()
  @IsString()
  minPosition?: string;
}

export class WaitingTimesQuery {
  @ApiPropertyOptional({ example: '2026-01', description: 'first referral month (YYYY-MM); default 11 months before to' })
  @IsOptional()
  @Matches(MONTH, { message: 'from must be a month such as 2026-01' })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-06',
    description: 'last referral month (YYYY-MM, inclusive); default this month; at most 36 months after from',
  })
  @IsOptional()
  @Matches(MONTH, { message: 'to must be a month such as 2026-06' })
  to?: string;

  @ApiPropertyOptional({ example: '812-40', description: 'Same as the X-Min-Position header' })
  @IsOptional()
  @IsString()
  minPosition?: string;
}
