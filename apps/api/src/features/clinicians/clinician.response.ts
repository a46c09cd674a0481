import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FailedRuleResponse {
  @ApiProperty({ example: 'FS_PRIMARY_4_EARLIER_TEAMS' }) code: string;
  @ApiProperty({
    example:
      'The primary therapist on Forstå smerte must have taken part in at least 4 earlier Forstå smerte teams as apprentice or secondary therapist. Recorded so far: 2 of 4.',
  })
  reason: string;
}

export class ImportedSourceResponse {
  @ApiProperty({ example: 'imp-5e0f3f6b2a9c41d7b3e2' }) importId: string;
  @ApiProperty({ example: 'Go-live 2027: team lists 2019–2026 and the HR competence register' }) source: string;
  @ApiProperty({ example: 'Holdliste Forstå smerte forår 2023' }) sourceDocument: string;
}

export class CompetenceResponse {
  @ApiProperty({ example: 'MBSR_RETREAT' }) competence: string;
  @ApiProperty({ type: String, example: 'Yearly retreat', nullable: true, description: "the competence's English name in the catalogue" })
  name: string | null;
  @ApiProperty({ example: '2026-10-01', description: 'when it was obtained' }) grantedAt: string;
  @ApiProperty({ type: String, example: null, nullable: true, description: 'the fixed end the grant itself states' }) expiresAt:
    string | null;
  @ApiProperty({ type: String, example: null, nullable: true }) revokedAt: string | null;
  @ApiProperty({
    type: String,
    example: '2027-10-01T02:00:00+02:00',
    nullable: true,
    description:
      "when the grant stops counting: the earliest of its own expiry, its revocation and the catalogue's validity (settings.competenceValidityMonths); null = never",
  })
  validUntil: string | null;
  @ApiProperty({ enum: ['valid', 'expired', 'revoked'], example: 'valid', description: 'at the time of the request' }) status:
    'valid' | 'expired' | 'revoked';
  @ApiPropertyOptional({
    type: ImportedSourceResponse,
    description: 'only on grants brought in by the go-live import (POST /imports/clinician-history)',
  })
  imported?: ImportedSourceResponse;
}

export class TeamServiceResponse {
  @ApiProperty({ example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11' }) teamId: string;
  @ApiProperty({ example: 'FORSTAA_SMERTE' }) programme: string;
  @ApiProperty({ example: 'apprentice' }) role: string;
  @ApiProperty({ example: '2026-11-02T13:00:00+01:00', description: 'start of the session at which the service was recorded' })
  servedAt: string;
  @ApiPropertyOptional({
    type: ImportedSourceResponse,
    description: 'only on earlier service brought in by the go-live import (servedAt = the first session date in the source)',
  })
  imported?: ImportedSourceResponse;
}

export class TeamServiceCountResponse {
  @ApiProperty({ example: 'FORSTAA_SMERTE' }) programme: string;
  @ApiProperty({ example: 'secondary' }) role: string;
  @ApiProperty({ example: 4, description: 'distinct teams' }) teams: number;
}

export class DerivedCompetencesResponse {
  @ApiProperty({ type: Number, example: 27, nullable: true, description: 'whole months employed at the centre, from the employment start' })
  employedMonths: number | null;
  @ApiProperty({ type: Number, example: 2, nullable: true, description: 'whole years employed' }) employedYears: number | null;
  @ApiProperty({
    type: [TeamServiceCountResponse],
    description: 'earlier teams by programme and role, from the recorded team-service history (never typed in)',
  })
  earlierTeams: TeamServiceCountResponse[];
}

export class StaffRoleFitResponse {
  @ApiProperty({ example: 'FORSTAA_SMERTE' }) programmeCode: string;
  @ApiProperty({ example: 'primary' }) role: string;
  @ApiProperty({ example: false, description: "meets the role's competence rule now (current catalogue)" }) qualifiedNow: boolean;
  @ApiProperty({ type: [FailedRuleResponse], description: 'every requirement not met now' }) missing: FailedRuleResponse[];
}

export class ClinicianResponse {
  @ApiProperty({ example: 'C-0042' }) clinicianId: string;
  @ApiProperty({ example: ['NURSE'] }) professions: string[];
  @ApiProperty({ type: String, nullable: true, example: '2019-08-01' }) employmentStart: string | null;
  @ApiProperty({
    example: 'Anne Holm, sygeplejerske',
    nullable: true,
    type: String,
    description: 'how the clinic names them to others (calendar feeds); null when not given',
  })
  displayName: string | null;
  @ApiProperty({ type: [CompetenceResponse], description: 'every grant, including lapsed and revoked ones (renewals are new grants)' })
  competences: CompetenceResponse[];
  @ApiProperty({ type: DerivedCompetencesResponse }) derived: DerivedCompetencesResponse;
  @ApiProperty({ type: [StaffRoleFitResponse], description: "every staff role of the clinic's programmes, with what is missing" })
  staffRoles: StaffRoleFitResponse[];
  @ApiProperty({ type: [TeamServiceResponse], description: 'teams served on, recorded when attendance is taken' })
  teamService: TeamServiceResponse[];
  @ApiProperty({ example: 3, description: 'stream revision (also the ETag)' }) revision: number;
}

export class ClinicianSummaryResponse {
  @ApiProperty({ example: 'C-0042' }) clinicianId: string;
  @ApiProperty({ example: ['NURSE'] }) professions: string[];
  @ApiProperty({ example: '2019-08-01' }) employmentStart: string;
  @ApiProperty({ example: true, description: 'the employment has started (no end of employment is recorded by this service)' })
  active: boolean;
  @ApiProperty({
    example: ['TEACHING_COURSE', 'MBSR_RETREAT'],
    description: 'competences held with a valid grant now (catalogue validity applied)',
  })
  competences: string[];
  @ApiProperty({ example: 4, description: 'stream revision (ETag of GET /clinicians/{id})' }) revision: number;
}
