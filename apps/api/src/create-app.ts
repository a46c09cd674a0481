import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { OpenDatabase } from '#app/database';
import { AppModule } from './app.module.js';
import type { Clock } from './platform/clock/clock.js';
import type { AppConfig } from './platform/config/app-config.js';
import { answerClientErrors } from './platform/http/client-errors.js';
import { ErrorResponseFilter } from './platform/http/error-response.filter.js';
import { inputGuard } from './platform/http/input-guard.js';
import { documentSharedAnswers } from './platform/http/openapi-answers.js';
import { strictValidationPipe } from './platform/http/validation.pipe.js';
import { Persistence } from './platform/persistence/persistence.js';
import { applySecurity } from './platform/security/security.js';
import { correlationIdCheck } from './platform/privacy/correlation-id.js';
import { documentPrivacyRefusals } from './platform/privacy/openapi-refusals.js';

export interface CreateAppOptions {
  /** an already opened database (tests isolate themselves in a fresh schema or in-memory PGlite) */
  database?: OpenDatabase;
  /** the time the API reads: the system clock unless a test hands one it moves (test/support/manual-clock.ts) */
  clock?: Clock;
}

/** Builds the API exactly as production runs it; main.ts and the e2e tests both use this. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const persistence = await Persistence.open(config, options.database);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, persistence, options.clock), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.use(correlationIdCheck());
  applySecurity(app, config);
  app.useBodyParser('json', { limit: `${config.BODY_LIMIT_KB}kb`, type: ['application/json', 'application/fhir+json'] });
  app.use(inputGuard());
  answerClientErrors(app.getHttpServer());
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new ErrorResponseFilter());
  app.enableShutdownHooks();
  setUpDocs(app);
  return app;
}

function setUpDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Group course scheduling API')
    .setDescription('Event-sourced scheduling of group teams and individual consultations (see README).')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  documentPrivacyRefusals(document);
  // the answers of the shared plumbing (400, 401/403, 413, 422, 429, 503, JSON errors) in one place
  documentSharedAnswers(app, document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
