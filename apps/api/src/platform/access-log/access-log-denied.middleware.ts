import { Inject, Injectable, Logger, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { entryFor, type LoggedRequest } from './access-log.interceptor.js';
import { AccessLogStore } from './access-log.store.js';
import { PatientRoutes } from './patient-routes.js';
import { addId, emptySubjects } from './subjects.js';
import { redactUrl } from '../privacy/redact.js';
import { Clock } from '../clock/clock.js';

/**
 * Attempts the role guard turned away (403) never reach the interceptor; they are logged here as
 * `denied` once the response is finished. Nothing was disclosed, so this entry is written after the
 * fact (best effort, errors go to the application log). Requests without a valid token (401) name no
 * user and are not logged here.
 */
@Injectable()
export class AccessLogDeniedMiddleware implements NestMiddleware {
  private readonly logger = new Logger('AccessLog');

  constructor(
    @Inject(AccessLogStore) private readonly store: AccessLogStore,
    @Inject(PatientRoutes) private readonly routes: PatientRoutes,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  use(request: LoggedRequest, response: Response, next: NextFunction): void {
    const at = this.clock.now();
    response.on('finish', () => {
      if (request.accessLogged || response.statusCode !== 403 || !request.actor) return;
      const path = request.originalUrl.split('?')[0] ?? request.originalUrl;
      const route = this.routes.match(request.method, path);
      if (!route?.patientData) return;
      const subjects = emptySubjects();
      const courseParam = route.patientData.courseParam;
      if (courseParam) {
        const index = route.path.split('/').indexOf(`:${courseParam}`);
        addId(subjects.courseIds, index >= 0 ? safeDecode(path.split('/')[index]) : undefined);
      }
      const entry = {
        ...entryFor(request, route.patientData, at, 403, subjects),
        route: route.path,
        path: redactUrl(path),
        outcome: 'denied' as const,
      };
      this.store
        .record(entry)
        .catch((error: unknown) =>
          this.logger.error(`denied access to ${request.method} ${redactUrl(path)} could not be logged: ${String(error)}`),
        );
    });
    next();
  }
}

function safeDecode(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
