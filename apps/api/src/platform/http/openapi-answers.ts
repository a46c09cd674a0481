import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_KEY, ROLES_KEY } from '../auth/roles.decorator.js';

/**
 * The answers every route can give because of the shared plumbing, added to the OpenAPI document in
 * one place instead of on each route (a route documents only what it decides itself):
 *
 * - 400: the input guard (NUL, lone surrogates, deep nesting, bad URL encoding), the validation pipe and
 *   the query/path checks run before any route: every operation can answer it.
 * - 401 on every route not marked @Public(); 403 on every route with @Roles() (the auth guard).
 * - 413 on every write (the JSON body limit, BODY_LIMIT_KB; a DELETE may carry a body too), and 422
 *   CPR_IN_TEXT (the central guard refusing a CPR number in any text of a body).
 * - 429 on every route (the rate limit, RATE_LIMIT_MAX).
 * - 503 READ_MODEL_BEHIND on every GET (X-Min-Position), and ACCESS_LOG_UNAVAILABLE on every route
 *   that touches patient data (x-patient-data).
 *
 * And every error answer is the contract's JSON error body (`application/json`, ApiErrorBody) whatever
 * the route's success media type: a .ics feed's 404 is JSON, not text/calendar. A route with its own
 * JSON dialect (FHIR, application/fhir+json) may answer any error in it too (its OperationOutcome filter),
 * except those the shared plumbing gives before the route, which are the contract's JSON body.
 */
export const ERROR_BODY_SCHEMA = 'ApiErrorBody';

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']);

interface RouteAccess {
  readonly isPublic: boolean;
  readonly hasRoles: boolean;
}

type ResponseObject = { description: string; content?: Record<string, { schema?: unknown }>; [key: string]: unknown };
type OperationObject = { operationId?: string; responses: Record<string, ResponseObject>; [key: string]: unknown };

export function documentSharedAnswers(app: INestApplication, document: OpenAPIObject): OpenAPIObject {
  const access = routeAccess(app);
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas[ERROR_BODY_SCHEMA] = {
    type: 'object',
    description: "The contract's error body: a stable code, a sentence a secretary can read, and details.",
    required: ['statusCode', 'code', 'message', 'details'],
    additionalProperties: false,
    properties: {
      statusCode: { type: 'integer', example: 404 },
      code: { type: 'string', example: 'NOT_FOUND', pattern: '^[A-Z][A-Z0-9_]*$' },
      message: { type: 'string', example: 'No course with id 7d3c… in your clinic.' },
      details: { type: 'object', additionalProperties: true, example: {} },
    },
  };
  const errorContent = { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_BODY_SCHEMA}` } } };

  for (const pathItem of Object.values(document.paths)) {
    for (const [method, value] of Object.entries(pathItem)) {
      if (!HTTP_METHODS.has(method) || !value || typeof value !== 'object') continue;
      const operation = value as OperationObject;
      const route = operation.operationId ? access.get(operation.operationId) : undefined;
      const add = (status: number, description: string) => {
        operation.responses[String(status)] ??= { description };
      };
      add(400, 'BAD_REQUEST, VALIDATION_FAILED, MALFORMED_URL: the request could not be read (checked before any route)');
      if (!route?.isPublic) add(401, 'UNAUTHENTICATED: no, an expired or an invalid access token');
      if (route?.hasRoles) add(403, 'FORBIDDEN: the role may not do this');
      if (WRITE_METHODS.has(method)) {
        add(413, 'PAYLOAD_TOO_LARGE: the JSON body is over the limit (BODY_LIMIT_KB)');
        add(422, 'CPR_IN_TEXT: a CPR number in a text of the body (the central guard); nothing was written');
      }
      add(429, 'TOO_MANY_REQUESTS: over the rate limit; see Retry-After');
      if (method === 'get') add(503, 'READ_MODEL_BEHIND: X-Min-Position was not reached in time; try again');
      if (operation['x-patient-data'])
        add(503, 'ACCESS_LOG_UNAVAILABLE: the access log cannot be written, so patient data is not shown or changed');

      // a route with its own JSON dialect (FHIR: application/fhir+json) answers its errors in it (OperationOutcome),
      // except the ones the shared plumbing gives before the route runs, which are the contract's JSON body
      const dialects = Object.entries(operation.responses)
        .filter(([status]) => /^2/.test(status))
        .flatMap(([, response]) => Object.keys(response.content ?? {}))
        .filter((mediaType) => mediaType !== 'application/json' && isJson(mediaType));
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^[45]/.test(status)) continue;
        // errors are JSON: drop a success media type (text/calendar) that Nest copied from @ApiProduces
        const content: NonNullable<ResponseObject['content']> = Object.fromEntries(
          Object.entries(response.content ?? {}).filter(([mediaType]) => isJson(mediaType)),
        );
        if (!('application/json' in content)) content['application/json'] = errorContent['application/json'];
        for (const dialect of dialects)
          content[dialect] ??= {
            schema: { type: 'object', description: "an error in the route's own format (FHIR: an OperationOutcome)" },
          };
        response.content = content;
      }
    }
  }
  return document;
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** @Public() and @Roles() of every route handler, by the operationId Nest's Swagger gives it (Controller_method). */
function routeAccess(app: INestApplication): Map<string, RouteAccess> {
  const byOperation = new Map<string, RouteAccess>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller || typeof controller !== 'function') continue;
      const classPublic = Reflect.getMetadata(PUBLIC_KEY, controller) === true;
      const classRoles = Reflect.getMetadata(ROLES_KEY, controller) !== undefined;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        if (name === 'constructor') continue;
        const handler: unknown = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
        if (typeof handler !== 'function') continue;
        const methodPublic: unknown = Reflect.getMetadata(PUBLIC_KEY, handler);
        const methodRoles: unknown = Reflect.getMetadata(ROLES_KEY, handler);
        byOperation.set(`${controller.name}_${name}`, {
          isPublic: methodPublic === true || (methodPublic === undefined && classPublic),
          hasRoles: methodRoles !== undefined || classRoles,
        });
      }
    }
  }
  return byOperation;
}
