import type { OidcClientSettings } from '#config';
import { UnavailableError } from '#domain';
import * as client from 'openid-client';
import { type LocalOidcProvider, KETENPOORT_SCOPE, LOCAL_CLIENT_ID } from './local-oidc-provider.js';
import { AUTH_ERRORS } from './auth-error-codes.js';

/** What the gateway needs of an identity provider to sign a person in (authorisation code + PKCE). */
export interface SignInFlow {
  /**
   * Where a sign-in must start when the request came in on another loopback name of this gateway (the demo
   * provider runs on one origin); null when the request's own origin is fine.
   */
  canonicalOrigin(hostHeader: string, port: number): string | null;
  /** The redirect URI for a sign-in that started on this host (loopback demo) or the configured one. */
  redirectUri(hostHeader: string, port: number): string | null;
  authorizationUrl(
    port: number,
    request: { redirectUri: string; state: string; nonce: string; codeChallenge: string },
  ): Promise<URL>;
  /** Exchanges the code (checking state, nonce and PKCE); returns the identity provider's claims and ID token. */
  finish(
    port: number,
    callbackUrl: URL,
    checks: { codeVerifier: string; state: string; nonce: string },
  ): Promise<{ claims: Record<string, unknown>; idToken: string | null }>;
  /** Where to send the browser to end the session at the provider too; null when it has no such endpoint. */
  endSessionUrl(port: number, idToken: string | null, hostHeader: string): Promise<URL | null>;
}

interface ClientSource {
  readonly issuer: URL;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: string;
  /** http is allowed only for the loopback demo provider. */
  readonly insecure: boolean;
}

/**
 * The gateway as OpenID Connect client (openid-client): discovery once per issuer, authorisation code with PKCE
 * (S256), state and nonce, then the ID token's claims (and the UserInfo claims where the provider has them).
 */
export class OidcSignIn implements SignInFlow {
  private configs = new Map<string, Promise<client.Configuration>>();

  private constructor(
    private readonly canonical: (hostHeader: string, port: number) => string | null,
    private readonly source: (port: number) => ClientSource,
    private readonly redirect: (hostHeader: string, port: number) => string | null,
    private readonly postLogout: (hostHeader: string, port: number) => string | null,
  ) {}

  /** A production identity provider from the OIDC_* settings. */
  static forProvider(settings: OidcClientSettings): OidcSignIn {
    const issuer = new URL(settings.issuerUrl);
    return new OidcSignIn(
      () => null,
      () => ({
        issuer,
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        scopes: settings.scopes,
        insecure: issuer.protocol === 'http:',
      }),
      () => settings.redirectUri,
      () => settings.postLogoutRedirectUri,
    );
  }

  /** The local demo provider on this gateway (loopback only). */
  static forLocal(local: LocalOidcProvider, isLoopback: (hostname: string) => boolean): OidcSignIn {
    const sameHost = (hostHeader: string, port: number, path: string): string | null => {
      const hostname = hostHeader.replace(/:\d+$/, '');
      if (!isLoopback(hostname)) return null;
      const candidate = `http://${hostname}:${port}${path}`;
      return local.redirectUris(port, path).includes(candidate) ? candidate : null;
    };
    return new OidcSignIn(
      (hostHeader, port) => {
        const origin = local.origin(port);
        const hostname = hostHeader.replace(/:\d+$/, '');
        return isLoopback(hostname) && `http://${hostHeader}` !== origin ? origin : null;
      },
      (port) => ({
        issuer: new URL(local.issuer(port)),
        clientId: LOCAL_CLIENT_ID,
        clientSecret: local.clientSecret,
        scopes: `openid profile ${KETENPOORT_SCOPE}`,
        insecure: true,
      }),
      (host, port) => sameHost(host, port, '/auth/callback'),
      (host, port) => sameHost(host, port, '/afgemeld'),
    );
  }

  canonicalOrigin(hostHeader: string, port: number): string | null {
    return this.canonical(hostHeader, port);
  }

  redirectUri(hostHeader: string, port: number): string | null {
    return this.redirect(hostHeader, port);
  }

  async authorizationUrl(
    port: number,
    request: { redirectUri: string; state: string; nonce: string; codeChallenge: string },
  ): Promise<URL> {
    const config = await this.config(port);
    return client.buildAuthorizationUrl(config, {
      redirect_uri: request.redirectUri,
      scope: this.source(port).scopes,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
      state: request.state,
      nonce: request.nonce,
    });
  }

  async finish(
    port: number,
    callbackUrl: URL,
    checks: { codeVerifier: string; state: string; nonce: string },
  ): Promise<{ claims: Record<string, unknown>; idToken: string | null }> {
    const config = await this.config(port);
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) throw new Error('no ID token');
    let userInfo: Record<string, unknown> = {};
    if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
      try {
        userInfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      } catch {
        // The ID token's claims suffice where the provider keeps none back for UserInfo.
        userInfo = {};
      }
    }
    return { claims: { ...userInfo, ...idClaims }, idToken: tokens.id_token ?? null };
  }

  async endSessionUrl(port: number, idToken: string | null, hostHeader: string): Promise<URL | null> {
    const config = await this.config(port);
    if (!config.serverMetadata().end_session_endpoint) return null;
    const postLogout = this.postLogout(hostHeader, port);
    return client.buildEndSessionUrl(config, {
      ...(idToken ? { id_token_hint: idToken } : {}),
      ...(postLogout ? { post_logout_redirect_uri: postLogout } : {}),
      client_id: this.source(port).clientId,
    });
  }

  private config(port: number): Promise<client.Configuration> {
    const source = this.source(port);
    const key = source.issuer.href;
    let config = this.configs.get(key);
    if (!config) {
      config = client
        .discovery(
          source.issuer,
          source.clientId,
          undefined,
          client.ClientSecretBasic(source.clientSecret),
          source.insecure ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
        )
        .catch((error: unknown) => {
          // Not cached: the next sign-in tries the provider again.
          this.configs.delete(key);
          throw new UnavailableError(
            AUTH_ERRORS.SIGN_IN_PROVIDER_UNAVAILABLE,
            `The identity provider could not be reached (${(error as { code?: string }).code ?? 'discovery failed'})`,
          );
        });
      this.configs.set(key, config);
    }
    return config;
  }
}
