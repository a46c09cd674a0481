import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

/** The contract's error shape, for the OpenAPI document. */
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

const DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED (details.fields lists every unknown or bad field), INVALID_IF_MATCH, INVALID_IDEMPOTENCY_KEY',
  401: 'UNAUTHENTICATED: no or an invalid access token',
  403: 'FORBIDDEN: the role may not do this (e.g. an auditor writing)',
  404: "NOT_FOUND: unknown id, or it belongs to another clinic",
  409: 'ALREADY_EXISTS / CONCURRENCY_CONFLICT / CATALOGUE_VERSION_CONFLICT',
  412: 'PRECONDITION_FAILED: If-Match does not name the current revision',
  422: 'A business rule refused the request (details.failures lists every failed rule); IDEMPOTENCY_KEY_REUSED; ON_BEHALF_OF_NOT_A_CLINICIAN (X-On-Behalf-Of names no clinician of your clinic)',
};

/** Documents the contract's error responses for the given statuses. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponse })));
}

/** The usual errors of a write to one stream. */
export const ApiWriteErrors = (...extra: number[]) => ApiErrors(400, 401, 403, 404, 412, 422, ...extra);
