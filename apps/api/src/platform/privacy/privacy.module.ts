import { Global, Module } from '@nestjs/common';
import { CourseReadInterceptor, CourseReadPolicy } from './course-read-policy.js';

/**
 * Who may read a course (CourseReadPolicy, used through @CourseRead on every course route). The other
 * privacy guards are app-wide: CprInTextGuard (AuthModule, after AuthGuard), correlationIdCheck (create-app.ts),
 * CPR redaction in errors (ErrorResponseFilter), logs (logger-options.ts) and the access log.
 */
@Global()
@Module({
  providers: [CourseReadPolicy, CourseReadInterceptor],
  exports: [CourseReadPolicy, CourseReadInterceptor],
})
export class PrivacyModule {}
