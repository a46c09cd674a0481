import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { EventStore } from '#app/event-store';
import { ProjectionRunner } from '#app/projections';
import { EVENT_STORE } from '../persistence/tokens.js';
import { DeciderStore } from './decider-store.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyStore } from './idempotency.store.js';

@Global()
@Module({
  providers: [
    {
      provide: DeciderStore,
      inject: [EVENT_STORE, ProjectionRunner],
      useFactory: (store: EventStore, runner: ProjectionRunner) => new DeciderStore(store, () => runner.poke()),
    },
    { provide: IdempotencyStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new IdempotencyStore(dataSource) },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [DeciderStore],
})
export class WritePathModule {}
