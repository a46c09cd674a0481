import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches } from 'class-validator';
import { plusInOffset } from '../../platform/access-log/query-values.js';
import { IsInstant } from '../../platform/http/validators.js';

const toList = ({ value }: { value: unknown }) =>
  value === undefined
    ? undefined
    : (Array.isArray(value) ? (value as unknown[]) : [value])
        .flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]))
        .filter((v) => v !== '');

export class HistoryQuery {
  @ApiPropertyOptional({ example: '2026-03-01T00:00:00+01:00', description: 'only events recorded at or after this time' })
  @IsOptional()
  @Transform(plusInOffset)
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31T23:59:59+02:00', description: 'only events recorded at or before this time' })
  @IsOptional()
  @Transform(plusInOffset)
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['SeatReserved', 'SeatOffered'],
    description: 'only these event types (repeat the parameter, or separate with commas)',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/, { each: true, message: 'each type must be an event type name such as SeatReserved' })
  type?: string[];

  @ApiPropertyOptional({ example: '812-40', description: 'Same as the X-Min-Position header' })
  @IsOptional()
  @IsString()
  minPosition?: string;
}

export class DiffQuery {
  @ApiProperty({ example: '2026-03-01T00:00:00+01:00', description: 'the earlier time' })
  @Transform(plusInOffset)
  @IsInstant()
  from: string;

  @ApiProperty({ example: '2026-03-20T00:00:00+01:00', description: 'the later time (not in the future)' })
  @Transform(plusInOffset)
  @IsInstant()
  to: string;

  @ApiPropertyOptional({ description: 'Same as the X-Min-Position header' })
  @IsOptional()
  @IsString()
  minPosition?: string;
}
