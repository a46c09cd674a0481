import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiPreconditionFailedResponse,
  ApiProperty,
  ApiResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';

/**
 * The OpenAPI side of the HTTP kit: the contract's error body and the decorators that document a route's
 * errors and write headers. `endpoint.ts` composes them into `WriteEndpoint` / `ReadEndpoint`; the answers
 * every route gives because of the shared plumbing (400, 401, 413, 429, 503 …) are added to the document in
 * one place by `openapi-answers.ts`, not here.
 */

/** The contract's error body, for the OpenAPI document (schema `ErrorResponse`). */
export class ErrorResponse {
  @ApiProperty({ example: 422 }) statusCode: number;
  @ApiProperty({ example: 'COMPETENCE_MISSING' }) code: string;
  @ApiProperty({ example: 'This clinician does not meet the rule for primary team therapist on Understanding pain.' }) message: string;
  @ApiProperty({
    example: { failures: [{ code: 'FS_PRIMARY_4_EARLIER_TEAMS', reason: 'The primary therapist … Recorded so far: 0 of 4.' }] },
    description: 'VALIDATION_FAILED: `fields` (each field and its problems); refusals: `failures` (every failed rule with a sentence)',
  })
  details: Record<string, unknown>;
}

/** The headers of every successful write: put them on its ok/created response (`WriteEndpoint` does). */
export const WRITE_HEADERS = {
  ETag: { description: 'revision of the stream written, in quotes; send it back as If-Match', schema: { type: 'string', example: '"3"' } },
  'X-Event-Position': {
    description: 'global position of the write; send as X-Min-Position to read your own write',
    schema: { type: 'string', example: '812-40' },
  },
};

const DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED (details.fields lists every unknown or bad field), INVALID_IF_MATCH, INVALID_IDEMPOTENCY_KEY',
  401: 'UNAUTHENTICATED: no or an invalid access token',
  403: 'FORBIDDEN: the role may not do this (e.g. an auditor writing)',
  404: 'NOT_FOUND: unknown id, or it belongs to another clinic',
  409: 'ALREADY_EXISTS / CONCURRENCY_CONFLICT / CATALOGUE_VERSION_CONFLICT',
  412: 'PRECONDITION_FAILED: If-Match does not name the current revision',
  422: 'A business rule refused the request (details.failures lists every failed rule); IDEMPOTENCY_KEY_REUSED; ON_BEHALF_OF_NOT_A_CLINICIAN (X-On-Behalf-Of names no clinician of your clinic)',
};

/** Documents the contract's error responses for the given statuses, with the generic descriptions. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponse })));
}

/** The usual errors of a write to one stream, with the generic descriptions. */
export const ApiWriteErrors = (...extra: number[]) => ApiErrors(400, 401, 403, 404, 412, 422, ...extra);

/** the error responses every course read has */
export function ApiReadErrors(): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorResponse, description: 'UNAUTHENTICATED' }),
    ApiForbiddenResponse({ type: ErrorResponse, description: 'FORBIDDEN: the role may not read this' }),
    ApiNotFoundResponse({ type: ErrorResponse, description: "NOT_FOUND: no such course (or clinician, room) in the caller's clinic" }),
  );
}

/** What a write route can refuse, beyond what every write can (see `ApiWrite`). */
export interface WriteRefusals {
  /** the route's own 422 codes */
  readonly unprocessable?: readonly string[];
  /** the route's own 409 codes (CONCURRENCY_CONFLICT is always listed) */
  readonly conflict?: readonly string[];
  /** a new stream: no If-Match header, no 412 */
  readonly creates?: boolean;
  /** the If-Match header's description, when the ETag is not the route's own record's (enrolment: the team's) */
  readonly ifMatch?: string;
}

/** headers and error responses of a write; `refusals` lists the 422/409 codes the route can answer; `creates`: a new stream, no If-Match */
export function ApiWrite(refusals: WriteRefusals = {}): MethodDecorator {
  const ifMatch = refusals.creates
    ? []
    : [
        ApiHeader({
          name: 'If-Match',
          required: false,
          description: refusals.ifMatch ?? 'the ETag last read: the write is refused with 412 if the record changed since',
        }),
        ApiPreconditionFailedResponse({
          type: ErrorResponse,
          description: 'PRECONDITION_FAILED: If-Match does not match the current revision',
        }),
      ];
  return applyDecorators(
    ApiBearerAuth(),
    ...ifMatch,
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'a retry with the same key and body returns the first response and writes nothing new',
    }),
    ApiBadRequestResponse({ type: ErrorResponse, description: 'VALIDATION_FAILED (details.fields lists each field), INVALID_IF_MATCH' }),
    ApiUnauthorizedResponse({ type: ErrorResponse, description: 'UNAUTHENTICATED' }),
    ApiForbiddenResponse({ type: ErrorResponse, description: 'FORBIDDEN: the role may not do this (auditors only read)' }),
    ApiNotFoundResponse({ type: ErrorResponse, description: "NOT_FOUND: no such course (or clinician, room) in the caller's clinic" }),
    ApiConflictResponse({ type: ErrorResponse, description: ['CONCURRENCY_CONFLICT', ...(refusals.conflict ?? [])].join(', ') }),
    ApiUnprocessableEntityResponse({
      type: ErrorResponse,
      description: [
        'IDEMPOTENCY_KEY_REUSED',
        'COURSE_ENDED',
        'CPR_IN_TEXT',
        'ON_BEHALF_OF_NOT_A_CLINICIAN',
        ...(refusals.unprocessable ?? []),
      ].join(', '),
    }),
  );
}
