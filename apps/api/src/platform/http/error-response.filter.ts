import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '#app/domain';
import { WrongExpectedRevisionError } from '#app/event-store';
import { ApiError, fromDomainError } from './api-error.js';
import type { ErrorBody } from './error-body.js';
import { redactDeep } from '../privacy/redact.js';

const CODE_BY_STATUS: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', 'The request could not be read.'],
  401: ['UNAUTHENTICATED', 'Please sign in: the request carries no valid access token.'],
  403: ['FORBIDDEN', 'Your role does not allow this.'],
  404: ['NOT_FOUND', 'There is nothing at this address.'],
  405: ['METHOD_NOT_ALLOWED', 'This address does not accept that kind of request.'],
  413: ['PAYLOAD_TOO_LARGE', 'The request is too large.'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Send the request body as JSON.'],
  429: ['TOO_MANY_REQUESTS', 'Too many requests: please wait a moment and try again.'],
};

/** Turns every error into the contract's shape `{ statusCode, code, message, details }`. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    // an error never says a CPR number back, wherever it came from (a path segment, a query value, a field)
    const body = redactDeep(this.toBody(exception));
    const response = host.switchToHttp().getResponse<Response>();
    if (body.statusCode >= 500) {
      this.logger.error(
        { err: exception instanceof Error ? { name: exception.name, stack: exception.stack } : String(exception) },
        'unhandled error',
      );
    }
    // explicit: a route may have set another type (text/calendar) before it failed
    response.status(body.statusCode).type('application/json').json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof ApiError) return this.apiBody(exception);
    if (exception instanceof DomainError) return this.apiBody(fromDomainError(exception));
    if (exception instanceof WrongExpectedRevisionError) {
      return this.apiBody(
        new ApiError(409, 'CONCURRENCY_CONFLICT', 'Someone else changed this record at the same time. Reload it and try again.', {
          streamId: exception.streamId,
        }),
      );
    }
    const parserError = bodyParserError(exception instanceof HttpException ? exception.cause : exception);
    if (parserError) return parserError;
    if (exception instanceof HttpException) return this.httpBody(exception);
    return {
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on our side; nothing was changed. Please try again.',
      details: {},
    };
  }

  private apiBody(error: ApiError): ErrorBody {
    return { statusCode: error.statusCode, code: error.code, message: error.message, details: error.details };
  }

  private httpBody(exception: HttpException): ErrorBody {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'object' && 'code' in response) {
      return response as ErrorBody;
    }
    const [code, message] = CODE_BY_STATUS[status] ?? [status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST', exception.message];
    return { statusCode: status, code, message, details: {} };
  }
}

/** express/body-parser errors carry `type` and `status`; they are bad input, never a 500. */
function bodyParserError(exception: unknown): ErrorBody | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { type, status } = exception as { type?: string; status?: number };
  if (exception instanceof URIError) {
    return { statusCode: 400, code: 'MALFORMED_URL', message: 'The address contains an invalid character encoding.', details: {} };
  }
  if (type === 'entity.parse.failed') {
    return { statusCode: 400, code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.', details: {} };
  }
  if (type === 'entity.too.large') return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: CODE_BY_STATUS[413][1], details: {} };
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const [code, message] = CODE_BY_STATUS[status] ?? ['BAD_REQUEST', 'The request could not be read.'];
    return { statusCode: status, code, message, details: {} };
  }
  return undefined;
}
