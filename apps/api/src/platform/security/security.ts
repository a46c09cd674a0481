import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { AppConfig } from '../config/app-config.js';
import type { ErrorBody } from '../http/error-body.js';

/**
 * Express middleware in front of everything else (body parsing, guards, routes), so refusals are cheap
 * and carry the same headers as any other response:
 *  1. helmet's security headers on every response, errors included: a same-origin Content-Security-Policy
 *     (the Swagger UI at /docs satisfies it: its scripts are files), HSTS, nosniff, frame denial, no Referer;
 *     and no X-Powered-By;
 *  2. a rate limit of RATE_LIMIT_MAX requests per RATE_LIMIT_WINDOW_MS per client address (IPv6: per /56),
 *     across all routes, unknown ones and unauthenticated calls included; 429 TOO_MANY_REQUESTS in the
 *     contract's error shape with Retry-After and RateLimit headers. Off when RATE_LIMIT_MAX is 0 (the default
 *     under NODE_ENV=test). Counted in this process's memory: with several instances each counts its own.
 *     Behind a reverse proxy, `req.ip` is the proxy unless Express's "trust proxy" is set.
 *
 * (@nestjs/throttler 6.7 declares NestJS 12 peer support and works under Node ≥ 20.19, but it is CommonJS
 * requiring the ESM-only @nestjs/common, which Jest's ESM mode on Node 20 cannot load; express-rate-limit is
 * ESM, framework-free, and also limits requests that never reach a Nest route.)
 */
export function applySecurity(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.use(helmet({ frameguard: { action: 'deny' } }));
  if (config.rateLimitMax > 0) express.use(rateLimiter(config.rateLimitMax, config.RATE_LIMIT_WINDOW_MS));
}

function rateLimiter(limit: number, windowMs: number) {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req: Request, res: Response) => {
      // the window is express-rate-limit's, kept on its own (system) time: repeat the Retry-After it has just set
      const retryAfterHeader = Number(res.getHeader('Retry-After'));
      const retryAfterSeconds = Math.max(1, Number.isFinite(retryAfterHeader) ? retryAfterHeader : Math.ceil(windowMs / 1000));
      const body: ErrorBody = {
        statusCode: 429,
        code: 'TOO_MANY_REQUESTS',
        message: `Too many requests: please wait ${retryAfterSeconds} seconds and try again.`,
        details: { limit, windowSeconds: Math.round(windowMs / 1000), retryAfterSeconds },
      };
      res.status(429).json(body);
    },
  });
}
