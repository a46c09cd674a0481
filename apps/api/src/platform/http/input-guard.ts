import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error.js';

/** deeper JSON than any request of the API needs (a whole catalogue is ~10 levels) */
export const MAX_BODY_DEPTH = 32;

const NUL_IN_URL = /%00/i;
// eslint-disable-next-line no-control-regex -- NUL (and only NUL) is what PostgreSQL text and jsonb refuse; \p{Cc} would refuse tabs and newlines too
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Express middleware after the JSON body parser, before guards, pipes and handlers. It refuses, with a 400
 * in the contract's shape, input that no validator of a route is written to expect and that would
 * otherwise end as a 500 (or a 503 from the access log) deep inside:
 *  - a NUL character anywhere in the URL (`%00`): PostgreSQL text cannot hold it;
 *  - in the JSON body, a NUL character or a lone UTF-16 surrogate in any string or key (jsonb refuses both);
 *  - a body nested deeper than MAX_BODY_DEPTH (class-transformer recurses and overflows the stack);
 *  - `__proto__`, `constructor` or `prototype` keys (class-transformer drops them silently; refused like any
 *    other unexpected field).
 * The walk is iterative: no input can make it recurse.
 */
export function inputGuard() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (NUL_IN_URL.test(req.originalUrl)) {
      next(
        new ApiError(400, 'INVALID_CHARACTERS', 'The address contains a NUL character (%00), which is never valid here.', { where: 'url' }),
      );
      return;
    }
    const problem = bodyProblem(req.body);
    next(problem);
  };
}

function bodyProblem(body: unknown): ApiError | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 1 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return unstorable(path || '(body)');
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_BODY_DEPTH) {
      return new ApiError(400, 'BODY_TOO_DEEP', `The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`, {
        maxDepth: MAX_BODY_DEPTH,
        field: path || '(body)',
      });
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) {
        return new ApiError(400, 'VALIDATION_FAILED', `Some fields are missing or wrong: ${field}.`, {
          fields: [{ field, problems: [`property ${key} should not exist`] }],
        });
      }
      if (UNSTORABLE.test(key)) return unstorable(field);
      stack.push({ value: (value as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return undefined;
}

function unstorable(field: string): ApiError {
  return new ApiError(
    400,
    'INVALID_CHARACTERS',
    `The field ${field.slice(0, 200)} contains a character that cannot be stored (a NUL character or a broken Unicode surrogate pair).`,
    { field: field.slice(0, 200) },
  );
}
