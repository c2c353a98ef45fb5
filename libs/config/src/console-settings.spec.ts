import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from './configuration-error.js';
import { isLoopbackHost, loadSettings } from './load-settings.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadSettings(env);
  } catch (error) {
    assert.ok(error instanceof ConfigurationError);
    return error.problems;
  }
  assert.fail('expected a ConfigurationError');
}

const IDP = {
  OIDC_ISSUER_URL: 'https://login.bestuur.example/realms/school',
  OIDC_CLIENT_ID: 'ketenpoort',
  OIDC_CLIENT_SECRET: 'geheim-en-lang-genoeg',
  OIDC_REDIRECT_URI: 'https://ketenpoort.bestuur.example/auth/callback',
};

describe('console settings (sign-in, sessions)', () => {
  it('runs the local demo provider by default in embedded mode, with 8-hour sessions', () => {
    const settings = loadSettings({});
    assert.equal(settings.console.localProvider, true);
    assert.equal(settings.console.oidc, null);
    assert.equal(settings.console.sessionTtlSeconds, 8 * 60 * 60);
    assert.equal(settings.console.claimsMappingFile, null);
  });

  it('has no demo provider in production mode unless the local issuer is asked for', () => {
    const production = loadSettings({ DATABASE_URL: 'postgres://u@db/k', AUTH_JWKS_URL: 'https://idp/jwks' });
    assert.equal(production.console.localProvider, false);
  });

  it('takes a real identity provider from OIDC_*, which switches the demo provider off', () => {
    const settings = loadSettings(IDP);
    assert.equal(settings.console.localProvider, false);
    expect(settings.console.oidc).toEqual({
      issuerUrl: IDP.OIDC_ISSUER_URL,
      clientId: 'ketenpoort',
      clientSecret: IDP.OIDC_CLIENT_SECRET,
      redirectUri: IDP.OIDC_REDIRECT_URI,
      postLogoutRedirectUri: null,
      scopes: 'openid profile',
    });
  });

  it('validates the identity provider settings at start-up, naming variables and never values', () => {
    const missing = problemsOf({ OIDC_ISSUER_URL: IDP.OIDC_ISSUER_URL });
    assert.ok(missing.some((p) => p.includes('OIDC_CLIENT_ID') && p.includes('OIDC_CLIENT_SECRET')));
    const insecure = problemsOf({ ...IDP, OIDC_ISSUER_URL: 'http://login.bestuur.example/' });
    assert.ok(insecure.some((p) => p.startsWith('OIDC_ISSUER_URL must be an https URL')));
    assert.ok(insecure.every((p) => !p.includes('login.bestuur.example')));
    const redirect = problemsOf({ ...IDP, OIDC_REDIRECT_URI: 'https://ketenpoort.example/elders' });
    assert.ok(redirect.some((p) => p.startsWith('OIDC_REDIRECT_URI')));
    assert.ok(problemsOf({ ...IDP, OIDC_SCOPES: 'profile' }).some((p) => p.startsWith('OIDC_SCOPES')));
    assert.ok(
      problemsOf({ ...IDP, OIDC_LOCAL_PROVIDER: 'true' }).some((p) => p.includes('exclude each other')),
    );
    assert.ok(
      problemsOf({ CONSOLE_SESSION_TTL_SECONDS: '5' }).some((p) =>
        p.startsWith('CONSOLE_SESSION_TTL_SECONDS'),
      ),
    );
    // A provider on the developer's own machine may use http.
    assert.equal(
      loadSettings({
        ...IDP,
        OIDC_ISSUER_URL: 'http://127.0.0.1:8080/realms/x',
        OIDC_REDIRECT_URI: 'http://localhost:3000/auth/callback',
      }).console.oidc?.issuerUrl,
      'http://127.0.0.1:8080/realms/x',
    );
  });

  it('refuses the demo provider on a host other machines can reach', () => {
    const problems = problemsOf({ HOST: '0.0.0.0', OIDC_LOCAL_PROVIDER: 'true' });
    assert.ok(problems.some((p) => p === 'OIDC_LOCAL_PROVIDER may only run when HOST is a loopback address'));
    // Not asked for: a container on 0.0.0.0 (docker/compose.yaml) with a real identity provider has no demo sign-in.
    const container = loadSettings({ HOST: '0.0.0.0', AUTH_JWKS_URL: 'https://idp.example.org/jwks' });
    assert.equal(container.console.localProvider, false);
    assert.equal(container.auth.localIssuer, false);
  });

  it('knows the loopback host names', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])
      assert.ok(isLoopbackHost(host), host);
    for (const host of ['0.0.0.0', '10.0.0.1', 'ketenpoort.example', 'localhost.evil', '']) {
      assert.ok(!isLoopbackHost(host), host);
    }
  });
});
