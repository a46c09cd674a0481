import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError } from '../http/api-error.js';
import { IDENTIFIER_SYSTEM } from './fhir-ids.js';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

const ISSUE_CODE: Record<number, string> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  409: 'conflict',
  413: 'too-costly',
  422: 'processing',
  429: 'throttled',
  503: 'transient',
};

/**
 * Every error of a /fhir route as a FHIR OperationOutcome (application/fhir+json) with the right status:
 * the contract's stable code in `issue.details.coding`, its sentence in `details.text`, field problems
 * in `diagnostics`. Bound to the FHIR controller, so it also takes the auth guard's 401/403.
 */
@Catch()
export class OperationOutcomeFilter implements ExceptionFilter {
  private readonly logger = new Logger('Fhir');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, code, message, diagnostics } = describe(exception);
    if (status >= 500) this.logger.error({ err: exception instanceof Error ? { name: exception.name, stack: exception.stack } : String(exception) }, 'unhandled FHIR error');
    if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response
      .status(status)
      .type(FHIR_JSON)
      .send(
        JSON.stringify({
          resourceType: 'OperationOutcome',
          issue: [
            {
              severity: status >= 500 ? 'fatal' : 'error',
              code: ISSUE_CODE[status] ?? (status >= 500 ? 'exception' : 'processing'),
              details: { coding: [{ system: IDENTIFIER_SYSTEM.errorCode, code }], text: message },
              ...(diagnostics ? { diagnostics } : {}),
            },
          ],
        }),
      );
  }
}

function describe(exception: unknown): { status: number; code: string; message: string; diagnostics?: string } {
  if (exception instanceof ApiError) {
    const fields = (exception.details as { fields?: Array<{ field: string; problems: string[] }> }).fields;
    return {
      status: exception.statusCode,
      code: exception.code,
      message: exception.message,
      ...(fields ? { diagnostics: fields.map((f) => `${f.field}: ${f.problems.join('; ')}`).join(' | ').slice(0, 2000) } : {}),
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { status, code: status === 404 ? 'NOT_FOUND' : status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST', message: status >= 500 ? 'Something went wrong on our side.' : exception.message };
  }
  if (exception instanceof URIError) return { status: 400, code: 'MALFORMED_URL', message: 'The address contains an invalid character encoding.' };
  return { status: 500, code: 'INTERNAL_ERROR', message: 'Something went wrong on our side; nothing was changed. Please try again.' };
}
