import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ClinicResources } from './clinic-resources.js';
import { OnBehalfOfGuard } from './on-behalf-of.guard.js';

/**
 * Which clinic owns a clinician or room (global: appointments, microteams, teams and reads all ask), and
 * the guard that accepts `X-On-Behalf-Of` only for a registered clinician of the caller's clinic.
 * Registered after AuthModule, so its guard runs after the token is verified.
 */
@Global()
@Module({
  providers: [ClinicResources, { provide: APP_GUARD, useClass: OnBehalfOfGuard }],
  exports: [ClinicResources],
})
export class ClinicResourcesModule {}
