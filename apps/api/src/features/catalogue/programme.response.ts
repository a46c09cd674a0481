import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class LocalizedTextResponse {
  @ApiProperty({ example: 'Forstå smerte' }) da: string;
  @ApiProperty({ example: 'Understanding pain' }) en: string;
}

class SessionTemplateResponse {
  @ApiProperty({ example: 'S1' }) key: string;
  @ApiProperty({ enum: ['group', 'retreat'] }) kind: string;
  @ApiProperty({ example: 90 }) durationMinutes: number;
  @ApiProperty({ example: 0, description: 'calendar days after the first session' }) dayOffset: number;
}

class SessionPlanResponse {
  @ApiProperty({ example: { kind: 'every', days: 7 } }) cadence: Record<string, unknown>;
  @ApiProperty({ type: [SessionTemplateResponse] }) sessions: SessionTemplateResponse[];
}

/** A group programme as the catalogue defines it (seats, sessions, staff rule, criteria). */
export class ProgrammeResponse {
  @ApiProperty({ example: 'FORSTAA_SMERTE' }) code: string;
  @ApiProperty({ type: LocalizedTextResponse }) name: LocalizedTextResponse;
  @ApiProperty({ example: 25 }) seats: number;
  @ApiProperty({ type: SessionPlanResponse }) sessionPlan: SessionPlanResponse;
  @ApiProperty({
    description: 'staff roles, counts and competence rules',
    example: {
      roles: [
        { role: 'primary', count: 1 },
        { role: 'secondary', count: 1 },
      ],
    },
  })
  staff: Record<string, unknown>;
  @ApiProperty({
    description: 'inclusion and exclusion criteria, each with a sentence',
    example: { inclusion: [], exclusion: [{ code: 'NEEDS_INTERPRETER' }] },
  })
  eligibility: Record<string, unknown>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { perPatient: 1, minAge: 18, takesSeat: false },
  })
  relatives: Record<string, unknown> | null;
  @ApiProperty({ example: { sessionNumber: 1, hoursBefore: 0 } }) lateJoin: Record<string, unknown>;
  @ApiProperty({ example: 1 }) catalogueVersion: number;
}
