import { ROLES, ValidationError, type Role } from '#domain';
import { AUTH_ERRORS } from './auth-error-codes.js';

/** What `POST /v1/dev/tokens` asks for: a demo token for one role, optionally with its lifetime. */
export interface DevTokenRequest {
  readonly role: Role;
  readonly ttlSeconds?: number;
}

/**
 * A demo token request `{ "role": "school_staff", "ttlSeconds"?: 3600 }` (run by `CommandPipe`): a known role,
 * else `ROLE_UNKNOWN`; a lifetime that is a number, else `TOKEN_TTL`. Whether the lifetime is allowed (positive,
 * within the cap) is the issuer's to say.
 */
export function parseDevTokenRequest(body: unknown): DevTokenRequest {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const role = record['role'];
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    const message = `role must be one of ${ROLES.join(', ')}`;
    throw new ValidationError(AUTH_ERRORS.ROLE_UNKNOWN, message, [
      { field: 'role', code: AUTH_ERRORS.ROLE_UNKNOWN, message },
    ]);
  }
  const ttlSeconds = record['ttlSeconds'];
  if (ttlSeconds !== undefined && typeof ttlSeconds !== 'number') {
    const message = 'ttlSeconds must be a number of seconds';
    throw new ValidationError(AUTH_ERRORS.TOKEN_TTL, message, [
      { field: 'ttlSeconds', code: AUTH_ERRORS.TOKEN_TTL, message },
    ]);
  }
  return ttlSeconds === undefined ? { role: role as Role } : { role: role as Role, ttlSeconds };
}
