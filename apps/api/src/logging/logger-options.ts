import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config.js';

/**
 * Structured JSON logs (pino). Request bodies are never logged (they may hold patient facts or a CPR
 * number); the Authorization header and feed tokens are redacted.
 */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      genReqId: (req) => (req.headers['x-correlation-id'] as string | undefined) ?? randomUUID(),
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.query.token'], censor: '[redacted]' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactTokenInUrl(req.url) }),
      },
      customProps: () => ({ service: 'group-course-api' }),
    },
  };
}

function redactTokenInUrl(url: string): string {
  return url.replace(/([?&]token=)[^&]*/g, '$1[redacted]');
}
