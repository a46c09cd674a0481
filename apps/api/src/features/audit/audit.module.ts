import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CoursesModule } from '../courses/courses.module.js';
import { AuditController } from './audit.controller.js';
import { AuditorReadOnlyInterceptor } from './auditor-read-only.interceptor.js';
import { CourseTimeline } from './course-timeline.service.js';

/**
 * Audit replay: GET /courses/{id}/history, /courses/{id}/diff, /teams/{id}/history, and CourseTimeline
 * (global: GET /courses/{id}?asOf= in CoursesController delegates to it). Its read model (audit-index.v1)
 * is listed in projections/all-projections.ts.
 */
@Global()
@Module({
  imports: [CoursesModule],
  providers: [CourseTimeline, { provide: APP_INTERCEPTOR, useClass: AuditorReadOnlyInterceptor }],
  controllers: [AuditController],
  exports: [CourseTimeline],
})
export class AuditModule {}
