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
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';

/** The contract's error body, for the OpenAPI document. */
export class ErrorBodyResponse {
  @ApiProperty({ example: 422 }) statusCode: number;
  @ApiProperty({ example: 'STEP_OUT_OF_ORDER' }) code: string;
  @ApiProperty({ example: 'Long first talk cannot be booked yet: Understanding pain has not been booked.' }) message: string;
  @ApiProperty({ example: { missing: ['FORSTAA_SMERTE'] } }) details: Record<string, unknown>;
}

export const WRITE_HEADERS = {
  ETag: { description: 'revision of the stream written, in quotes; send it back as If-Match', schema: { type: 'string', example: '"3"' } },
  'X-Event-Position': { description: 'global position of the write; send as X-Min-Position to read your own write', schema: { type: 'string', example: '812-40' } },
};

/** the error responses every course read has */
export function ApiReadErrors(): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorBodyResponse, description: 'UNAUTHENTICATED' }),
    ApiForbiddenResponse({ type: ErrorBodyResponse, description: 'FORBIDDEN: the role may not read this' }),
    ApiNotFoundResponse({ type: ErrorBodyResponse, description: "NOT_FOUND: no such course (or clinician, room) in the caller's clinic" }),
  );
}

/** headers and error responses of a write; `refusals` lists the 422/409 codes the route can answer; `creates`: a new stream, no If-Match */
export function ApiWrite(refusals: { unprocessable?: string[]; conflict?: string[]; creates?: boolean } = {}): MethodDecorator {
  const ifMatch = refusals.creates
    ? []
    : [
        ApiHeader({ name: 'If-Match', required: false, description: 'the ETag last read: the write is refused with 412 if the record changed since' }),
        ApiPreconditionFailedResponse({ type: ErrorBodyResponse, description: 'PRECONDITION_FAILED: If-Match does not match the current revision' }),
      ];
  return applyDecorators(
    ApiBearerAuth(),
    ...ifMatch,
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key and body returns the first response and writes nothing new' }),
    ApiBadRequestResponse({ type: ErrorBodyResponse, description: 'VALIDATION_FAILED (details.fields lists each field), INVALID_IF_MATCH' }),
    ApiUnauthorizedResponse({ type: ErrorBodyResponse, description: 'UNAUTHENTICATED' }),
    ApiForbiddenResponse({ type: ErrorBodyResponse, description: 'FORBIDDEN: the role may not do this (auditors only read)' }),
    ApiNotFoundResponse({ type: ErrorBodyResponse, description: "NOT_FOUND: no such course (or clinician, room) in the caller's clinic" }),
    ApiConflictResponse({ type: ErrorBodyResponse, description: ['CONCURRENCY_CONFLICT', ...(refusals.conflict ?? [])].join(', ') }),
    ApiUnprocessableEntityResponse({
      type: ErrorBodyResponse,
      description: ['IDEMPOTENCY_KEY_REUSED', 'COURSE_ENDED', 'CPR_IN_TEXT', 'ON_BEHALF_OF_NOT_A_CLINICIAN', ...(refusals.unprocessable ?? [])].join(', '),
    }),
  );
}
