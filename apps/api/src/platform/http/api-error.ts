import { DomainError } from '#app/domain';

/** An error the API answers with: a status, a stable code and a sentence a secretary can read. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  static notFound(what: string, id: string): ApiError {
    return new ApiError(404, 'NOT_FOUND', `No ${what} with id ${id} was found.`, { what, id });
  }
}

/** HTTP status for each stable domain code; anything unlisted is a 422 business refusal. */
const STATUS_BY_DOMAIN_CODE: Record<string, number> = {
  TEAM_FULL: 409,
  CONCURRENCY_CONFLICT: 409,
  ALREADY_ON_TEAM: 409,
  ALREADY_EXISTS: 409,
  NOT_FOUND: 404,
};

export function fromDomainError(error: DomainError): ApiError {
  const status = STATUS_BY_DOMAIN_CODE[error.code] ?? 422;
  const details: Record<string, unknown> = { ...error.details };
  if (error.failures.length > 0) details.failures = error.failures;
  return new ApiError(status, error.code, error.message, details);
}
