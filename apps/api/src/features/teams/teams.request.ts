import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CODE_PATTERN,
  IsDateOrInstant,
  IsInstant,
  IsLocalDate,
  STAFF_ID_PATTERN,
  UUID_PATTERN,
} from '../../platform/http/field-validators.js';

export class PlanTeamRequest {
  @ApiProperty({ example: 'FORSTAA_SMERTE', description: "A programme code from the clinic's current catalogue (GET /programmes)" })
  @IsString()
  @Matches(CODE_PATTERN, { message: 'programmeCode must be a catalogue code such as FORSTAA_SMERTE' })
  programmeCode: string;

  @ApiProperty({
    example: '7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10',
    description: 'A room of the clinic (POST /rooms); its seats are read from the room stream',
  })
  @IsString()
  @Matches(UUID_PATTERN, { message: 'roomId must be a room id (uuid)' })
  roomId: string;

  @ApiProperty({ example: '2027-11-02', description: "Local date of the first session (the catalogue's time zone, Europe/Copenhagen)" })
  @IsLocalDate()
  startsOn: string;

  @ApiProperty({ example: '13:00', description: 'Local wall-clock start HH:mm; later sessions keep it across DST changes' })
  @IsString()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'startTime must be a local time HH:mm' })
  startTime: string;

  @ApiPropertyOptional({ example: 'Autumn team', description: 'Stored in the event metadata' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class AssignTherapistRequest {
  @ApiProperty({ example: 'C-0042', description: 'A registered clinician of the clinic' })
  @IsString()
  @Matches(STAFF_ID_PATTERN, { message: 'clinicianId must be a staff id' })
  clinicianId: string;

  @ApiProperty({
    example: 'primary',
    description: "A staff role of the programme (GET /programmes/{code} → staff.roles), or 'apprentice' (never counts as staff)",
  })
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, { message: 'role must be a role name such as primary or apprentice' })
  role: string;

  @ApiPropertyOptional({ example: 'Covers for the autumn', description: 'Stored in the event metadata' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class TeamReasonRequest {
  @ApiProperty({ example: 'Sick leave', description: 'Why (stored in the event and its metadata)' })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(500)
  reason: string;
}

export class MoveSessionRequest {
  @ApiProperty({ example: '2027-11-03T10:00:00+01:00', description: 'New start, ISO 8601 with offset; the session keeps its length' })
  @IsInstant()
  startsAt: string;

  @ApiPropertyOptional({
    example: '7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10',
    description: "Another room of the clinic; default the session's current room",
  })
  @IsOptional()
  @IsString()
  @Matches(UUID_PATTERN, { message: 'roomId must be a room id (uuid)' })
  roomId?: string;

  @ApiProperty({ example: 'Room booked for the board meeting' })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(500)
  reason: string;
}

export class AttendanceEntryRequest {
  @ApiProperty({ example: 'b0e5c1f2-7a0c-4c55-9d8e-2c3e4f5a6b7c', description: 'A course with a seat on the team (pseudonymous id)' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, { message: 'courseId must be a course id' })
  courseId: string;

  @ApiProperty({ enum: ['attended', 'no_show'], example: 'attended' })
  @IsIn(['attended', 'no_show'])
  status: 'attended' | 'no_show';

  @ApiPropertyOptional({ example: 1, description: 'Relatives who came with the patient (Forstå smerte: at most 1); default 0' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  relativesPresent?: number;
}

export class RecordAttendanceRequest {
  @ApiProperty({
    type: [AttendanceEntryRequest],
    example: [
      { courseId: 'b0e5c1f2-7a0c-4c55-9d8e-2c3e4f5a6b7c', status: 'attended', relativesPresent: 1 },
      { courseId: 'c9d8e7f6-1a2b-4c3d-8e9f-0a1b2c3d4e5f', status: 'no_show' },
    ],
    description: 'One entry per course; a later record for the same session and course corrects the earlier one',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AttendanceEntryRequest)
  entries: AttendanceEntryRequest[];
}

const toBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export class ListTeamsQuery {
  @ApiPropertyOptional({ example: 'FORSTAA_SMERTE' })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN, { message: 'programme must be a catalogue code such as FORSTAA_SMERTE' })
  programme?: string;

  @ApiPropertyOptional({
    example: '2027-11-01',
    description:
      "Teams whose first session starts at or after this: a local date (start of that day, clinic's time zone) or an instant with offset",
  })
  @IsOptional()
  @IsDateOrInstant()
  from?: string;

  @ApiPropertyOptional({
    example: '2027-11-30',
    description: 'Teams whose first session starts no later than this: a local date (through the end of that day) or an instant',
  })
  @IsOptional()
  @IsDateOrInstant()
  to?: string;

  @ApiPropertyOptional({
    example: true,
    description:
      'true: teams still taking patients (status planned, late-join cut-off not passed) with more free seats than courses waiting without an offer; false: all other teams',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'hasSeats must be true or false' })
  hasSeats?: boolean;

  @ApiPropertyOptional({ example: 100, description: '1–500, default 100; ordered by first session' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({
    example: '812-40',
    description: 'Same as the X-Min-Position header: wait until the read model has applied this position',
  })
  @IsOptional()
  @IsString()
  minPosition?: string;
}
