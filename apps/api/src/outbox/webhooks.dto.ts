import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { OUTBOUND_EVENT_TYPES } from './outbound-events.js';

export class RegisterWebhookRequest {
  @ApiProperty({ example: 'https://calendar.hospital.example/hooks/scheduling', description: 'http or https URL the events are POSTed to (no user name or password in it)' })
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true, disallow_auth: true }, { message: 'url must be an http or https URL' })
  url: string;

  @ApiProperty({ example: 'whsec_5d1c7e0a9b8f4e2c8a6d3b1f0e9c7a5d', description: 'Shared secret (24–200 characters) for the HMAC-SHA256 signature; stored encrypted, never shown again' })
  @IsString()
  @MinLength(24)
  @MaxLength(200)
  @Matches(/^[\x21-\x7e]+$/, { message: 'secret must be printable ASCII without spaces' })
  secret: string;

  @ApiProperty({ example: ['booking.booked', 'booking.cancelled'], enum: OUTBOUND_EVENT_TYPES, isArray: true, description: 'Which events to receive' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(OUTBOUND_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(OUTBOUND_EVENT_TYPES, { each: true, message: `each event type must be one of ${OUTBOUND_EVENT_TYPES.join(', ')}` })
  eventTypes: string[];

  @ApiPropertyOptional({ example: 'Region calendar (test environment)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class WebhookResponse {
  @ApiProperty({ example: '0c7f4c2e-2b7a-4a53-9e55-3f0b9e1d2a11' }) webhookId: string;
  @ApiProperty({ example: 'https://calendar.hospital.example/hooks/scheduling' }) url: string;
  @ApiProperty({ example: ['booking.booked', 'booking.cancelled'], enum: OUTBOUND_EVENT_TYPES, isArray: true }) eventTypes: string[];
  @ApiPropertyOptional({ example: 'Region calendar (test environment)' }) description?: string;
  @ApiProperty({ example: 'admin-1' }) createdBy: string;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: 0, description: 'deliveries waiting (including those blocked behind a failing one for the same course)' }) pending: number;
  @ApiProperty({ example: 0, description: 'dead letters (GET /webhooks/{id}/dead-letters)' }) deadLetters: number;
}

export class DeadLetterResponse {
  @ApiProperty({ example: '5f1e2d3c-4b5a-4697-8877-66554433aa01' }) deliveryId: string;
  @ApiProperty({ example: '9a8b7c6d-5e4f-4321-8abc-def012345678', description: 'the message (payload `id`)' }) messageId: string;
  @ApiProperty({ example: 'booking.booked', enum: OUTBOUND_EVENT_TYPES }) type: string;
  @ApiProperty({ example: 'b0e5c1f2-7a0c-4c55-9d8e-2c3e4f5a6b7c', description: 'pseudonymous course id' }) courseId: string;
  @ApiProperty({ example: 42 }) sequence: number;
  @ApiProperty({ example: 8 }) attempts: number;
  @ApiProperty({ example: 503, nullable: true }) lastStatus: number | null;
  @ApiProperty({ example: 'HTTP 503', nullable: true }) lastError: string | null;
  @ApiProperty({ example: '2026-03-01T10:00:00.000Z' }) deadAt: string;
  @ApiProperty({ example: 0, description: 'times an administrator replayed it before' }) replays: number;
  @ApiProperty({ description: 'the body that will be sent again (pseudonymous ids only)', example: { id: '9a8b…', type: 'booking.booked', courseId: 'b0e5…', patientId: 'p-…', data: {} } })
  payload: Record<string, unknown>;
}

export class ReplayResponse {
  @ApiProperty({ example: '5f1e2d3c-4b5a-4697-8877-66554433aa01' }) deliveryId: string;
  @ApiProperty({ example: 'pending', description: 'queued again with a fresh set of attempts, ahead of later deliveries for the same course' }) status: string;
}

/** optional body of DELETE /webhooks/{id} and of a replay: why (stored with the webhook or the delivery) */
export class WebhookReasonRequest {
  @ApiPropertyOptional({ example: 'The region moved to a new calendar system' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
