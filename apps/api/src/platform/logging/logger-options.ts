import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config.js';
import { isAcceptableCorrelationId } from '../privacy/correlation-id.js';
import { redactUrl } from '../privacy/redact.js';

/**
 * Structured JSON logs (pino). Request bodies are never logged (they may hold patient facts or a CPR
 * number); the Authorization header and feed tokens are redacted, and so is any CPR number in the URL.
 */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      // checked (and replaced when bad) by correlationIdCheck before this runs; checked again here all the same
      genReqId: (req) => {
        const sent = req.headers['x-correlation-id'];
        return isAcceptableCorrelationId(sent) ? sent : randomUUID();
      },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.query.token'], censor: '[redacted]' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactTokenInUrl(req.url) }),
      },
      customProps: () => ({ service: 'group-course-api' }),
    },
  };
}

/** feed tokens and CPR numbers (a path segment or query value that is one) never reach the log */
function redactTokenInUrl(url: string): string {
  return redactUrl(url.replace(/([?&]token=)[^&]*/g, '$1[redacted]'));
}
