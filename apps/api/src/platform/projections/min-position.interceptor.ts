import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, mergeMap, Observable } from 'rxjs';
import { parsePosition } from '#app/event-store';
import { ProjectionRunner } from '#app/projections';
import { ApiError } from '../http/api-error.js';

const WAIT_MS = 5_000;

/**
 * Read-your-writes: a read with `X-Min-Position` (or `?minPosition=`) waits until the read models
 * have applied that position, so a secretary sees her own booking at once.
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(@Inject(ProjectionRunner) private readonly runner: ProjectionRunner) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const raw = request.headers['x-min-position'] ?? request.query.minPosition;
    if (raw === undefined || request.method !== 'GET') return next.handle();
    const position = typeof raw === 'string' ? parsePosition(raw) : undefined;
    if (!position) {
      throw new ApiError(
        400,
        'INVALID_POSITION',
        'X-Min-Position must be a position as returned in X-Event-Position (for example "812-40").',
      );
    }
    return from(
      this.runner.waitFor(position, WAIT_MS).catch(() => {
        throw new ApiError(
          503,
          'READ_MODEL_BEHIND',
          'The lists are still catching up with the latest change; please try again in a moment.',
          {
            minPosition: raw,
          },
        );
      }),
    ).pipe(mergeMap(() => next.handle()));
  }
}
