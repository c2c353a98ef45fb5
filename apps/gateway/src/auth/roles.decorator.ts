import { SetMetadata } from '@nestjs/common';
import type { Role } from '#domain';

export const ROLES_KEY = 'ketenpoort:auth:roles';

/**
 * Restricts a route or controller to the listed roles; a method's list replaces its controller's.
 * At least one role is required so that an empty list cannot be read as "anyone".
 */
export const Roles = (role: Role, ...more: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, Object.freeze([role, ...more]));
