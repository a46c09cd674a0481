import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const MAX_IMPORT_ROWS = 2000;

/**
 * One row of the clinic's past. Its fields are checked row by row by the import (not by the request
 * validation), so that every bad row is named in one 422 answer with all of its problems.
 */
export class ClinicianHistoryRowRequest {
  @ApiProperty({
    enum: ['teamService', 'competence'],
    example: 'teamService',
    description: 'earlier service on a team, or a dated competence',
  })
  kind: 'teamService' | 'competence';

  @ApiProperty({ example: 'C-0042', description: 'a clinician registered in your clinic (POST /clinicians)' })
  clinicianId: string;

  @ApiPropertyOptional({ example: 'FORSTAA_SMERTE', description: "teamService: a programme code of the clinic's catalogue" })
  programme?: string;

  @ApiPropertyOptional({
    example: 'secondary',
    description: "teamService: one of the programme's staff roles (e.g. primary, secondary) or apprentice",
  })
  role?: string;

  @ApiPropertyOptional({
    example: '2023-02-06',
    description: "teamService: the team's first session date (YYYY-MM-DD, not in the future); counts as the date served",
  })
  from?: string;

  @ApiPropertyOptional({
    example: '2023-04-24',
    description: "teamService: the team's last session date (YYYY-MM-DD, on or after from; default from)",
  })
  to?: string;

  @ApiPropertyOptional({
    example: 'FS-2023-1',
    description: "teamService: the team's name in the source (two teams of one programme with the same dates need different names)",
  })
  teamRef?: string;

  @ApiPropertyOptional({ example: 'MBSR_RETREAT', description: "competence: a competence code of the clinic's catalogue" })
  competence?: string;

  @ApiPropertyOptional({
    example: '2026-05-01',
    description: 'competence: when it was obtained (date or date-time with offset; not in the future)',
  })
  grantedAt?: string;

  @ApiPropertyOptional({
    type: String,
    example: null,
    nullable: true,
    description: 'competence: a fixed end the certificate states (after grantedAt); the catalogue validity applies on top',
  })
  expiresAt?: string | null;

  @ApiProperty({
    example: 'Holdliste Forstå smerte forår 2023 (scan, journal no. 2023-114)',
    description: 'the document this row was read from (kept in the event)',
  })
  sourceDocument: string;
}

export class ImportClinicianHistoryRequest {
  @ApiProperty({
    example: 'Go-live 2027: team lists 2019–2026 and the HR competence register',
    description: 'what the import as a whole was taken from (kept in every event and its metadata)',
  })
  @IsString()
  @Matches(/\S/, { message: 'source must not be blank' })
  @MaxLength(300)
  source: string;

  @ApiPropertyOptional({ example: 'Bringing in the clinic’s past before go-live', description: 'stored in the event metadata' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @ApiProperty({
    type: [ClinicianHistoryRowRequest],
    description: `1–${MAX_IMPORT_ROWS} rows. All or nothing: one bad row refuses the whole import (422 IMPORT_REJECTED lists every bad row).`,
    example: [
      {
        kind: 'teamService',
        clinicianId: 'C-0042',
        programme: 'FORSTAA_SMERTE',
        role: 'apprentice',
        from: '2022-09-05',
        to: '2022-11-21',
        teamRef: 'FS-2022-3',
        sourceDocument: 'Holdliste FS efterår 2022',
      },
      {
        kind: 'teamService',
        clinicianId: 'C-0042',
        programme: 'FORSTAA_SMERTE',
        role: 'secondary',
        from: '2023-02-06',
        to: '2023-04-24',
        teamRef: 'FS-2023-1',
        sourceDocument: 'Holdliste FS forår 2023',
      },
      {
        kind: 'competence',
        clinicianId: 'C-0042',
        competence: 'TEACHING_COURSE',
        grantedAt: '2018-03-01',
        expiresAt: null,
        sourceDocument: 'Kursusbevis undervisningskursus',
      },
    ],
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'rows must contain at least one row' })
  @ArrayMaxSize(MAX_IMPORT_ROWS, { message: `rows may contain at most ${MAX_IMPORT_ROWS} rows; split the import` })
  @IsObject({ each: true, message: 'each row must be an object' })
  rows: ClinicianHistoryRowRequest[];
}
