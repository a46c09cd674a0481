import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from './actor.js';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';
/** the OpenAPI extension naming each operation's role rule (the route-roles test reads it) */
export const ROLES_EXTENSION = 'x-roles';
/** the OpenAPI extension on operations that take no bearer token */
export const PUBLIC_EXTENSION = 'x-public';

/**
 * The roles allowed to call a route; an admin may always. Every route carries either @Roles or @Public:
 * a route with neither is refused to everyone (AuthGuard) and fails test/hostile/route-roles.e2e-spec.ts.
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension(ROLES_EXTENSION, [...new Set<Role>([...roles, 'admin'])]));
/** No token needed (health, docs, FHIR metadata, feeds that carry their own token). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension(PUBLIC_EXTENSION, true));
