import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppConfig } from '../config/app-config.js';
import { ROLES, type Actor, type Role } from './actor.js';

export class InvalidTokenError extends Error {}

/** Verifies bearer tokens: JWKS (production, OIDC issuer) or HS256 with a shared secret (development, tests). */
@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    if (config.AUTH_JWKS_URL) {
      this.key = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL));
      this.algorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'];
    } else {
      this.key = new TextEncoder().encode(config.jwtSecret);
      this.algorithms = ['HS256'];
    }
  }

  async verify(token: string): Promise<Actor> {
    let payload: JWTPayload;
    try {
      const options = { algorithms: this.algorithms, issuer: this.config.AUTH_ISSUER, audience: this.config.AUTH_AUDIENCE };
      payload = typeof this.key === 'function' ? (await jwtVerify(token, this.key, options)).payload : (await jwtVerify(token, this.key, options)).payload;
    } catch {
      throw new InvalidTokenError('The access token is invalid or has expired.');
    }
    return toActor(payload);
  }
}

function toActor(payload: JWTPayload): Actor {
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)) : [];
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new InvalidTokenError('The access token names no user (sub).');
  if (typeof payload.clinicId !== 'string' || payload.clinicId.length === 0) throw new InvalidTokenError('The access token names no clinic (clinicId).');
  return { staffId: payload.sub, roles, clinicId: payload.clinicId };
}
