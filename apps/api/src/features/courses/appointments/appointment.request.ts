import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ID_MESSAGE, ID_PATTERN, IsInstant } from '../../../platform/http/validators.js';

export class BookAppointmentRequest {
  @ApiProperty({ example: 'KORT_PRIMAERSAMTALE', description: "an individual intervention of the clinic's catalogue" })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: 'intervention must be an intervention code such as KORT_PRIMAERSAMTALE' })
  intervention: string;

  @ApiProperty({ example: '2026-03-09T10:00:00+01:00', description: 'start, ISO 8601 with offset' })
  @IsInstant()
  start: string;

  @ApiPropertyOptional({ example: 15, description: "length in minutes; default the intervention's slot (or talk) length in the catalogue" })
  @IsOptional()
  @IsInt({ message: 'durationMinutes must be a whole number of minutes' })
  @Min(5)
  @Max(720)
  durationMinutes?: number;

  @ApiProperty({ example: ['doc-17'], description: 'the clinicians taking part (1–6)' })
  @IsArray()
  @ArrayMinSize(1, { message: 'clinicianIds must name at least one clinician' })
  @ArrayMaxSize(6)
  @ArrayUnique({ message: 'clinicianIds must not repeat a clinician' })
  @IsString({ each: true })
  @Matches(ID_PATTERN, { each: true, message: `each of clinicianIds ${ID_MESSAGE}` })
  clinicianIds: string[];

  @ApiPropertyOptional({ example: 'room-2', description: 'the room; leave out for video or phone consultations' })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: `roomId ${ID_MESSAGE}` })
  roomId?: string;

  @ApiPropertyOptional({ example: "Booked at the patient's request by phone" })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class CancelAppointmentRequest {
  @ApiProperty({ example: 'Patient ill; will call to rebook' })
  @IsString()
  @Length(1, 2000, { message: 'reason must say why the appointment is cancelled' })
  reason: string;
}
