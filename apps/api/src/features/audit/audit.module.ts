import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CoursesModule } from '../courses/index.js';
import { AuditController } from './audit.controller.js';
import { AuditorReadOnlyInterceptor } from './auditor-read-only.interceptor.js';
import { CourseTimeline } from './course-timeline.service.js';

/**
 * Audit replay: GET /courses/{id}/history, /courses/{id}/diff, /teams/{id}/history. It reads courses (their
 * reader and as-of view, which GET /courses/{id}?asOf= shows too); nothing imports the audit feature back.
 * Its read model (audit-index.v1) is listed in read-models.ts.
 */
@Module({
  imports: [CoursesModule],
  providers: [CourseTimeline, { provide: APP_INTERCEPTOR, useClass: AuditorReadOnlyInterceptor }],
  controllers: [AuditController],
})
export class AuditModule {}
