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
  /** `iat`, and the start of `expiresIn` (default: now); a test whose API runs on a ManualClock mints at the clock's time */
  issuedAt?: Date;
}

/** An HS256 token for development and tests (production tokens come from the hospital's OIDC issuer). */
export async function mintDevelopmentToken(secret: string, request: TokenRequest): Promise<string> {
  const jwt = new SignJWT({ roles: request.roles, clinicId: request.clinicId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(request.sub)
    .setIssuedAt(request.issuedAt)
    .setExpirationTime(
      request.issuedAt ? new Date(request.issuedAt.getTime() + durationMs(request.expiresIn ?? '8h')) : (request.expiresIn ?? '8h'),
    );
  if (request.issuer) jwt.setIssuer(request.issuer);
  if (request.audience) jwt.setAudience(request.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** '90s', '480m', '8h', '2d' in milliseconds */
function durationMs(text: string): number {
  const match = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (!match) throw new Error(`expiresIn must be a number and s, m, h or d (e.g. '8h'), not '${text}'`);
  return Number(match[1]) * UNIT_MS[match[2]];
}
