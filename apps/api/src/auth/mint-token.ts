import { SignJWT } from 'jose';
import type { Role } from './actor.js';

export interface TokenRequest {
  sub: string;
  roles: Role[];
  clinicId: string;
  expiresIn?: string;
}

/** An HS256 token for development and tests (production tokens come from the hospital's OIDC issuer). */
export async function mintDevelopmentToken(secret: string, request: TokenRequest): Promise<string> {
  return new SignJWT({ roles: request.roles, clinicId: request.clinicId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(request.sub)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '8h')
    .sign(new TextEncoder().encode(secret));
}
