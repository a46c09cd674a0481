import { applyDecorators, Delete, Get, HttpCode, Patch, Post, Put, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { PatientData, type PatientDataOptions } from '../access-log/patient-data.decorator.js';
import type { Role } from '../auth/actor.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiErrors, ApiWrite, WRITE_HEADERS, type WriteRefusals } from './openapi.js';

type AnswerType = Type<unknown> | [Type<unknown>];
/** A success answer: the response class (or `[Class]`), or that with a description. */
export type Answer = AnswerType | { readonly type: AnswerType; readonly description?: string };

const ROUTE = { POST: Post, PUT: Put, PATCH: Patch, DELETE: Delete } as const;

export interface WriteEndpointOptions extends WriteRefusals {
  readonly method: keyof typeof ROUTE;
  /** the path under the controller's, e.g. `':id/referral'` (none: the controller's own path) */
  readonly path?: string;
  /** who may call it (an admin always may) */
  readonly roles: readonly Role[];
  /** the route reads or changes patient data: logged in the access log */
  readonly patientData?: PatientDataOptions;
  readonly summary: string;
  readonly description?: string;
  /** 200 with this body (the HTTP status is set to 200, also on a POST) */
  readonly ok?: Answer;
  /** 201 with this body (the HTTP status is set to 201) */
  readonly created?: Answer;
  /** 202 with this body: a status the handler sets itself (`res.status(202)`), besides `ok` or `created` */
  readonly accepted?: Answer;
}

/**
 * The decorator stack of a write route in one place: HTTP method and path, status, roles, patient-data
 * logging, summary, the write headers (If-Match unless `creates`, Idempotency-Key), every error a write can
 * answer plus the route's own refusals, and the success answer(s) with the ETag / X-Event-Position headers.
 *
 * ```ts
 * @WriteEndpoint({
 *   method: 'POST',
 *   path: ':id/referral',
 *   roles: ['secretary'],
 *   patientData: { use: 'write', courseParam: 'id' },
 *   summary: 'Supplement a referral on hold with what the referrer sent',
 *   unprocessable: ['REFERRAL_NOT_ON_HOLD', 'NOTHING_ADDED'],
 *   ok: { type: CourseResponse, description: 'the course after the change' },
 * })
 * @ApiParam({ name: 'id', description: 'course id (uuid)' })
 * async supplement(@Param('id') id: string, @Body() body: SupplementReferralRequest, @Write() ctx: WriteContext, …)
 * ```
 *
 * It documents the bearer token, so the controller needs no `@ApiBearerAuth()` (OpenAPI would list it twice).
 * Route parameters (`@ApiParam`, `@ApiQuery`) stay beside it. A response that replaces one WriteEndpoint
 * documents for the same status (`@ApiScheduleClash` for 409) goes ABOVE `@WriteEndpoint`: decorators
 * apply from the bottom up, and the last one applied for a status wins.
 */
export function WriteEndpoint(options: WriteEndpointOptions): MethodDecorator {
  const { method, path, roles, patientData, summary, description, ok, created, accepted, ...refusals } = options;
  const status = ok !== undefined ? 200 : created !== undefined ? 201 : undefined;
  if (status === undefined) throw new Error(`WriteEndpoint ${method} ${path ?? ''}: give the success answer (ok or created)`);
  return applyDecorators(
    ROUTE[method](path),
    HttpCode(status),
    Roles(...roles),
    ...(patientData ? [PatientData(patientData)] : []),
    ApiOperation({ summary, ...(description !== undefined ? { description } : {}) }),
    ApiWrite(refusals),
    ...answer(200, ok, WRITE_HEADERS),
    ...answer(201, created, WRITE_HEADERS),
    ...answer(202, accepted, WRITE_HEADERS),
  );
}

export interface ReadEndpointOptions {
  /** the path under the controller's (none: the controller's own path) */
  readonly path?: string;
  readonly roles: readonly Role[];
  readonly patientData?: PatientDataOptions;
  readonly summary: string;
  readonly description?: string;
  /** 200 with this body */
  readonly ok: Answer;
  /** the read is from a read model: document X-Min-Position (read your own write) */
  readonly minPosition?: boolean;
  /** the route's own error statuses (documented with the generic descriptions of `ApiErrors`) */
  readonly errors?: readonly number[];
}

/**
 * The decorator stack of a read route: GET and path, roles (and the bearer token), patient-data logging, summary, X-Min-Position
 * when it reads a read model, the 200 answer and the route's errors.
 *
 * ```ts
 * @ReadEndpoint({ roles: ['secretary', 'clinician', 'auditor'], summary: "The clinic's rooms", ok: [RoomResponse], minPosition: true, errors: [400, 401] })
 * async list(@CurrentActor() actor: Actor): Promise<RoomResponse[]>
 * ```
 */
export function ReadEndpoint(options: ReadEndpointOptions): MethodDecorator {
  const { path, roles, patientData, summary, description, ok, minPosition, errors } = options;
  return applyDecorators(
    Get(path),
    Roles(...roles),
    ApiBearerAuth(),
    ...(patientData ? [PatientData(patientData)] : []),
    ApiOperation({ summary, ...(description !== undefined ? { description } : {}) }),
    ...(minPosition
      ? [ApiHeader({ name: 'X-Min-Position', required: false, description: 'wait until the read model has applied this position' })]
      : []),
    ...answer(200, ok),
    ...(errors && errors.length > 0 ? [ApiErrors(...errors)] : []),
  );
}

function answer(status: number, given: Answer | undefined, headers?: typeof WRITE_HEADERS): MethodDecorator[] {
  if (given === undefined) return [];
  const { type, description } = Array.isArray(given) || typeof given === 'function' ? { type: given, description: undefined } : given;
  return [ApiResponse({ status, type, ...(description !== undefined ? { description } : {}), ...(headers ? { headers } : {}) })];
}
