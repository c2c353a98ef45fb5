import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { UnauthenticatedError, type Actor } from '#domain';
import type { AuthenticatedRequest } from './authenticated-request.js';
import { AUTH_ERRORS } from './auth-error-codes.js';

/** The Actor of the current request; a handler that reads it on a @Public() route is refused, not handed undefined. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor)
    throw new UnauthenticatedError(AUTH_ERRORS.TOKEN_MISSING, 'This endpoint needs an authenticated caller');
  return actor;
});
