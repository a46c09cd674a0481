import type { OpenAPIObject } from '@nestjs/swagger';
import { COURSE_READ_EXTENSION } from './course-read-policy.js';
import { PUBLIC_EXTENSION } from '../auth/roles.decorator.js';

type Responses = Partial<Record<string, { description?: string; content?: unknown }>>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const CPR_NOTE = 'CPR_IN_TEXT: a CPR number in a field of the body (or in Idempotency-Key / X-On-Behalf-Of); nothing is saved';

/**
 * The privacy guards answer on every route they cover, whatever the route's own decorators say: 401 and 403 on
 * every route that takes a token (AuthGuard, the role rule), 422 CPR_IN_TEXT on every route with a body
 * (CprInTextGuard), 403/404 on every course route (CourseReadPolicy). This adds what a route does not document
 * yet, in the shape its other errors have (the contract's error, or a FHIR OperationOutcome), so the document
 * stays true to what these guards answer.
 */
export function documentPrivacyRefusals(document: OpenAPIObject): void {
  const errorRef = document.components?.schemas?.ErrorResponse
    ? { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } }
    : undefined;
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = (path as Record<string, unknown>)[method] as
        ({ responses?: Responses; requestBody?: unknown } & Record<string, unknown>) | undefined;
      if (!op) continue;
      const responses = (op.responses ??= {});
      // the content of the route's own client errors (a FHIR route answers OperationOutcomes)
      const sample = Object.entries(responses).find(([status, r]) => /^4\d\d$/.test(status) && r?.content)?.[1]?.content ?? errorRef;
      const ensure = (status: string, description: string) => {
        if (!responses[status]) responses[status] = { description, ...(sample ? { content: sample } : {}) };
      };
      if (op[PUBLIC_EXTENSION] !== true) {
        ensure('401', 'UNAUTHENTICATED: no access token, or one that is invalid, expired, without exp or valid too long (details.reason)');
        ensure('403', 'FORBIDDEN: your role may not do this (the route names its roles in x-roles)');
      }
      if (op[COURSE_READ_EXTENSION]) {
        ensure('403', "FORBIDDEN: you may not read this patient's course (README: who may read a course)");
        ensure('404', 'NOT_FOUND: no such course in your clinic');
      }
      if (op.requestBody || method !== 'get') {
        const existing = responses['422'];
        if (!existing) ensure('422', CPR_NOTE);
        else if (!(existing.description ?? '').includes('CPR_IN_TEXT'))
          existing.description = `${existing.description ? `${existing.description}; ` : ''}${CPR_NOTE}`;
      }
    }
  }
}
