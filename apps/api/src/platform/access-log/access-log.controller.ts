import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString } from 'class-validator';
import type { Response } from 'express';
import { courseStreamId, type ReferralReceived } from '#app/domain';
import type { EventStore } from '#app/event-store';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/current-actor.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiReadErrors } from '../http/openapi.js';
import { IsInstant } from '../http/validators.js';
import { ApiError } from '../http/api-error.js';
import { EVENT_STORE } from '../persistence/tokens.js';
import { isUuid } from '../write-path/new-stream-id.js';
import { requireOwnStream } from '../write-path/write-response.js';
import { AccessLogStore, type AccessLogEntry } from './access-log.store.js';
import { PatientData } from './patient-data.decorator.js';
import { plusInOffset } from './query-values.js';
import { CourseRead } from '../privacy/course-read-policy.js';

export class AccessLogQuery {
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00+01:00', description: 'entries at or after this time' })
  @IsOptional()
  @Transform(plusInOffset)
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31T23:59:59+01:00', description: 'entries at or before this time' })
  @IsOptional()
  @Transform(plusInOffset)
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv: one line per entry, for spreadsheets (default json)' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  @ApiPropertyOptional({ description: 'Same as the X-Min-Position header' })
  @IsOptional()
  @IsString()
  minPosition?: string;
}

class AccessLogEntryResponse {
  @ApiProperty({ example: '1042' }) id: string;
  @ApiProperty({ example: '2026-03-09T09:14:03.120Z', description: 'when the request arrived' }) at: string;
  @ApiProperty({
    example: '2026-03-09T09:14:03.131Z',
    description: "when the entry was stored (the database's clock; retention counts from it)",
  })
  loggedAt: string;
  @ApiProperty({ example: 'smertecenter-syd' }) clinicId: string;
  @ApiProperty({ example: 'S12' }) staffId: string;
  @ApiProperty({ example: ['secretary'] }) roles: string[];
  @ApiProperty({ enum: ['read', 'write', 'export', 'search'] }) use: string;
  @ApiProperty({ example: 'GET' }) method: string;
  @ApiProperty({ example: '/courses/:id' }) route: string;
  @ApiProperty({ example: '/courses/0b6c2f7a-41a3-4f0e-8f57-3a1e2c9d4b55' }) path: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { asOf: '2026-03-01T00:00:00Z' },
    nullable: true,
    description: 'query parameters: filters and search criteria',
  })
  query: Record<string, unknown> | null;
  @ApiProperty({ example: ['0b6c2f7a-41a3-4f0e-8f57-3a1e2c9d4b55'] }) courseIds: string[];
  @ApiProperty({ example: ['9d3e4f1a-6b2c-4d8e-a1f0-5c7b3e2d1a90'], description: 'pseudonymous patient ids' }) patientIds: string[];
  @ApiProperty({ example: 200 }) status: number;
  @ApiProperty({
    enum: ['ok', 'refused', 'denied', 'failed'],
    description: 'refused: 4xx after authorisation; denied: turned away by the role check; failed: 5xx',
  })
  outcome: string;
  @ApiPropertyOptional({ type: String, nullable: true }) correlationId: string | null;
}

export class AccessLogExportResponse {
  @ApiProperty({ example: '0b6c2f7a-41a3-4f0e-8f57-3a1e2c9d4b55' }) courseId: string;
  @ApiProperty({ example: '9d3e4f1a-6b2c-4d8e-a1f0-5c7b3e2d1a90' }) patientId: string;
  @ApiProperty({
    type: [AccessLogEntryResponse],
    description: "every look-up and change of this patient's data in your clinic, oldest first",
  })
  entries: AccessLogEntryResponse[];
}

const CSV_COLUMNS: Array<keyof AccessLogEntry> = [
  'id',
  'at',
  'loggedAt',
  'clinicId',
  'staffId',
  'roles',
  'use',
  'method',
  'route',
  'path',
  'query',
  'courseIds',
  'patientIds',
  'status',
  'outcome',
  'correlationId',
];

@ApiTags('audit')
@ApiBearerAuth()
@Controller('courses')
export class AccessLogController {
  constructor(
    @Inject(AccessLogStore) private readonly store: AccessLogStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Get(':id/access-log')
  @Roles('auditor')
  @CourseRead('id')
  @PatientData({ use: 'export', courseParam: 'id' })
  @ApiOperation({
    summary: "Who looked up or changed this patient's data: the access log, for the patient of this course (auditor, admin)",
    description:
      "Every entry of your clinic naming the course's pseudonymous patient or any of the patient's courses: time, user, role, type of use " +
      '(read/write/export/search), route, outcome. This export is itself logged. Entries are kept for ACCESS_LOG_RETENTION_MONTHS (6–60) and cannot be changed.',
  })
  @ApiParam({ name: 'id', description: 'course id (uuid)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: AccessLogExportResponse })
  @ApiReadErrors()
  async export(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Query() query: AccessLogQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AccessLogExportResponse | string> {
    if (!isUuid(id)) throw ApiError.notFound('course', id);
    const first = await this.events.readStream(courseStreamId(id), { maxCount: 1 });
    requireOwnStream(first, actor, 'course', id);
    const patientId = (first[0].data as ReferralReceived['data']).patientId;
    const entries = await this.store.forPatient(actor.clinicId, patientId, id, { from: query.from, to: query.to });
    if (query.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="access-log-${id}.csv"`);
      return [CSV_COLUMNS.join(','), ...entries.map((e) => CSV_COLUMNS.map((c) => csvCell(e[c])).join(','))].join('\r\n') + '\r\n';
    }
    return { courseId: id, patientId, entries };
  }
}

function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : Array.isArray(value)
        ? value.join(' ')
        : typeof value === 'string'
          ? value
          : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
            ? String(value)
            : JSON.stringify(value);
  return /[",\r\n]/.test(text) || /^[=+\-@]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
