import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ActorResponse {
  @ApiProperty({ example: 'S12' }) staffId: string;
  @ApiProperty({ example: ['secretary'] }) roles: string[];
}

export class HistoryEntryResponse {
  @ApiProperty({ example: '812-40', description: 'global position in the event log (<commit>-<prepare>): the order of all entries' })
  position: string;
  @ApiProperty({ example: 'team-3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11' }) streamId: string;
  @ApiProperty({ example: 7, description: 'revision within its stream (0-based)' }) streamRevision: number;
  @ApiProperty({ example: '5b7f8c1e-2d1a-4c43-9a1e-7d2f4b9c0a12' }) eventId: string;
  @ApiProperty({ example: 'SeatOffered' }) eventType: string;
  @ApiProperty({ example: '2026-03-09T09:14:03.120Z', description: 'when the event store recorded it (what asOf counts by)' })
  recordedAt: string;
  @ApiPropertyOptional({ example: '2026-03-09T09:14:03.101Z', description: 'when the application decided it' }) occurredAt?: string;
  @ApiProperty({ type: ActorResponse, nullable: true }) actor: ActorResponse | null;
  @ApiPropertyOptional({ example: 'secretary', description: 'the role acted in' }) role?: string;
  @ApiPropertyOptional({ example: 'doc-17', description: 'the responsible clinician a secretary acted for' }) onBehalfOf?: string;
  @ApiPropertyOptional({ example: 'cancellation by patient' }) reason?: string;
  @ApiPropertyOptional({ example: '7d2f4b9c-0a12-4c43-9a1e-5b7f8c1e2d1a' }) correlationId?: string;
  @ApiPropertyOptional({ description: 'the event this one follows up (process managers)' }) causationId?: string;
  @ApiProperty({
    example:
      'Secretary S12 offered a seat on the Forstå smerte team starting 2026-03-09 to this course, held until 2026-03-11 09:14 on behalf of doc-17; reason: cancellation by patient.',
  })
  sentence: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the event as stored (pseudonymous ids only)' }) data: Record<
    string,
    unknown
  >;
}

export class CourseHistoryResponse {
  @ApiProperty({ example: '0b6c2f7a-41a3-4f0e-8f57-3a1e2c9d4b55' }) courseId: string;
  @ApiProperty({ example: '9d3e4f1a-6b2c-4d8e-a1f0-5c7b3e2d1a90' }) patientId: string;
  @ApiProperty({ example: 42 }) count: number;
  @ApiProperty({
    type: [HistoryEntryResponse],
    description: "the course's own events, the team-stream events naming it and its appointments' events, in global order",
  })
  entries: HistoryEntryResponse[];
}

export class TeamHistoryResponse {
  @ApiProperty({ example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11' }) teamId: string;
  @ApiProperty({ example: 17 }) count: number;
  @ApiProperty({ type: [HistoryEntryResponse] }) entries: HistoryEntryResponse[];
}

class ChangeResponse {
  @ApiProperty({ example: 'steps[code=KORT_PRIMAERSAMTALE].status' }) path: string;
  @ApiProperty({ enum: ['added', 'removed', 'changed'] }) kind: string;
  @ApiPropertyOptional({
    oneOf: [
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'object', additionalProperties: true },
      { type: 'array', items: {} },
    ],
    nullable: true,
    example: 'scheduled',
    description: 'any JSON value',
  })
  before?: unknown;
  @ApiPropertyOptional({
    oneOf: [
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'object', additionalProperties: true },
      { type: 'array', items: {} },
    ],
    nullable: true,
    example: 'completed',
    description: 'any JSON value',
  })
  after?: unknown;
}

export class CourseDiffResponse {
  @ApiProperty() courseId: string;
  @ApiProperty({ example: '2026-03-01T00:00:00.000Z' }) from: string;
  @ApiProperty({ example: '2026-03-20T00:00:00.000Z' }) to: string;
  @ApiProperty({ type: Number, example: 3, nullable: true, description: 'the course revision at `from` (null: not yet registered then)' })
  fromRevision: number | null;
  @ApiProperty({ example: 11 }) toRevision: number;
  @ApiProperty({ type: [ChangeResponse], description: 'every field of GET /courses/{id} that differs between the two times' })
  changes: ChangeResponse[];
  @ApiProperty({ type: [HistoryEntryResponse], description: 'the events recorded after `from` up to `to`' }) events: HistoryEntryResponse[];
}
