import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiHeader, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PatientData } from '../../../platform/access-log/patient-data.decorator.js';
import type { Actor } from '../../../platform/auth/actor.js';
import { Public, ROLES_EXTENSION } from '../../../platform/auth/roles.decorator.js';
import { InvalidTokenError, TokenVerifier } from '../../../platform/auth/token-verifier.js';
import { ApiErrors } from '../../../platform/http/openapi.js';
import { ApiError } from '../../../platform/http/api-error.js';
import type { FeedCalendar } from './calendar-feeds.request.js';
import { CalendarFeedsService } from './calendar-feeds.service.js';
import { FeedQuery } from './feed.request.js';
import { FEED_MAX_DAYS, IcsFeedService } from './ics-feed.service.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const DAY_MS = 86_400_000;
const DESCRIPTION = `RFC 5545 feed for calendar programs. Open it with \`?token=<feed token>\` (POST /calendar-feeds; revocable) or a bearer token.
Named in the clinic's language (X-WR-CALNAME: the room's name, "Forstå smerte – hold 3", or the clinician's display name; SUMMARY: "Forstå smerte – hold 3, session 1", "Kort primærsamtale").
One VEVENT per session or appointment with a stable UID and a SEQUENCE that grows on every change of time, place or status; cancelled
items stay as STATUS:CANCELLED; local times with TZID=Europe/Copenhagen and its VTIMEZONE. No patient identity. Default range: the last
90 days and the next 400 (\`from\`/\`to\` to choose, at most ${FEED_MAX_DAYS} days).`;

type FeedRequest = Request & { actor?: Actor };

/**
 * GET /calendars/{clinicians|rooms|teams}/{id}.ics. @Public() to the global guard: each call is checked
 * here, with the feed token (`?token=`) or a bearer token, one or the other. These routes must be
 * registered before CalendarsController's `/calendars/…/:id`, which would otherwise take `<id>.ics` as its
 * id (IcalModule is imported before CalendarsModule in AppModule).
 */
/** who may open a feed with an access token instead of its link (object rules: calendar-feeds.service.ts) */
export const FEED_BEARER_ROLES = ['secretary', 'clinician', 'auditor', 'integration', 'admin'] as const;

