import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from '../http/api-error.js';
import type { Actor, Role } from './actor.js';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator.js';
import { InvalidTokenError, TokenVerifier } from './token-verifier.js';

export type AuthenticatedRequest = Request & { actor?: Actor };

/** Every route needs a valid bearer token unless marked @Public(); @Roles() narrows who may call it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new ApiError(401, 'UNAUTHENTICATED', 'Please sign in: send an access token as "Authorization: Bearer <token>".');
    try {
      request.actor = await this.verifier.verify(token);
    } catch (error) {
      const message = error instanceof InvalidTokenError ? error.message : 'The access token could not be checked.';
      throw new ApiError(401, 'UNAUTHENTICATED', message);
    }
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (allowed && !request.actor.roles.some((role) => role === 'admin' || allowed.includes(role))) {
      throw new ApiError(403, 'FORBIDDEN', `Your role does not allow this; it needs one of: ${allowed.join(', ')}.`, { required: allowed });
    }
    return true;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
