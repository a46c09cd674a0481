import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { EventStore } from '#app/event-store';
import { ProjectionRunner } from '#app/projections';
import { EVENT_STORE } from '../persistence/tokens.js';
import { AppConfig } from '../config/app-config.js';
import { DeciderStore } from './decider-store.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyStore } from './idempotency.store.js';
import { DEFAULT_WRITE_RETRY } from './write-retry.js';

@Global()
@Module({
  providers: [
    {
      provide: DeciderStore,
      inject: [EVENT_STORE, ProjectionRunner, AppConfig],
      useFactory: (store: EventStore, runner: ProjectionRunner, config: AppConfig) =>
        new DeciderStore(store, () => runner.poke(), { ...DEFAULT_WRITE_RETRY, budgetMs: config.WRITE_RETRY_BUDGET_MS }),
    },
    { provide: IdempotencyStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new IdempotencyStore(dataSource) },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [DeciderStore],
})
export class WritePathModule {}