@ApiTags('calendars')
@ApiBearerAuth()
@Public()
@ApiExtension(ROLES_EXTENSION, [...FEED_BEARER_ROLES])
@Controller('calendars')
export class IcsFeedController {
  constructor(
    @Inject(IcsFeedService) private readonly feeds: IcsFeedService,
    @Inject(CalendarFeedsService) private readonly feedTokens: CalendarFeedsService,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {}

  @Get('clinicians/:id.ics')
  @PatientData({ use: 'read' })
  @ApiOperation({
    summary: "A clinician's iCalendar feed: team sessions they staff, appointments they take part in (by kind, never the patient)",
    description: DESCRIPTION,
  })
  @ApiParam({ name: 'id', example: 'doc-17', description: 'staff id' })
  @FEED_DOCS
  clinician(
    @Param('id') id: string,
    @Query() query: FeedQuery,
    @Req() req: FeedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    return this.feed(req, res, 'clinician', id, query);
  }

  @Get('rooms/:id.ics')
  @PatientData({ use: 'read' })
  @ApiOperation({ summary: "A room's iCalendar feed: the sessions and appointments held in it", description: DESCRIPTION })
  @ApiParam({ name: 'id', example: '7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10', description: 'room id' })
  @FEED_DOCS
  room(
    @Param('id') id: string,
    @Query() query: FeedQuery,
    @Req() req: FeedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    return this.feed(req, res, 'room', id, query);
  }

  @Get('teams/:id.ics')
  @PatientData({ use: 'read' })
  @ApiOperation({ summary: "A team's iCalendar feed: its sessions, each as its own event (no RRULE)", description: DESCRIPTION })
  @ApiParam({ name: 'id', example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11', description: 'team id' })
  @FEED_DOCS
  team(
    @Param('id') id: string,
    @Query() query: FeedQuery,
    @Req() req: FeedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    return this.feed(req, res, 'team', id, query);
  }

  private async feed(req: FeedRequest, res: Response, calendar: FeedCalendar, id: string, query: FeedQuery): Promise<string> {
    const clinicId = await this.authorise(req, calendar, id, query.token);
    if (query.from && query.to) {
      const span = Date.parse(query.to) - Date.parse(query.from);
      if (span <= 0 || span > FEED_MAX_DAYS * DAY_MS) {
        throw new ApiError(400, 'VALIDATION_FAILED', `"to" must come after "from", and the range may span at most ${FEED_MAX_DAYS} days.`, {
          fields: [{ field: 'to', problems: [`to must be after from and at most ${FEED_MAX_DAYS} days later`] }],
        });
      }
    }
    const { text, lastModified } = await this.feeds.renderWithVersion(clinicId, calendar, id, { from: query.from, to: query.to });
    // set on success only: an error goes out as the contract's JSON. Express answers 304 itself when the
    // request's If-None-Match matches the ETag it computes over the body and If-Modified-Since is not older
    // than Last-Modified (both are checked when both are sent).
    res.setHeader('Last-Modified', lastModified.toUTCString());
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.setHeader('Content-Disposition', `inline; filename="${calendar}-${id.replace(/[^A-Za-z0-9._-]/g, '_')}.ics"`);
    res.setHeader('Cache-Control', 'private, no-cache');
    return text;
  }

  /** the clinic whose calendar this is, once the feed token or the bearer token allows it; the actor is set for the access log */
  private async authorise(req: FeedRequest, calendar: FeedCalendar, id: string, token: string | undefined): Promise<string> {
    if (token !== undefined) {
      // the token must not reach the access log (it records the query) or any later log line
      req.url = req.url.replace(/([?&]token=)[^&]*/g, '$1[redacted]');
      const feed = await this.feedTokens.resolve(token);
      if (!feed || feed.calendar !== calendar || feed.targetId !== id) {
        throw new ApiError(401, 'UNAUTHENTICATED', 'This calendar link is not valid (it may have been revoked). Ask for a new one.');
      }
      req.actor = { staffId: `calendar-feed:${feed.feedId}`, roles: [], clinicId: feed.clinicId };
      return feed.clinicId;
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer)
      throw new ApiError(
        401,
        'UNAUTHENTICATED',
        'Open this feed with its link (?token=…) or send an access token as "Authorization: Bearer <token>".',
      );
    try {
      req.actor = await this.verifier.verify(bearer);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new ApiError(401, 'UNAUTHENTICATED', error.message, { reason: error.reason });
      throw new ApiError(401, 'UNAUTHENTICATED', 'The access token could not be checked.');
    }
    // the route is public for its feed link; with an access token it has a role rule like every other route
    if (!req.actor.roles.some((role) => (FEED_BEARER_ROLES as readonly string[]).includes(role))) {
      throw new ApiError(
        403,
        'FORBIDDEN',
        `Your role does not allow reading calendar feeds with an access token; it needs one of: ${FEED_BEARER_ROLES.join(', ')}.`,
        {
          required: FEED_BEARER_ROLES,
        },
      );
    }
    if (!ID.test(id)) throw ApiError.notFound(calendar, id);
    await this.feedTokens.authorise(req.actor, calendar, id, 'read');
    return req.actor.clinicId;
  }
}

function FEED_DOCS(target: object, key: string | symbol, descriptor: PropertyDescriptor): void {
  for (const decorate of [
    ApiProduces('text/calendar'),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'the ETag of the copy you have: 304 when the feed is unchanged' }),
    ApiHeader({
      name: 'If-Modified-Since',
      required: false,
      description: 'the Last-Modified of the copy you have: 304 when the feed is unchanged since',
    }),
    ApiResponse({
      status: 200,
      description: "text/calendar (RFC 5545), named and titled in the clinic's language",
      headers: {
        ETag: { description: 'of this body (weak)', schema: { type: 'string', example: 'W/"1f3a-Yc2k1Jt8xq0E0mKpQyqf0q3b2pA"' } },
        'Last-Modified': {
          description: 'since when exactly this body is served',
          schema: { type: 'string', example: 'Tue, 03 Mar 2026 08:15:00 GMT' },
        },
      },
      content: {
        'text/calendar': {
          schema: {
            type: 'string',
            example:
              'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//group-course-scheduler//clinic-1 kalendere//DA\r\nX-WR-CALNAME:Forstå smerte – hold 3\r\nBEGIN:VEVENT\r\nSUMMARY:Forstå smerte – hold 3\\, session 1\r\nLOCATION:Store mødelokale\r\n…',
          },
        },
      },
    }),
    ApiResponse({ status: 304, description: 'Not modified (If-None-Match or If-Modified-Since): no body' }),
    ApiErrors(400, 401, 403, 404),
  ]) {
    (decorate as MethodDecorator)(target, key, descriptor);
  }
}
