import {
  Body,
  CanActivate,
  Controller,
  Delete,
  ExecutionContext,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Param,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import type { Actor } from '../../../platform/auth/actor.js';
import { CurrentActor } from '../../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../../platform/auth/roles.decorator.js';
import { ApiErrors } from '../../../platform/http/openapi.js';
import { ApiError } from '../../../platform/http/api-error.js';
import { newIdFor } from '../../../platform/write-path/new-stream-id.js';
import { CreateCalendarFeedRequest, RevokeCalendarFeedRequest } from './calendar-feeds.request.js';
import { CalendarFeedResponse, CreatedCalendarFeedResponse } from './calendar-feeds.response.js';
import { CreateCalendarFeed } from './commands/create-calendar-feed.command.js';
import { RevokeCalendarFeed } from './commands/revoke-calendar-feed.command.js';
import { CalendarFeedsService } from './calendar-feeds.service.js';

const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;
type KeyedRequest = Request & { actor?: Actor; feedIdempotencyKey?: string };

/**
 * The answer to POST /calendar-feeds holds the token, which must not be stored anywhere (only its hash is):
 * the global idempotency interceptor would store the answer, so this guard (guards run before
 * interceptors) takes the Idempotency-Key away from it. Idempotency still holds: the feed id derives from
 * the key and the token from the feed id (feed-tokens.ts), so a retry answers with the same feed and token.
 */
@Injectable()
class FeedIdempotencyKey implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<KeyedRequest>();
    const raw = request.headers['idempotency-key'];
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (key !== undefined) {
      if (!KEY_PATTERN.test(key)) {
        throw new ApiError(
          400,
          'INVALID_IDEMPOTENCY_KEY',
          'The Idempotency-Key header must be 8–128 letters, digits or . _ : -, for example a UUID.',
        );
      }
      request.feedIdempotencyKey = key;
      delete request.headers['idempotency-key'];
    }
    return true;
  }
}

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('calendar-feeds')
export class CalendarFeedsController {
  constructor(
    @Inject(CalendarFeedsService) private readonly feeds: CalendarFeedsService,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @Roles('clinician', 'secretary')
  @UseGuards(FeedIdempotencyKey)
  @ApiOperation({
    summary: 'Make a secret link to an iCalendar feed',
    description:
      'A clinician may make feeds of their own calendar; secretaries and administrators of any clinician, room or team of the clinic. The token is shown once (only its hash is stored); anyone holding it can read the feed until it is revoked (DELETE /calendar-feeds/{id}).',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key and body returns the same feed and token',
  })
  @ApiCreatedResponse({ type: CreatedCalendarFeedResponse })
  @ApiErrors(400, 401, 403, 404, 422)
  async create(
    @Body() body: CreateCalendarFeedRequest,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CreatedCalendarFeedResponse> {
    const request = res.req as KeyedRequest;
    const created = await this.commandBus.execute(
      new CreateCalendarFeed(body, newIdFor('calendar-feed', actor, request.feedIdempotencyKey), actor),
    );
    res.setHeader('Cache-Control', 'no-store');
    return created;
  }

  @Get()
  @Roles('clinician', 'secretary')
  @ApiOperation({ summary: 'Calendar feeds: your own; all of the clinic for secretaries and administrators (never the tokens)' })
  @ApiOkResponse({ type: [CalendarFeedResponse] })
  @ApiErrors(401)
  list(@CurrentActor() actor: Actor): Promise<CalendarFeedResponse[]> {
    return this.feeds.list(actor);
  }

  @Delete(':id')
  @Roles('clinician', 'secretary')
  @HttpCode(204)
  @ApiParam({ name: 'id', example: '2b0c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b', description: 'feed id' })
  @ApiOperation({
    summary: 'Revoke a calendar feed: its link stops working at once',
    description: 'By whoever made it, a secretary or an administrator.',
  })
  @ApiNoContentResponse({ description: 'Revoked (also when it already was)' })
  @ApiErrors(401, 403, 404)
  async revoke(@Param('id') id: string, @Body() body: RevokeCalendarFeedRequest, @CurrentActor() actor: Actor): Promise<void> {
    await this.commandBus.execute(new RevokeCalendarFeed(id, body.reason, actor));
  }
}
