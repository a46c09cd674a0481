import { createParamDecorator, ExecutionContext, Inject, Injectable, type PipeTransform } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { Actor } from '../auth/actor.js';
import { Clock } from '../clock/clock.js';
import { STAFF_ID_PATTERN } from '../http/field-validators.js';
import { ApiError } from '../http/api-error.js';
import type { EventMetadata } from './event-metadata.js';

/** What every write needs from its request: the event metadata and the optional If-Match revision. */
export interface WriteContext {
  readonly actor: Actor;
  readonly ifMatch?: number;
  readonly idempotencyKey?: string;
  metadata(extra?: { reason?: string; onBehalfOf?: string; causationId?: string }): EventMetadata;
}

/** What the request says about a write, read before the route runs (the time comes later, from the Clock). */
interface WriteRequest {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly ifMatch?: number;
  readonly idempotencyKey?: string;
  readonly onBehalfOf?: string;
}

const WriteRequestParam = createParamDecorator((_: unknown, context: ExecutionContext): WriteRequest => {
  const request = context.switchToHttp().getRequest<Request & { actor?: Actor; id?: unknown }>();
  const actor = request.actor;
  if (!actor) throw new Error('Write context used on a public route');
  return {
    actor,
    correlationId: headerValue(request, 'x-correlation-id') ?? (typeof request.id === 'string' ? request.id : randomUUID()),
    ifMatch: parseIfMatch(headerValue(request, 'if-match')),
    idempotencyKey: headerValue(request, 'idempotency-key'),
    onBehalfOf: parseOnBehalfOf(headerValue(request, 'x-on-behalf-of')),
  };
});

/** Turns the request's part into the WriteContext; a pipe so that Nest injects the Clock (events' occurredAt). */
@Injectable()
export class WriteContextPipe implements PipeTransform<WriteRequest, WriteContext> {
  constructor(@Inject(Clock) private readonly clock: Clock) {}

  transform({ actor, correlationId, ifMatch, idempotencyKey, onBehalfOf }: WriteRequest): WriteContext {
    return {
      actor,
      ifMatch,
      idempotencyKey,
      metadata: (extra = {}) => ({
        schemaVersion: 1,
        actor: { staffId: actor.staffId, roles: actor.roles },
        clinicId: actor.clinicId,
        correlationId,
        occurredAt: this.clock.now().toISOString(),
        ...(idempotencyKey ? { idempotencyKey } : {}),
        ...(onBehalfOf ? { onBehalfOf } : {}),
        ...stripUndefined(extra),
      }),
    };
  }
}

/** The write's context as a route parameter: `@Write() ctx: WriteContext`. */
export const Write = (): ParameterDecorator => WriteRequestParam(WriteContextPipe);

function headerValue(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `If-Match: "7"` (or W/"7") → 7; anything else is a 400, never silently ignored. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(?:W\/)?"(-?\d{1,15})"\s*$/.exec(value);
  if (!match) {
    throw new ApiError(
      400,
      'INVALID_IF_MATCH',
      'The If-Match header must be a revision in quotes, as returned in the ETag header (for example "3").',
    );
  }
  return Number(match[1]);
}

/** `X-On-Behalf-Of: <staff id>`: the responsible clinician when a secretary acts for them (kept in every event). */
export function parseOnBehalfOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // OnBehalfOfGuard has already refused anything but a registered clinician of the caller's clinic
  if (!STAFF_ID_PATTERN.test(value.trim())) {
    throw new ApiError(
      422,
      'ON_BEHALF_OF_NOT_A_CLINICIAN',
      'X-On-Behalf-Of must name a clinician registered in your clinic; nothing was changed.',
    );
  }
  return value.trim();
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
