import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppConfig } from '../config/app-config.js';
import { ROLES, type Actor, type Role } from './actor.js';
import { Clock } from '../clock/clock.js';

/** A refused token, with a stable reason (details.reason of the 401) and a sentence for the caller. */
export class InvalidTokenError extends Error {
  constructor(
    message: string,
    readonly reason = 'TOKEN_INVALID',
  ) {
    super(message);
  }
}

/** leeway for clocks that disagree a little between the identity provider and us */
const CLOCK_TOLERANCE_S = 60;

/**
 * Verifies bearer tokens: JWKS (production, OIDC issuer) or HS256 with a shared secret (development, tests).
 * Every token must carry `exp`; it may be valid for at most AUTH_TOKEN_MAX_LIFETIME_MINUTES (default 12 h),
 * judged both from its `iat` (exp − iat) and from now (exp − now), so a token without `iat` cannot live longer
 * either. When AUTH_ISSUER / AUTH_AUDIENCE are set (required in production, whatever the key type), `iss` and
 * `aud` must match them.
 */
@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    if (config.AUTH_JWKS_URL) {
      this.key = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL));
      this.algorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'];
    } else {
      this.key = new TextEncoder().encode(config.jwtSecret);
      this.algorithms = ['HS256'];
    }
  }

  async verify(token: string): Promise<Actor> {
    const now = this.clock.now();
    const nowMs = now.getTime();
    let payload: JWTPayload;
    try {
      const options = {
        algorithms: this.algorithms,
        issuer: this.config.AUTH_ISSUER,
        audience: this.config.AUTH_AUDIENCE,
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: now,
      };
      payload =
        typeof this.key === 'function'
          ? (await jwtVerify(token, this.key, options)).payload
          : (await jwtVerify(token, this.key, options)).payload;
    } catch (error) {
      throw refusal(error);
    }
    checkLifetime(payload, nowMs, this.config.AUTH_TOKEN_MAX_LIFETIME_MINUTES);
    return toActor(payload);
  }
}

function refusal(error: unknown): InvalidTokenError {
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'exp' && error.reason === 'missing')
      return new InvalidTokenError(
        'The access token has no expiry time (exp); please sign in again to get one that has.',
        'TOKEN_EXPIRY_MISSING',
      );
    if (error.claim === 'iss' || error.claim === 'aud') {
      return new InvalidTokenError(
        'The access token was not issued for this service; please sign in again.',
        error.claim === 'iss' ? 'TOKEN_ISSUER' : 'TOKEN_AUDIENCE',
      );
    }
    if (error.claim === 'nbf' || error.claim === 'iat')
      return new InvalidTokenError('The access token is not valid yet; check the clock and try again.', 'TOKEN_NOT_YET_VALID');
  }
  if (error instanceof errors.JWTExpired)
    return new InvalidTokenError('The access token has expired; please sign in again.', 'TOKEN_EXPIRED');
  return new InvalidTokenError('The access token is invalid or has expired.', 'TOKEN_INVALID');
}

function checkLifetime(payload: JWTPayload, nowMs: number, maxMinutes: number): void {
  const exp = payload.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new InvalidTokenError(
      'The access token has no expiry time (exp); please sign in again to get one that has.',
      'TOKEN_EXPIRY_MISSING',
    );
  }
  const maxS = maxMinutes * 60;
  const iat = payload.iat;
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat)))
    throw new InvalidTokenError('The access token is invalid or has expired.', 'TOKEN_INVALID');
  const tooLong = (typeof iat === 'number' && exp - iat > maxS) || exp - nowMs / 1000 > maxS + CLOCK_TOLERANCE_S;
  if (tooLong) {
    throw new InvalidTokenError(
      `The access token is valid for longer than the ${formatLifetime(maxMinutes)} this service accepts; please sign in again to get a shorter one.`,
      'TOKEN_LIFETIME_TOO_LONG',
    );
  }
}

function formatLifetime(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`;
}

function toActor(payload: JWTPayload): Actor {
  const roles = Array.isArray(payload.roles)
    ? (payload.roles as unknown[]).filter((r): r is Role => (ROLES as readonly unknown[]).includes(r))
    : [];
  if (typeof payload.sub !== 'string' || payload.sub.length === 0)
    throw new InvalidTokenError('The access token names no user (sub).', 'TOKEN_SUBJECT_MISSING');
  if (typeof payload.clinicId !== 'string' || payload.clinicId.length === 0)
    throw new InvalidTokenError('The access token names no clinic (clinicId).', 'TOKEN_CLINIC_MISSING');
  return { staffId: payload.sub, roles, clinicId: payload.clinicId };
}
