import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard.js';
import { TokenVerifier } from './token-verifier.js';
import { CprInTextGuard } from '../privacy/cpr-in-text.guard.js';

@Module({
  providers: [
    TokenVerifier,
    // in this order: who is calling and may they (401/403), then no CPR number in the body (422 CPR_IN_TEXT)
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: CprInTextGuard },
  ],
  exports: [TokenVerifier],
})
export class AuthModule {}
