import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OUTBOUND_EVENT_TYPES } from './outbound-events.js';

export class WebhookResponse {
  @ApiProperty({ example: '0c7f4c2e-2b7a-4a53-9e55-3f0b9e1d2a11' }) webhookId: string;
  @ApiProperty({ example: 'https://calendar.hospital.example/hooks/scheduling' }) url: string;
  @ApiProperty({ example: ['booking.booked', 'booking.cancelled'], enum: OUTBOUND_EVENT_TYPES, isArray: true }) eventTypes: string[];
  @ApiPropertyOptional({ example: 'Region calendar (test environment)' }) description?: string;
  @ApiProperty({ example: 'admin-1' }) createdBy: string;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: 0, description: 'deliveries waiting (including those blocked behind a failing one for the same course)' })
  pending: number;
  @ApiProperty({ example: 0, description: 'dead letters (GET /webhooks/{id}/dead-letters)' }) deadLetters: number;
  @ApiProperty({ example: '2026-03-02T09:00:00.000Z', nullable: true, type: String, description: 'when the secret was last rotated' })
  secretRotatedAt: string | null;
  @ApiProperty({
    example: '2026-03-03T09:00:00.000Z',
    nullable: true,
    type: String,
    description: 'while set, the previous secret signs beside the current one until then',
  })
  previousSecretSignsUntil: string | null;
}

export class DeadLetterResponse {
  @ApiProperty({ example: '5f1e2d3c-4b5a-4697-8877-66554433aa01' }) deliveryId: string;
  @ApiProperty({ example: '9a8b7c6d-5e4f-4321-8abc-def012345678', description: 'the message (payload `id`)' }) messageId: string;
  @ApiProperty({ example: 'booking.booked', enum: OUTBOUND_EVENT_TYPES }) type: string;
  @ApiProperty({
    example: 'b0e5c1f2-7a0c-4c55-9d8e-2c3e4f5a6b7c',
    nullable: true,
    type: String,
    description: 'pseudonymous course id (null for team events)',
  })
  courseId: string | null;
  @ApiPropertyOptional({ example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11', description: 'team events: the team' }) teamId?: string;
  @ApiProperty({ example: 42 }) sequence: number;
  @ApiProperty({ example: 8 }) attempts: number;
  @ApiProperty({ type: Number, example: 503, nullable: true }) lastStatus: number | null;
  @ApiProperty({ type: String, example: 'HTTP 503', nullable: true }) lastError: string | null;
  @ApiProperty({ example: '2026-03-01T10:00:00.000Z' }) deadAt: string;
  @ApiProperty({ example: 0, description: 'times an administrator replayed it before' }) replays: number;
  @ApiProperty({
    description: 'the body that will be sent again (pseudonymous ids only)',
    example: { id: '9a8b…', type: 'booking.booked', courseId: 'b0e5…', patientId: 'p-…', data: {} },
    type: 'object',
    additionalProperties: true,
  })
  payload: Record<string, unknown>;
}

export class ReplayResponse {
  @ApiProperty({ example: '5f1e2d3c-4b5a-4697-8877-66554433aa01' }) deliveryId: string;
  @ApiProperty({
    example: 'pending',
    description: 'queued again with a fresh set of attempts, ahead of later deliveries for the same course',
  })
  status: string;
}

export class BulkReplayResponse {
  @ApiProperty({ example: '0c7f4c2e-2b7a-4a53-9e55-3f0b9e1d2a11' }) webhookId: string;
  @ApiProperty({ example: 12, description: 'dead letters queued again (0 when there were none)' }) replayed: number;
  @ApiProperty({ example: 'pending', description: 'each is queued with a fresh set of attempts, in its original order per course or team' })
  status: string;
}

export class RotateSecretResponse {
  @ApiProperty({ example: '0c7f4c2e-2b7a-4a53-9e55-3f0b9e1d2a11' }) webhookId: string;
  @ApiProperty({ example: '2026-03-02T09:00:00.000Z' }) secretRotatedAt: string;
  @ApiProperty({
    example: '2026-03-03T09:00:00.000Z',
    nullable: true,
    type: String,
    description: 'the previous secret signs beside the new one until then (null: not at all)',
  })
  previousSecretSignsUntil: string | null;
}

export class PingResponse {
  @ApiProperty({ example: true, description: 'the receiver answered 2xx' }) ok: boolean;
  @ApiProperty({ example: 204, nullable: true, type: Number, description: 'the HTTP status it answered (null: no answer)' }) status:
    number | null;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'why it failed: HTTP status, timed out, connection refused, or a refused target (WEBHOOK_TARGET_NOT_ALLOWED …)',
  })
  error: string | null;
  @ApiProperty({ example: 84, description: 'milliseconds until the answer' }) durationMs: number;
  @ApiProperty({ example: 'e1c2d3f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f', description: "the ping's message id (`webhook-id`; not stored)" })
  messageId: string;
}
