import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module.js';
import { CatalogueModule } from './catalogue/catalogue.module.js';
import { AppConfig } from './config/app-config.js';
import { HealthController } from './health/health.controller.js';
import { MeController } from './me/me.controller.js';
import { PersistenceModule } from './persistence/persistence.module.js';
import type { Persistence } from './persistence/persistence.js';
import { loggerOptions } from './logging/logger-options.js';
import { ProjectionsModule } from './projections/projections.module.js';
import { WritePathModule } from './write-path/write-path.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, persistence: Persistence): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerOptions(config)),
        CqrsModule.forRoot(),
        PersistenceModule.forRoot(persistence),
        AuthModule,
        ProjectionsModule,
        WritePathModule,
        CatalogueModule,
      ],
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
      controllers: [HealthController, MeController],
    };
  }
}
