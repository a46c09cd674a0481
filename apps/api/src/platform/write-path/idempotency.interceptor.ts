import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, Observable, of, throwError } from 'rxjs';
import type { Actor } from '../auth/actor.js';
import { AppConfig } from '../config/app-config.js';
import { ApiError } from '../http/api-error.js';
import { IdempotencyStore, requestHash, type StoredResponse } from './idempotency.store.js';
import { isTransientAnswer } from './write-retry.js';
import { stopwatch } from '../clock/stopwatch.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;
const REPLAYED_HEADERS = ['etag', 'x-event-position', 'location'];
/**
 * Responses worth replaying: successes and business refusals. Not auth, rate or server errors, and not a
 * write that lost its races (409 CONCURRENCY_CONFLICT, write-retry.ts): a retry with the key runs again.
 */
const storable = (status: number, code: string | undefined) => !isTransientAnswer(status, code) && ![401, 403, 408, 429].includes(status);
/** a claim older than this belongs to a process that died mid-request, and a retry takes it over */
const CLAIM_LEASE_MS = 15_000;
/** how long an identical request waits for the first one's answer */
const WAIT_FOR_TWIN_MS = 20_000;
const TWIN_POLL_MS = 50;

/** `Idempotency-Key` on writes, with the contract's semantics (see IdempotencyStore). */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(IdempotencyStore) private readonly store: IdempotencyStore,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { actor?: Actor }>();
    const response = http.getResponse<Response>();
    const key = request.headers['idempotency-key'];
    if (!WRITE_METHODS.has(request.method) || typeof key !== 'string' || !request.actor) return next.handle();
    if (!KEY_PATTERN.test(key)) {
      return throwError(
        () =>
          new ApiError(
            400,
            'INVALID_IDEMPOTENCY_KEY',
            'The Idempotency-Key header must be 8–128 letters, digits or . _ : -, for example a UUID.',
          ),
      );
    }
    const callerId = `${request.actor.clinicId}/${request.actor.staffId}`;
    const hash = requestHash(this.config.requestHashKey, request.method, request.path, request.body);
    return from(this.awaitTurn(callerId, key, hash)).pipe(
      mergeMap((stored) => {
        if (stored) return of(this.replay(stored, hash, response));
        return next.handle().pipe(
          mergeMap((body) => {
            const status = this.successStatus(context, request.method, response);
            return from(this.remember(callerId, key, hash, status, body, response)).pipe(mergeMap(() => of(body)));
          }),
          catchError((error: unknown) => {
            // anything but an ApiError (a lost race that escaped as WrongExpectedRevisionError, a bug) is not replayed
            const status = error instanceof ApiError ? error.statusCode : 500;
            const body =
              error instanceof ApiError
                ? { statusCode: error.statusCode, code: error.code, message: error.message, details: error.details }
                : null;
            return from(this.remember(callerId, key, hash, status, body, response)).pipe(mergeMap(() => throwError(() => error)));
          }),
        );
      }),
    );
  }

  /**
   * Claims the key, or waits while an identical request holds it and returns that request's stored
   * answer; undefined when this request is to run.
   */
  private async awaitTurn(callerId: string, key: string, hash: string): Promise<StoredResponse | undefined> {
    // real waiting (polls on Node's timers): a monotonic stopwatch, not the Clock a test may have stopped
    const waited = stopwatch();
    for (;;) {
      const claim = await this.store.claim(callerId, key, hash, CLAIM_LEASE_MS);
      if (claim.kind === 'claimed') return undefined;
      if (claim.kind === 'done') {
        // a transient answer stored before this rule existed is dropped, and this request runs again
        if (!storable(claim.stored.statusCode, storedCode(claim.stored))) {
          await this.store.forget(callerId, key, claim.stored.statusCode);
          continue;
        }
        return claim.stored;
      }
      if (claim.requestHash !== hash) return { requestHash: claim.requestHash, statusCode: 0, body: null, headers: {} };
      if (waited() > WAIT_FOR_TWIN_MS) {
        throw new ApiError(409, 'REQUEST_IN_PROGRESS', 'The same request is still being processed. Please try again in a moment.');
      }
      await new Promise((resolve) => setTimeout(resolve, TWIN_POLL_MS));
    }
  }

  /** Nest applies the route's status after interceptors run: read it the way Nest will. */
  private successStatus(context: ExecutionContext, method: string, response: Response): number {
    if (response.statusCode !== 200) return response.statusCode;
    return this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (method === 'POST' ? 201 : 200);
  }

  private replay(stored: StoredResponse, hash: string, response: Response): unknown {
    if (stored.requestHash !== hash) {
      throw new ApiError(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
      );
    }
    for (const [name, value] of Object.entries(stored.headers)) response.setHeader(name, value);
    response.setHeader('Idempotent-Replayed', 'true');
    if (stored.statusCode >= 400) {
      const body = stored.body as { code: string; message: string; details: Record<string, unknown> };
      throw new ApiError(stored.statusCode, body.code, body.message, body.details);
    }
    response.status(stored.statusCode);
    return stored.body;
  }

  private async remember(
    callerId: string,
    key: string,
    hash: string,
    statusCode: number,
    body: unknown,
    response: Response,
  ): Promise<void> {
    if (!storable(statusCode, (body as { code?: string } | null)?.code)) {
      await this.store.release(callerId, key);
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = response.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    await this.store.complete(callerId, key, { requestHash: hash, statusCode, body, headers });
  }
}

function storedCode(stored: StoredResponse): string | undefined {
  const code = (stored.body as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
