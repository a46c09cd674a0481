import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { containsCprNumber, redactCprNumbers } from '#app/domain';
import { ApiError } from '../http/api-error.js';

export const CPR_FIELDS_KEY = 'privacy:cpr-fields';

/**
 * The one exemption from the CPR guard: the top-level fields of this route's JSON body that are meant to
 * hold a CPR number (POST /referrals: `cpr`, validated by the CPR office's rules, looked up by keyed hash,
 * stored encrypted in the protected patient table and never in an event). Only a string value of exactly
 * that top-level field is exempt; the same number anywhere else in the body is refused.
 */
export const CprField = (...fields: string[]) => SetMetadata(CPR_FIELDS_KEY, fields);

const MAX_NODES = 100_000;
/** request headers whose values are kept (event metadata, idempotency records) */
const STORED_HEADERS = ['Idempotency-Key', 'X-On-Behalf-Of'] as const;

/**
 * Refuses, with `422 CPR_IN_TEXT`, any request whose JSON body holds a CPR number in a string or an object
 * key, at any depth, or whose Idempotency-Key or X-On-Behalf-Of header holds one (both are stored with the change) (free-text reasons, notes, names, labels, a whole catalogue), except the route's
 * @CprField. A global guard after authentication (AuthGuard): it runs before every interceptor and pipe, so
 * a refusal writes nothing (no event, no idempotency record) and answers the same on every route.
 * Detection is libs/domain's `containsCprNumber` (ten digits standing alone that form a real date by the
 * CPR office's rules, with or without the dash), the same the course decider applies to its commands.
 */
@Injectable()
export class CprInTextGuard implements CanActivate {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    // headers a write stores in its events' metadata and the idempotency table
    for (const header of STORED_HEADERS) {
      const value = request.headers[header.toLowerCase()];
      if ((Array.isArray(value) ? value : [value]).some((v) => typeof v === 'string' && containsCprNumber(v))) {
        throw new ApiError(
          422,
          'CPR_IN_TEXT',
          `The ${header} header contains a CPR number. It is stored with the change, so it must not hold one; please send another value. Nothing was saved.`,
          { header },
        );
      }
    }
    const body: unknown = request.body;
    if (body === undefined || body === null) return true;
    const exempt = new Set(this.reflector.get<string[] | undefined>(CPR_FIELDS_KEY, context.getHandler()) ?? []);
    const field = firstCprField(body, exempt);
    if (field !== undefined) {
      throw new ApiError(
        422,
        'CPR_IN_TEXT',
        `The field ${field} contains a CPR number. A CPR number may be given only where a referral asks for it; please remove it and refer to the patient by the course instead. Nothing was saved.`,
        { field },
      );
    }
    return true;
  }
}

/** the path of the first string or key holding a CPR number (the path itself redacted), or undefined */
export function firstCprField(body: unknown, exemptTopLevel: ReadonlySet<string> = new Set()): string | undefined {
  const stack: Array<{ value: unknown; path: string; top: boolean }> = [{ value: body, path: '', top: true }];
  let seen = 0;
  for (let next = stack.pop(); next !== undefined && seen++ < MAX_NODES; next = stack.pop()) {
    const { value, path, top } = next;
    if (typeof value === 'string') {
      if (containsCprNumber(value)) return path || '(body)';
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]`, top: false });
      continue;
    }
    const entries = Object.entries(value as Record<string, unknown>).reverse();
    for (const [key, child] of entries) {
      const field = path ? `${path}.${redactCprNumbers(key)}` : redactCprNumbers(key);
      if (containsCprNumber(key)) return field;
      if (top && exemptTopLevel.has(key) && typeof child === 'string') continue;
      stack.push({ value: child, path: field, top: false });
    }
  }
  return undefined;
}
