import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SETTINGS, type Settings } from '#config';
import { AuthGuard } from './auth.guard.js';
import { DevTokensController } from './dev-tokens.controller.js';
import { JwksController } from './jwks.controller.js';
import { JwtVerifier } from './jwt-verifier.js';
import { LocalIssuer } from './local-issuer.js';
import { AuthRateLimits } from './rate-limits.js';

/** The part of the SETTINGS value this module reads. */
export type AuthModuleSettings = Pick<Settings, 'auth' | 'dataDir' | 'http'>;

/**
 * Authentication for the gateway: JwtVerifier, the global AuthGuard and, in embedded mode, the local
 * issuer with its token and JWKS endpoints. Providers read Settings from the global SETTINGS token;
 * forRoot takes the settings too only because the set of controllers must be known when the module is
 * declared.
 */
@Module({})
export class AuthModule {
  static forRoot(settings: Pick<Settings, 'auth'>): DynamicModule {
    const local = settings.auth.localIssuer;
    const localProviders: Provider[] = local
      ? [
          {
            provide: LocalIssuer,
            useFactory: (s: AuthModuleSettings) => LocalIssuer.open(s),
            inject: [SETTINGS],
          },
        ]
      : [];
    return {
      module: AuthModule,
      global: true,
      controllers: local ? [DevTokensController, JwksController] : [],
      providers: [
        ...localProviders,
        {
          provide: JwtVerifier,
          useFactory: (s: AuthModuleSettings, issuer: LocalIssuer | undefined) =>
            JwtVerifier.create(s.auth, issuer ?? null),
          inject: [SETTINGS, { token: LocalIssuer, optional: true }],
        },
        {
          provide: AuthRateLimits,
          useFactory: (s: AuthModuleSettings) => new AuthRateLimits(s.http),
          inject: [SETTINGS],
        },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: local ? [JwtVerifier, LocalIssuer, AuthRateLimits] : [JwtVerifier, AuthRateLimits],
    };
  }
}
