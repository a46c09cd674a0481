import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { OUTBOUND_EVENT_TYPES } from './outbound-events.js';

export class RegisterWebhookRequest {
  @ApiProperty({
    example: 'https://calendar.hospital.example/hooks/scheduling',
    description:
      'URL the events are POSTed to (no user name or password in it). In production only https and only public addresses (checked now and again at every delivery, after DNS); hosts named in WEBHOOK_ALLOWED_INTERNAL_HOSTS may be internal. Refused: 422 WEBHOOK_HTTPS_REQUIRED, WEBHOOK_TARGET_NOT_ALLOWED or WEBHOOK_TARGET_UNRESOLVABLE.',
  })
  @IsString()
  @MaxLength(2000)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true, disallow_auth: true },
    { message: 'url must be an http or https URL' },
  )
  url: string;

  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description:
      'Shared secret (24–200 characters) for the HMAC-SHA256 signatures; stored encrypted, never shown again. Use the Standard Webhooks form `whsec_` + base64 of 24–64 random bytes so its libraries verify `webhook-signature` as they are; any other secret signs with its own bytes (the libraries\' `format: "raw"`).',
  })
  @IsString()
  @MinLength(24)
  @MaxLength(200)
  @Matches(/^[\x21-\x7e]+$/, { message: 'secret must be printable ASCII without spaces' })
  secret: string;

  @ApiProperty({
    example: ['booking.booked', 'booking.cancelled'],
    enum: OUTBOUND_EVENT_TYPES,
    isArray: true,
    description: 'Which events to receive',
  })
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

/** optional body of DELETE /webhooks/{id} and of a replay: why (stored with the webhook or the delivery) */
export class WebhookReasonRequest {
  @ApiPropertyOptional({ example: 'The region moved to a new calendar system' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class RotateSecretRequest {
  @ApiProperty({
    example: 'whsec_Ui7VKo0bNGdPzSVNSlYzvbkBadV9ZkOa',
    description: 'The new secret (24–200 printable characters; `whsec_` + base64 recommended). Never shown again.',
  })
  @IsString()
  @MinLength(24)
  @MaxLength(200)
  @Matches(/^[\x21-\x7e]+$/, { message: 'secret must be printable ASCII without spaces' })
  secret: string;

  @ApiPropertyOptional({
    example: 24,
    minimum: 0,
    maximum: 720,
    description:
      'Hours the previous secret keeps signing beside the new one (default WEBHOOK_SECRET_OVERLAP_HOURS, 24); 0 stops it at once',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(720)
  previousSecretValidHours?: number;
}
