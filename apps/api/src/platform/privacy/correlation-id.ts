import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { containsCprNumber } from '#app/domain';

/** what a correlation id may be: 1–128 letters, digits and `. _ : -` (a uuid, a trace id, `hostile-12`) */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function isAcceptableCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && CORRELATION_ID.test(value) && !containsCprNumber(value);
}

/**
 * Express middleware before everything that reads `X-Correlation-Id` (the request logger, the access log,
 * event metadata): a missing, too long, oddly written or CPR-looking id is replaced by a fresh uuid, so only
 * checked ids are ever logged or stored. The id in use is sent back as `X-Correlation-Id`.
 */
export function correlationIdCheck() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const sent = req.headers['x-correlation-id'];
    const id = isAcceptableCorrelationId(sent) ? sent : randomUUID();
    req.headers['x-correlation-id'] = id;
    res.setHeader('X-Correlation-Id', id);
    next();
  };
}
