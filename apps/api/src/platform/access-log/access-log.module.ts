import { Global, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AccessLogController } from './access-log.controller.js';
import { AccessLogDeniedMiddleware } from './access-log-denied.middleware.js';
import { AccessLogInterceptor } from './access-log.interceptor.js';
import { AccessLogRetention } from './access-log.retention.js';
import { AccessLogStore } from './access-log.store.js';
import { PatientRoutes } from './patient-routes.js';

/**
 * The access log of patient data (Danish health law: every look-up of a patient's data is logged):
 * routes marked @PatientData are logged by AccessLogInterceptor (global, outermost: import this module
 * before WritePathModule and ProjectionsModule), role refusals by AccessLogDeniedMiddleware; the
 * retention job purges what is older than ACCESS_LOG_RETENTION_MONTHS; GET /courses/{id}/access-log exports.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: AccessLogStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new AccessLogStore(dataSource) },
    PatientRoutes,
    AccessLogRetention,
    AccessLogDeniedMiddleware,
    { provide: APP_INTERCEPTOR, useClass: AccessLogInterceptor },
  ],
  controllers: [AccessLogController],
  exports: [AccessLogStore, PatientRoutes, AccessLogRetention],
})
export class AccessLogModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AccessLogDeniedMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
