import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { PatientData } from '../../platform/access-log/patient-data.decorator.js';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../platform/auth/roles.decorator.js';
import { ApiErrors } from '../../platform/http/openapi.js';
import { newIdFor } from '../../platform/write-path/new-stream-id.js';
import { Write, type WriteContext } from '../../platform/write-path/write-context.js';
import { OUTBOUND_EVENT_TYPES, PAYLOAD_VERSION, PING_EVENT_TYPE } from './outbound-events.js';
import { PingWebhook } from './commands/ping-webhook.command.js';
import { RegisterWebhook } from './commands/register-webhook.command.js';
import { RemoveWebhook } from './commands/remove-webhook.command.js';
import { ReplayDeadLetter } from './commands/replay-dead-letter.command.js';
import { ReplayDeadLetters } from './commands/replay-dead-letters.command.js';
import { RotateWebhookSecret } from './commands/rotate-webhook-secret.command.js';
import { RegisterWebhookRequest, RotateSecretRequest, WebhookReasonRequest } from './webhooks.request.js';
import {
  BulkReplayResponse,
  DeadLetterResponse,
  PingResponse,
  ReplayResponse,
  RotateSecretResponse,
  WebhookResponse,
} from './webhooks.response.js';
import { WebhooksService } from './webhooks.service.js';

const WEBHOOK_ID = ApiParam({ name: 'id', example: '0c7f4c2e-2b7a-4a53-9e55-3f0b9e1d2a11', description: 'webhook id' });
const DELIVERY = `Each event is POSTed as JSON ({ version: ${PAYLOAD_VERSION}, id, type, occurredAt, clinicId, courseId, teamId?, patientId, data, sequence }:
pseudonymous ids only, no names, no CPR numbers, no free text) with two sets of signing headers:
- Standard Webhooks (standardwebhooks.com): \`webhook-id\` (the message id, the same on every retry), \`webhook-timestamp\` (unix seconds),
  \`webhook-signature\`: \`v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>\` where key is the base64 part of a
  \`whsec_\` secret (any other secret: its own bytes); verify with the specification's libraries.
- ours, kept for existing receivers: X-Webhook-Timestamp and X-Webhook-Signature \`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>\`;
  also X-Webhook-Event, X-Webhook-Delivery and X-Webhook-Id (the registration).
While a rotated-out secret still signs, each header carries one signature per secret (space-separated \`v1,…\`; repeated \`v1=\`): accept any match.
Any 2xx is success; redirects are not followed. Failures are retried on WEBHOOK_RETRY_SCHEDULE (default 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
10 h: 8 attempts over 27 h 35 min); deliveries for one course (team events: one team) arrive in order (a failing one holds back the later
ones for that course to that webhook, never other courses or webhooks); after the last attempt it becomes a dead letter.
Event types: ${OUTBOUND_EVENT_TYPES.join(', ')}.`;

