import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CODE_PATTERN, IsDateOrInstant, IsLocalDate, STAFF_ID_PATTERN } from '../../platform/http/field-validators.js';

export class RegisterClinicianRequest {
  @ApiProperty({
    example: 'C-0042',
    description: "The clinician's staff id (the `sub` of their access token); letters, digits and . _ : @ -",
  })
  @IsString()
  @Matches(STAFF_ID_PATTERN, { message: 'clinicianId must be 1–128 letters, digits or . _ : @ -, starting with a letter or digit' })
  clinicianId: string;

  @ApiProperty({ example: ['NURSE'], description: "Profession codes from the clinic's catalogue (`professions`)" })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @Matches(CODE_PATTERN, { each: true, message: 'each profession must be a catalogue code such as NURSE' })
  professions: string[];

  @ApiProperty({ example: '2019-08-01', description: 'First day at the centre (local date)' })
  @IsLocalDate()
  employmentStart: string;

  @ApiPropertyOptional({
    example: 'Anne Holm, sygeplejerske',
    description: 'How the clinic names this clinician to others, e.g. as the name of their calendar feed (1–200 characters)',
  })
  @IsOptional()
  @IsString()
  // eslint-disable-next-line no-control-regex -- refusing control characters is what this pattern is for
  @Matches(/^[^\u0000-\u001f\u007f]*\S[^\u0000-\u001f\u007f]*$/, { message: 'displayName must be a name on one line' })
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ example: 'New nurse in the pain team', description: 'Stored in the event metadata' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class GrantCompetenceRequest {
  @ApiProperty({ example: 'MBSR_RETREAT', description: "A competence code from the clinic's catalogue (`competences`)" })
  @IsString()
  @Matches(CODE_PATTERN, { message: 'competence must be a catalogue code such as MBSR_RETREAT' })
  competence: string;

  @ApiProperty({
    example: '2026-10-01',
    description: 'When the competence was obtained (date, or date and time with offset); not in the future',
  })
  @IsDateOrInstant()
  grantedAt: string;

  @ApiPropertyOptional({
    type: String,
    example: null,
    nullable: true,
    description: "A fixed end stated by the certificate itself; the catalogue's validity (e.g. MBSR retreat: 12 months) applies on top",
  })
  @IsOptional()
  @IsDateOrInstant()
  expiresAt?: string | null;

  @ApiProperty({
    example: 'Silent retreat at Dansk Center for Mindfulness, certificate seen',
    description: 'Why the competence is granted (audit)',
  })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(500)
  reason: string;
}

export class ReasonRequest {
  @ApiProperty({ example: 'Certificate withdrawn', description: 'Why (stored in the event and its metadata)' })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(500)
  reason: string;
}

export class ListCliniciansQuery {
  @ApiPropertyOptional({ example: 'NURSE', description: 'only clinicians with this profession (a catalogue code)' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: 'profession must be a catalogue code such as NURSE' })
  profession?: string;

  @ApiPropertyOptional({
    example: 'MBSR_TEACHER',
    description: 'only clinicians holding a valid (granted, not lapsed, not revoked) grant of this competence now',
  })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: 'competence must be a catalogue code such as MBSR_TEACHER' })
  competence?: string;

  @ApiPropertyOptional({
    example: true,
    description: 'true: only clinicians whose employment has started; false: only those registered ahead of their start',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}
