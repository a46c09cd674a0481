import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { Logger } from '@nestjs/common';
import type { EventStore, Leadership } from '#app/event-store';
import { type Projection, ProjectionRunner } from '#app/projections';
import { EVENT_STORE, LEADERSHIP } from '../persistence/tokens.js';
import { MinPositionInterceptor } from './min-position.interceptor.js';
import { ProjectionsLifecycle } from './projections.lifecycle.js';

/** Keeps the read models the composition root hands in (apps/api/src/read-models.ts) live. */
@Global()
@Module({})
export class ProjectionsModule {
  static forRoot(projections: () => Projection[]): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [
        {
          provide: ProjectionRunner,
          inject: [EVENT_STORE, DataSource, LEADERSHIP],
          useFactory: (source: EventStore, dataSource: DataSource, leadership: Leadership) => {
            const logger = new Logger('Projections');
            return new ProjectionRunner({
              source,
              dataSource,
              projections: projections(),
              leadership,
              logger: { log: (m) => logger.log(m), error: (m) => logger.error(m) },
            });
          },
        },
        ProjectionsLifecycle,
        { provide: APP_INTERCEPTOR, useClass: MinPositionInterceptor },
      ],
      exports: [ProjectionRunner],
    };
  }
}