const TARGET_REFUSED = ApiResponse({
  status: 422,
  description:
    'WEBHOOK_HTTPS_REQUIRED (production: https only), WEBHOOK_TARGET_NOT_ALLOWED (the host is or resolves to a private, loopback, link-local or other non-public address and is not allow-listed), WEBHOOK_TARGET_UNRESOLVABLE (DNS gave no address)',
  content: {
    'application/json': {
      schema: { $ref: '#/components/schemas/ErrorResponse' },
      example: {
        statusCode: 422,
        code: 'WEBHOOK_TARGET_NOT_ALLOWED',
        message:
          "Webhooks can only be sent to public internet addresses: 169.254.169.254 resolves to 169.254.169.254, a link-local address (such as the cloud metadata service). If this is the hospital's own integration engine, ask the operator to add 169.254.169.254 to WEBHOOK_ALLOWED_INTERNAL_HOSTS.",
        details: { host: '169.254.169.254', address: '169.254.169.254', range: 'linkLocal', allowListed: false },
      },
    },
  },
});

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    @Inject(WebhooksService) private readonly webhooks: WebhooksService,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a webhook for booking changes (admin)', description: DELIVERY })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key and body returns the first response (same webhook)',
  })
  @Roles('admin')
  @ApiCreatedResponse({ type: WebhookResponse, description: 'The secret is never returned' })
  @ApiErrors(400, 401, 403)
  @TARGET_REFUSED
  async register(
    @Body() body: RegisterWebhookRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WebhookResponse> {
    const webhook = await this.commandBus.execute(new RegisterWebhook(body, newIdFor('webhook', ctx.actor, ctx.idempotencyKey), ctx.actor));
    res.setHeader('Location', `/webhooks/${webhook.webhookId}`);
    return webhook;
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: "The clinic's webhooks with their pending and dead-letter counts (admin)" })
  @ApiOkResponse({ type: [WebhookResponse] })
  @ApiErrors(401, 403)
  list(@CurrentActor() actor: Actor): Promise<WebhookResponse[]> {
    return this.webhooks.list(actor);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @WEBHOOK_ID
  @ApiOperation({ summary: 'Remove a webhook (admin): nothing more is sent to it' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(401, 403, 404)
  async remove(@Param('id') id: string, @Body() body: WebhookReasonRequest, @CurrentActor() actor: Actor): Promise<void> {
    await this.commandBus.execute(new RemoveWebhook(id, body.reason, actor));
  }

  @Get(':id/dead-letters')
  @Roles('admin')
  @PatientData({ use: 'read', patientFrom: 'response' })
  @WEBHOOK_ID
  @ApiOperation({
    summary: 'Deliveries that failed every attempt (admin)',
    description: 'Each holds back later deliveries for its course to this webhook until it is replayed.',
  })
  @ApiOkResponse({ type: [DeadLetterResponse] })
  @ApiErrors(401, 403, 404)
  deadLetters(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<DeadLetterResponse[]> {
    return this.webhooks.deadLetters(actor, id);
  }

  @Post(':id/dead-letters/:deliveryId/replay')
  @Roles('admin')
  @HttpCode(202)
  @WEBHOOK_ID
  @ApiParam({ name: 'deliveryId', example: '5f1e2d3c-4b5a-4697-8877-66554433aa01' })
  @ApiOperation({
    summary: 'Send a dead letter again (admin)',
    description: 'Queued with a fresh set of attempts; the deliveries it held back follow it in order.',
  })
  @ApiAcceptedResponse({ type: ReplayResponse })
  @ApiErrors(401, 403, 404, 409)
  async replay(
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
    @Body() body: WebhookReasonRequest,
    @CurrentActor() actor: Actor,
  ): Promise<ReplayResponse> {
    return this.commandBus.execute(new ReplayDeadLetter(id, deliveryId, body.reason, actor));
  }

  @Post(':id/dead-letters/replay')
  @HttpCode(202)
  @Roles('admin')
  @WEBHOOK_ID
  @ApiOperation({
    summary: 'Send every dead letter of a webhook again (admin)',
    description:
      'For a receiver that is back after an outage: each dead letter is queued with a fresh set of attempts, in its original order per course or team, and the deliveries it held back follow it. Safe to repeat (the second call finds none).',
  })
  @ApiBody({
    type: WebhookReasonRequest,
    required: false,
    examples: { reason: { value: { reason: 'Receiver was down for maintenance 1–3 March' } } },
  })
  @ApiAcceptedResponse({ type: BulkReplayResponse })
  @ApiErrors(400, 401, 403, 404)
  async replayAll(@Param('id') id: string, @Body() body: WebhookReasonRequest, @CurrentActor() actor: Actor): Promise<BulkReplayResponse> {
    return this.commandBus.execute(new ReplayDeadLetters(id, body.reason, actor));
  }

  @Post(':id/ping')
  @HttpCode(200)
  @Roles('admin')
  @WEBHOOK_ID
  @ApiOperation({
    summary: 'Send a signed test event to a webhook now and say how it answered (admin)',
    description: `POSTs { version, id, type: "${PING_EVENT_TYPE}", occurredAt, clinicId, courseId: null, patientId: null, data: { webhookId }, sequence: 0 } with the same signing headers and target checks as every delivery; not stored, not retried. 200 whatever the receiver answered (see ok/status/error).`,
  })
  @ApiOkResponse({ type: PingResponse })
  @ApiErrors(401, 403, 404)
  async ping(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<PingResponse> {
    return this.commandBus.execute(new PingWebhook(id, actor));
  }

  @Put(':id/secret')
  @Roles('admin')
  @WEBHOOK_ID
  @ApiOperation({
    summary: "Rotate a webhook's signing secret (admin)",
    description:
      'The new secret signs from now on. The previous one keeps signing beside it for previousSecretValidHours (default WEBHOOK_SECRET_OVERLAP_HOURS, 24 h): every request then carries both signatures, so the receiver can switch secrets at its own pace. Sending the current secret again changes nothing.',
  })
  @ApiOkResponse({ type: RotateSecretResponse })
  @ApiErrors(400, 401, 403, 404)
  rotateSecret(@Param('id') id: string, @Body() body: RotateSecretRequest, @CurrentActor() actor: Actor): Promise<RotateSecretResponse> {
    return this.commandBus.execute(new RotateWebhookSecret(id, body, actor));
  }
}
