import { ApiProperty } from '@nestjs/swagger';

export class ImportRowProblemResponse {
  @ApiProperty({ example: 'UNKNOWN_PROGRAMME' }) code: string;
  @ApiProperty({ example: 'The clinic has no programme FORSTA_SMERTE.' }) reason: string;
}

export class ImportBadRowResponse {
  @ApiProperty({ example: 3, description: 'position in rows, counting from 1' }) row: number;
  @ApiProperty({ type: String, example: 'C-0042', nullable: true }) clinicianId: string | null;
  @ApiProperty({ type: [ImportRowProblemResponse] }) problems: ImportRowProblemResponse[];
}

export class ImportedClinicianResponse {
  @ApiProperty({ example: 'C-0042' }) clinicianId: string;
  @ApiProperty({ example: 2, description: 'team-service records written now' }) teamService: number;
  @ApiProperty({ example: 1, description: 'competence grants written now' }) competences: number;
  @ApiProperty({ example: 0, description: 'rows already recorded with the same content (nothing written)' }) alreadyPresent: number;
  @ApiProperty({ example: 3, description: "the clinician stream's revision afterwards (ETag of GET /clinicians/{id})" }) revision: number;
}

export class ImportClinicianHistoryResponse {
  @ApiProperty({ example: 'imp-5e0f3f6b2a9c41d7b3e2', description: 'derived from the content: the same import always has the same id' })
  importId: string;
  @ApiProperty({ example: 'Go-live 2027: team lists 2019–2026 and the HR competence register' }) source: string;
  @ApiProperty({ example: 3 }) rows: number;
  @ApiProperty({ example: 3, description: 'rows written by this request' }) recorded: number;
  @ApiProperty({ example: 0, description: 'rows that were already recorded (a repeated import records nothing)' }) alreadyPresent: number;
  @ApiProperty({ type: [ImportedClinicianResponse] }) clinicians: ImportedClinicianResponse[];
}
