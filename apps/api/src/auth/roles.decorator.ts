import { SetMetadata } from '@nestjs/common';
import type { Role } from './actor.js';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';

/** The roles allowed to call a route; an admin may always. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** No token needed (health, docs, token-protected feeds). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
