import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import type { Role } from '../../apps/api/src/platform/auth/actor.js';
import { mintDevelopmentToken } from '../../apps/api/src/platform/auth/mint-token.js';
import { Clock, SystemClock } from '../../apps/api/src/platform/clock/clock.js';
import { loadConfig, type AppConfig } from '../../apps/api/src/platform/config/app-config.js';
import { createApp } from '../../apps/api/src/create-app.js';
import type { DatabaseTarget } from './database-targets.js';
import { watchConformance } from './openapi-conformance.js';
import { present } from './present.js';

export interface TestApp {
  readonly app: INestApplication;
  readonly config: AppConfig;
  /** the time the API reads: the one given to startTestApp, else the system clock */
  readonly clock: Clock;
  /** the Node http server to hand to supertest */
  readonly server: App;
  /** a token issued at the clock's now (so it is valid on a ManualClock set anywhere) */
  token(roles: Role[], sub?: string, clinicId?: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** the time the API reads; a ManualClock (manual-clock.ts) lets the test move it */
  readonly clock?: Clock;
}

/** The real API (same module, pipes, filters as production) on a fresh database of the target. */
export async function startTestApp(
  target: DatabaseTarget,
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const clock = options.clock ?? new SystemClock();
  const database = await target.open();
  const app = await createApp(config, { database, clock });
  await app.init();
  // every answer from here on is checked against the document the API serves (openapi-conformance.ts)
  const document = await request(app.getHttpServer()).get('/docs-json').expect(200);
  watchConformance(app.getHttpServer() as Server, document.text);
  return {
    app,
    config,
    clock,
    server: app.getHttpServer(),
    token: (roles, sub = 'S1', clinicId = 'smertecenter-syd') =>
      mintDevelopmentToken(present(config.jwtSecret), {
        sub,
        roles,
        clinicId,
        issuedAt: clock.now(),
        // within the configured maximum lifetime (12 h by default): 8 h, or less when the app allows less
        expiresIn: `${Math.min(480, config.AUTH_TOKEN_MAX_LIFETIME_MINUTES)}m`,
        ...(config.AUTH_ISSUER ? { issuer: config.AUTH_ISSUER } : {}),
        ...(config.AUTH_AUDIENCE ? { audience: config.AUTH_AUDIENCE } : {}),
      }),
    close: () => app.close(),
  };
}
