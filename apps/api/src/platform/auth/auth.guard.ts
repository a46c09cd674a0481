import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from '../http/api-error.js';
import type { Actor, Role } from './actor.js';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator.js';
import { InvalidTokenError, TokenVerifier } from './token-verifier.js';

export type AuthenticatedRequest = Request & { actor?: Actor };

/**
 * Every route needs a valid bearer token unless marked @Public(), and names who may call it with @Roles()
 * (an admin may always). A route with no role rule is refused to everyone: nothing is readable by default
 * (a token without a `roles` claim, or with only `integration`, reaches only the routes that name it).
 */
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
      if (error instanceof InvalidTokenError) throw new ApiError(401, 'UNAUTHENTICATED', error.message, { reason: error.reason });
      throw new ApiError(401, 'UNAUTHENTICATED', 'The access token could not be checked.');
    }
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!allowed) {
      throw new ApiError(403, 'FORBIDDEN', 'This address is not open to any role.', { required: ['admin'] });
    }
    if (!request.actor.roles.some((role) => role === 'admin' || allowed.includes(role))) {
      const needed = [...allowed, ...(allowed.includes('admin') ? [] : ['admin'])];
      const has =
        request.actor.roles.length === 0
          ? 'Your access token names no role'
          : `Your role (${request.actor.roles.join(', ')}) does not allow this`;
      throw new ApiError(403, 'FORBIDDEN', `${has}; it needs one of: ${needed.join(', ')}.`, { required: allowed });
    }
    return true;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
