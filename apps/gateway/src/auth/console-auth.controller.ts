import type { IncomingMessage } from 'node:http';
import { Controller, Get, Header, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isDomainError } from '#domain';
import type { Request, Response } from 'express';
import { ConsoleSessionService, type SessionRequest, type SessionView } from './console-session.service.js';
import { Public } from './public.decorator.js';
import { AUTH_ERRORS } from './auth-error-codes.js';

/** The request as the session service reads it. */
export function sessionRequestOf(
  req: Pick<IncomingMessage, 'method' | 'headers' | 'socket'>,
): SessionRequest {
  return { method: req.method ?? 'GET', headers: req.headers, port: req.socket.localPort ?? 0 };
}

/**
 * Console sign-in (ADR 0016): `/auth/login` sends the browser to the identity provider, `/auth/callback` takes
 * it back, `/auth/session` tells the console who is signed in (and the CSRF token), `/auth/logout` ends it.
 */
@ApiExcludeController()
@Public()
@Controller('auth')
export class ConsoleAuthController {
  constructor(@Inject(ConsoleSessionService) private readonly sessions: ConsoleSessionService) {}

  @Get('login')
  @Header('Cache-Control', 'no-store')
  async login(
    @Req() req: Request,
    @Res() res: Response,
    @Query('returnTo') returnTo?: string,
  ): Promise<void> {
    const started = await this.sessions.beginSignIn(sessionRequestOf(req), returnTo);
    if (started.setCookie !== null) res.setHeader('Set-Cookie', started.setCookie);
    res.redirect(302, started.location);
  }

  /** Failures come back to the console's sign-in page with their code; the console says what to do in Dutch. */
  @Get('callback')
  @Header('Cache-Control', 'no-store')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const query = req.originalUrl.includes('?')
      ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
      : '';
    try {
      const done = await this.sessions.completeSignIn(sessionRequestOf(req), query);
      res.setHeader('Set-Cookie', done.setCookies);
      res.redirect(302, done.location);
    } catch (error) {
      const code = isDomainError(error) ? error.code : AUTH_ERRORS.SIGN_IN_FAILED;
      res.redirect(302, `/aanmelden?fout=${encodeURIComponent(code)}`);
    }
  }

  @Get('session')
  @Header('Cache-Control', 'no-store')
  async session(@Req() req: Request): Promise<SessionView | { signedIn: false; signInAvailable: boolean }> {
    return (
      (await this.sessions.view(sessionRequestOf(req))) ?? {
        signedIn: false,
        signInAvailable: this.sessions.signInAvailable,
      }
    );
  }

  @Post('logout')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async logout(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ location: string }> {
    const done = await this.sessions.signOut(sessionRequestOf(req));
    res.setHeader('Set-Cookie', done.setCookie);
    return { location: done.location };
  }
}
