import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { redactCprNumbers } from '#app/domain';
import { ApiError } from '../../platform/http/api-error.js';
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
    const described = describe(exception);
    const { status, code, extra } = described;
    // never a CPR number said back (FHIR search values are typed by integrators)
    const message = redactCprNumbers(described.message);
    const diagnostics = described.diagnostics === undefined ? undefined : redactCprNumbers(described.diagnostics);
    if (status >= 500)
      this.logger.error(
        { err: exception instanceof Error ? { name: exception.name, stack: exception.stack } : String(exception) },
        'unhandled FHIR error',
      );
    if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response
      .status(status)
      .type(FHIR_JSON)
      .send(JSON.stringify(operationOutcome(status, code, message, diagnostics, extra)));
  }
}

export interface Issue {
  readonly severity: 'fatal' | 'error' | 'warning' | 'information';
  readonly code: string;
  readonly details?: { readonly coding?: ReadonlyArray<{ readonly system: string; readonly code: string }>; readonly text: string };
  readonly diagnostics?: string;
}

/**
 * The OperationOutcome of an error: the first issue carries the contract's stable code and sentence; then
 * one issue per failed criterion (NOT_ELIGIBLE, COMPETENCE_MISSING …), per clash (SCHEDULE_CLASH) and per
 * unsupported or invalid parameter, so an integrator sees every reason, as the REST API lists them.
 */
export function operationOutcome(status: number, code: string, message: string, diagnostics?: string, extra: readonly Issue[] = []) {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: status >= 500 ? 'fatal' : 'error',
        code: ISSUE_CODE[status] ?? (status >= 500 ? 'exception' : 'processing'),
        details: { coding: [{ system: IDENTIFIER_SYSTEM.errorCode, code }], text: message },
        ...(diagnostics ? { diagnostics } : {}),
      },
      ...extra,
    ],
  };
}

/** the issues behind an ApiError's details */
export function detailIssues(code: string, details: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  const fields = details.fields as Array<{ field: string; problems: string[] }> | undefined;
  // an unsupported parameter each (a malformed one is already named in the first issue's diagnostics)
  for (const f of code === 'UNSUPPORTED_SEARCH_PARAMETER' && Array.isArray(fields) ? fields.slice(0, 50) : []) {
    issues.push({ severity: 'error', code: 'not-supported', diagnostics: `${f.field}: ${f.problems.join('; ')}`.slice(0, 1000) });
  }
  const failures = details.failures as Array<{ code: string; reason?: string; message?: string } | null> | undefined;
  for (const f of Array.isArray(failures) ? failures.slice(0, 50) : []) {
    if (!f || typeof f.code !== 'string') continue;
    issues.push({
      severity: 'error',
      code: 'business-rule',
      details: {
        coding: [{ system: IDENTIFIER_SYSTEM.criterion, code: f.code }],
        text: (f.reason ?? f.message ?? f.code).slice(0, 1000),
      },
    });
  }
  const clashes = details.clashes as Array<{ resource: string; resourceId?: string; start: string; end: string }> | undefined;
  for (const c of Array.isArray(clashes) ? clashes.slice(0, 50) : []) {
    issues.push({
      severity: 'error',
      code: 'conflict',
      diagnostics: `the ${c.resource}${c.resourceId ? ` ${c.resourceId}` : ''} is busy from ${c.start} to ${c.end}`,
    });
  }
  return issues;
}

function describe(exception: unknown): { status: number; code: string; message: string; diagnostics?: string; extra?: Issue[] } {
  if (exception instanceof ApiError) {
    const fields = (exception.details as { fields?: Array<{ field: string; problems: string[] }> }).fields;
    return {
      status: exception.statusCode,
      code: exception.code,
      message: exception.message,
      extra: detailIssues(exception.code, exception.details),
      ...(fields
        ? {
            diagnostics: fields
              .map((f) => `${f.field}: ${f.problems.join('; ')}`)
              .join(' | ')
              .slice(0, 2000),
          }
        : {}),
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return {
      status,
      code: status === 404 ? 'NOT_FOUND' : status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST',
      message: status >= 500 ? 'Something went wrong on our side.' : exception.message,
    };
  }
  if (exception instanceof URIError)
    return { status: 400, code: 'MALFORMED_URL', message: 'The address contains an invalid character encoding.' };
  return { status: 500, code: 'INTERNAL_ERROR', message: 'Something went wrong on our side; nothing was changed. Please try again.' };
}
