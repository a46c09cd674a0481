import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Observable, throwError } from 'rxjs';
import type { Actor } from '../../platform/auth/actor.js';
import { ApiError } from '../../platform/http/api-error.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Defence in depth for "auditors read everything and change nothing": whatever a route's @Roles say
 * (or forget to say), a caller whose only role is `auditor` gets 403 on every write. Runs after the
 * role guard and inside the access-log interceptor, so the refused attempt is logged.
 */
@Injectable()
export class AuditorReadOnlyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const roles = request.actor?.roles ?? [];
    if (!READS.has(request.method) && roles.length > 0 && roles.every((r) => r === 'auditor')) {
      return throwError(
        () =>
          new ApiError(403, 'FORBIDDEN', 'Auditors may read everything but change nothing.', {
            required: ['secretary', 'clinician', 'admin'],
          }),
      );
    }
    return next.handle();
  }
}
