import { CallHandler, ExecutionContext, HttpException, Inject, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, concatMap, from, map, Observable, throwError } from 'rxjs';
import { DomainError } from '#app/domain';
import { WrongExpectedRevisionError } from '#app/event-store';
import type { Actor } from '../auth/actor.js';
import { Clock } from '../clock/clock.js';
import { ApiError } from '../http/api-error.js';
import { redactDeep, redactUrl } from '../privacy/redact.js';
import { AccessLogStore, type AccessOutcome } from './access-log.store.js';
import { PATIENT_DATA_KEY, type PatientDataMetadata } from './patient-data.decorator.js';
import { addId, collectSubjects, emptySubjects, type Subjects } from './subjects.js';

export type LoggedRequest = Request & { actor?: Actor; id?: unknown; accessLogged?: boolean };

/**
 * Writes the access-log entry of every call to a @PatientData route that passed authorisation, before
 * the response leaves:
 * - success: the entry (outcome `ok`, the status Nest will send) is written, then the body is released;
 * - any error after authorisation (validation 400, 404, 409, 422, 5xx, an idempotent replay of a refusal):
 *   the entry (outcome `refused` for 4xx, `failed` for 5xx) is written, then the error goes on.
 * If the entry cannot be written the caller gets 503 ACCESS_LOG_UNAVAILABLE instead of the data or the
 * error: no look-up goes unlogged. (A write that already reached the event store stays written; a retry
 * with the same Idempotency-Key answers it once the log is back.)
 *
 * It must be the outermost interceptor, so that nothing before it can answer on its own (the idempotency
 * interceptor replays stored responses): AccessLogModule is imported before the write path in AppModule,
 * and test/audit/access-log.e2e-spec.ts checks that a replay is logged.
 */
@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  private readonly logger = new Logger('AccessLog');

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AccessLogStore) private readonly store: AccessLogStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const options = this.reflector.get<PatientDataMetadata | undefined>(PATIENT_DATA_KEY, context.getHandler());
    if (!options) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<LoggedRequest>();
    const response = http.getResponse<Response>();
    const at = this.clock.now();
    // marked at once: the denied-access middleware must not log this request a second time
    request.accessLogged = true;

    const write = (status: number, body: unknown) => {
      const subjects = emptySubjects();
      if (options.courseParam) addId(subjects.courseIds, request.params[options.courseParam]);
      if (options.patientFrom.includes('body')) collectSubjects(request.body, subjects);
      if (options.patientFrom.includes('response') && status < 400) collectSubjects(body, subjects);
      return this.store.record(entryFor(request, options, at, status, subjects));
    };

    return next.handle().pipe(
      concatMap((body: unknown) => {
        const status = successStatus(this.reflector, context, request.method, response);
        if (response.headersSent) {
          // a handler that wrote the response itself (@Res() without passthrough): log after the fact
          return from(
            write(status, body).catch((error: unknown) =>
              this.logger.error(`access log entry lost for ${request.method} ${redactUrl(request.path)}: ${String(error)}`),
            ),
          ).pipe(map(() => body));
        }
        return from(write(status, body).catch((error: unknown) => Promise.reject(unavailable(error, this.logger)))).pipe(map(() => body));
      }),
      catchError((error: unknown) => {
        if (error instanceof AccessLogUnavailable) return throwError(() => error.apiError);
        return from(
          write(statusOf(error), undefined).catch((logError: unknown) => Promise.reject(unavailable(logError, this.logger))),
        ).pipe(
          concatMap(() => throwError(() => error)),
          catchError((e: unknown) => throwError(() => (e instanceof AccessLogUnavailable ? e.apiError : e))),
        );
      }),
    );
  }
}

class AccessLogUnavailable extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message);
  }
}

function unavailable(error: unknown, logger: Logger): AccessLogUnavailable {
  logger.error(`the access log could not be written: ${error instanceof Error ? error.message : String(error)}`);
  return new AccessLogUnavailable(
    new ApiError(
      503,
      'ACCESS_LOG_UNAVAILABLE',
      'Patient data cannot be shown or changed right now because the access log cannot be written. Please try again shortly.',
    ),
  );
}

export function entryFor(
  request: LoggedRequest,
  options: { use: PatientDataMetadata['use'] },
  at: Date,
  status: number,
  subjects: Subjects,
) {
  const actor = request.actor;
  const query =
    typeof request.query === 'object' && Object.keys(request.query).length > 0 ? (request.query as Record<string, unknown>) : null;
  const correlation = request.headers['x-correlation-id'];
  return {
    at,
    clinicId: actor?.clinicId ?? '',
    staffId: actor?.staffId ?? 'anonymous',
    roles: actor ? [...actor.roles] : [],
    use: options.use,
    method: request.method,
    route: routePattern(request),
    // a CPR number typed into the address (GET /courses/040595-1159) is never kept
    path: redactUrl(request.path),
    query: query === null ? null : redactDeep(query),
    courseIds: redactDeep([...subjects.courseIds]),
    patientIds: redactDeep([...subjects.patientIds]),
    status,
    outcome: outcomeOf(status),
    correlationId:
      (Array.isArray(correlation) ? correlation[0] : correlation) ??
      (typeof request.id === 'string' || typeof request.id === 'number' ? String(request.id) : undefined),
  };
}

export function outcomeOf(status: number): AccessOutcome {
  if (status >= 500) return 'failed';
  if (status >= 400) return 'refused';
  return 'ok';
}

function routePattern(request: Request): string {
  const route = (request as { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? route.path : request.path;
}

/** Nest applies @HttpCode after interceptors run: read the status the way Nest will send it. */
function successStatus(reflector: Reflector, context: ExecutionContext, method: string, response: Response): number {
  if (response.statusCode !== 200) return response.statusCode;
  return reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (method === 'POST' ? 201 : 200);
}

/** the status the error filter will answer with */
export function statusOf(error: unknown): number {
  if (error instanceof ApiError) return error.statusCode;
  if (error instanceof HttpException) return error.getStatus();
  if (error instanceof DomainError) return error.code === 'TEAM_FULL' || error.code === 'CONCURRENCY_CONFLICT' ? 409 : 422;
  if (error instanceof WrongExpectedRevisionError) return 409;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
