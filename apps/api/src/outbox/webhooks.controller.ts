import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PatientData } from '../access-log/patient-data.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/current-actor.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiErrors } from '../clinicians/api-docs.js';
import { newIdFor } from '../write-path/new-stream-id.js';
import { Write, type WriteContext } from '../write-path/write-context.js';
import { OUTBOUND_EVENT_TYPES } from './outbound-events.js';
import { WebhookDeliveryWorker } from './webhook-delivery.worker.js';
import { DeadLetterResponse, RegisterWebhookRequest, ReplayResponse, WebhookReasonRequest, WebhookResponse } from './webhooks.dto.js';
import { WebhooksService } from './webhooks.service.js';

const WEBHOOK_ID = ApiParam({ name: 'id', example: '0c7f4c2e-2b7a-4a53-9e55-3f0b9e1d2a11', description: 'webhook id' });
const DELIVERY = `Each event is POSTed as JSON ({ id, type, occurredAt, clinicId, courseId, patientId, data, sequence }: pseudonymous ids only) with
headers X-Webhook-Event, X-Webhook-Delivery, X-Webhook-Timestamp and X-Webhook-Signature: \`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>\`.
Any 2xx is success. Failures are retried with exponential back-off; deliveries for one course arrive in order (a failing one holds back
the later ones for that course to that webhook, never other courses or webhooks); after the last attempt it becomes a dead letter.
Event types: ${OUTBOUND_EVENT_TYPES.join(', ')}.`;

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    @Inject(WebhooksService) private readonly webhooks: WebhooksService,
    @Inject(WebhookDeliveryWorker) private readonly worker: WebhookDeliveryWorker,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a webhook for booking changes (admin)', description: DELIVERY })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key and body returns the first response (same webhook)' })
  @ApiCreatedResponse({ type: WebhookResponse, description: 'The secret is never returned' })
  @ApiErrors(400, 401, 403)
  async register(@Body() body: RegisterWebhookRequest, @Write() ctx: WriteContext, @Res({ passthrough: true }) res: Response): Promise<WebhookResponse> {
    const webhook = await this.webhooks.register(ctx.actor, body, newIdFor('webhook', ctx.actor, ctx.idempotencyKey));
    res.setHeader('Location', `/webhooks/${webhook.webhookId}`);
    return webhook;
  }

  @Get()
  @ApiOperation({ summary: "The clinic's webhooks with their pending and dead-letter counts (admin)" })
  @ApiOkResponse({ type: [WebhookResponse] })
  @ApiErrors(401, 403)
  list(@CurrentActor() actor: Actor): Promise<WebhookResponse[]> {
    return this.webhooks.list(actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @WEBHOOK_ID
  @ApiOperation({ summary: 'Remove a webhook (admin): nothing more is sent to it' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(401, 403, 404)
  async remove(@Param('id') id: string, @Body() body: WebhookReasonRequest, @CurrentActor() actor: Actor): Promise<void> {
    await this.webhooks.remove(actor, id, body.reason);
  }

  @Get(':id/dead-letters')
  @PatientData({ use: 'read', patientFrom: 'response' })
  @WEBHOOK_ID
  @ApiOperation({ summary: 'Deliveries that failed every attempt (admin)', description: 'Each holds back later deliveries for its course to this webhook until it is replayed.' })
  @ApiOkResponse({ type: [DeadLetterResponse] })
  @ApiErrors(401, 403, 404)
  deadLetters(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<DeadLetterResponse[]> {
    return this.webhooks.deadLetters(actor, id);
  }

  @Post(':id/dead-letters/:deliveryId/replay')
  @HttpCode(202)
  @WEBHOOK_ID
  @ApiParam({ name: 'deliveryId', example: '5f1e2d3c-4b5a-4697-8877-66554433aa01' })
  @ApiOperation({ summary: 'Send a dead letter again (admin)', description: 'Queued with a fresh set of attempts; the deliveries it held back follow it in order.' })
  @ApiAcceptedResponse({ type: ReplayResponse })
  @ApiErrors(401, 403, 404, 409)
  async replay(@Param('id') id: string, @Param('deliveryId') deliveryId: string, @Body() body: WebhookReasonRequest, @CurrentActor() actor: Actor): Promise<ReplayResponse> {
    const replayed = await this.webhooks.replay(actor, id, deliveryId, body.reason);
    this.worker.kick();
    return replayed;
  }
}
