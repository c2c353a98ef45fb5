import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { JSONWebKeySet } from 'jose';
import { LocalIssuer } from './local-issuer.js';
import { Public } from './public.decorator.js';

/** Publishes the local issuer's public key so other services (the worker, a test client) can verify its tokens. */
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(LocalIssuer) private readonly issuer: LocalIssuer) {}

  @Get('jwks.json')
  @Header('Content-Type', 'application/jwk-set+json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): JSONWebKeySet {
    return this.issuer.publicJwks();
  }
}
