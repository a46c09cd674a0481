import { SignJWT } from 'jose';
import type { Role } from './actor.js';

export interface TokenRequest {
  sub: string;
  roles: Role[];
  clinicId: string;
  /** e.g. '8h' (the default); the API refuses tokens valid longer than AUTH_TOKEN_MAX_LIFETIME_MINUTES (12 h by default) */
  expiresIn?: string;
  /** `iss` and `aud`: required by the API when AUTH_ISSUER / AUTH_AUDIENCE are set (always in production) */
  issuer?: string;
  audience?: string;
}

/** An HS256 token for development and tests (production tokens come from the hospital's OIDC issuer). */
export async function mintDevelopmentToken(secret: string, request: TokenRequest): Promise<string> {
  const jwt = new SignJWT({ roles: request.roles, clinicId: request.clinicId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(request.sub)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '8h');
  if (request.issuer) jwt.setIssuer(request.issuer);
  if (request.audience) jwt.setAudience(request.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
