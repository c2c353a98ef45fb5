import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { isLoopbackHost } from '#config';
import { exportJWK, generateKeyPair } from 'jose';
import type { default as Provider, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { ACTOR_CLAIM_NAMES, type ActorClaims } from './actor-claims.js';
import { allDemoActorClaims } from './demo-actors.js';
import { roleLabel } from './role-labels.js';

/** Where the local provider is mounted on the gateway. */
export const LOCAL_PROVIDER_PATH = '/oidc';
export const LOCAL_CLIENT_ID = 'ketenpoort-console';
/** The scope that carries ketenpoort's own claims (role and scope), read by the default claims mapping. */
export const KETENPOORT_SCOPE = 'ketenpoort';
const SCOPES = `openid profile ${KETENPOORT_SCOPE}`;

export interface DemoUser {
  readonly sub: string;
  /** Dutch display name (the `name` claim). */
  readonly name: string;
  /** What the person may see, in Dutch. */
  readonly scope: string;
  readonly claims: ActorClaims;
}

/** One demo user per demo actor (auth/demo-actors.ts): a role or user added there appears here by itself. */
export function demoUsers(): DemoUser[] {
  const actors: ActorClaims[] = allDemoActorClaims();
  const seen = new Map<string, number>();
  return actors.map((claims) => {
    const nth = (seen.get(claims.role) ?? 0) + 1;
    seen.set(claims.role, nth);
    return {
      sub: claims.sub,
      // A second demo user of a role (the second privacy officer, for four eyes) is told apart by a number.
      name: `Demo: ${roleLabel(claims.role)}${nth > 1 ? ` ${nth}` : ''}`,
      scope: describeScope(claims),
      claims,
    };
  });
}

function describeScope(claims: ActorClaims): string {
  const c = claims as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof c['board'] === 'string') parts.push(`bestuur ${c['board']}`);
  if (Array.isArray(c['schools'])) parts.push(`scholen ${(c['schools'] as string[]).join(', ')}`);
  if (typeof c['school'] === 'string') parts.push(`school ${c['school']}`);
  if (Array.isArray(c['municipalities'])) {
    parts.push(`gemeente ${(c['municipalities'] as string[]).join(', ')}`);
  }
  if (typeof c['region'] === 'string') parts.push(`regio ${c['region']}`);
  return parts.join(' · ');
}

/** `[::1]` and friends in a URL; a bare IPv6 address needs brackets. */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The host part of a Host header (without the port). */
export function hostnameOf(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  const match = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(hostHeader.trim());
  return match?.[1] ?? '';
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The embedded default's identity provider: a real OpenID Connect provider (oidc-provider) mounted at `/oidc` on
 * the loopback gateway, with one demo user per role and a Dutch page to pick one. The console signs in through
 * it along exactly the path it takes with a production IdP (ADR 0016). It answers only requests addressed to a
 * loopback host; start-up refuses it on a non-loopback HOST.
 */
export class LocalOidcProvider {
  /** Random per process: the provider and the gateway's client share it in memory only. */
  readonly clientSecret = randomBytes(32).toString('base64url');
  readonly users: readonly DemoUser[];
  private provider: Promise<Provider> | null = null;
  private port: number | null = null;

  constructor(
    /** The HOST the gateway listens on (loopback; checked at start-up). */
    private readonly host: string,
    private readonly sessionTtlSeconds: number,
    /**
     * Embedded mode only: the demo municipality's key file (ADR 0023), offered for download on the sign-in page so
     * the demo officer can read the reports; null (production, or no demo) serves nothing.
     */
    private readonly demoKey: { readonly code: string; readonly file: string } | null = null,
  ) {
    this.users = demoUsers();
  }

  /**
   * The one origin the demo sign-in runs on: `http://localhost:<port>`, the address the gateway announces (an IPv6
   * HOST keeps its own literal). Provider, callback and console share it, so the whole flow stays same-origin (a
   * CSP `form-action 'self'` holds across its redirects) and the session cookie lands where the console runs.
   */
  origin(port: number): string {
    const host = this.host.includes(':') && this.host !== '::' ? urlHost(this.host) : 'localhost';
    return `http://${host}:${port}`;
  }

  /** The issuer URL once the gateway's port is known (from the first request it serves). */
  issuer(port: number): string {
    return `${this.origin(port)}${LOCAL_PROVIDER_PATH}`;
  }

  /** The redirect URIs the console client may use: on this gateway's origin only. */
  redirectUris(port: number, path: string): string[] {
    return [`${this.origin(port)}${path}`];
  }

  /** The provider for this gateway's port; created once, on first use. */
  providerFor(port: number): Promise<Provider> {
    if (this.provider === null || this.port !== port) {
      this.port = port;
      this.provider = this.create(port);
    }
    return this.provider;
  }

  /** Express-style middleware for `/oidc`: the demo sign-in pages, then the provider itself. */
  middleware(): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      void this.handle(req, res).catch(() => {
        if (!res.headersSent) {
          res.statusCode = 500;
          res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        }
        res.end('De demo-aanmelding gaf een fout; probeer het opnieuw.');
      });
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isLoopbackHost(hostnameOf(req.headers.host))) {
      res.statusCode = 403;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('De demo-aanmelding is alleen bereikbaar op deze computer (localhost).');
      return;
    }
    const provider = await this.providerFor(req.socket.localPort ?? 0);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/assets/login.css' && req.method === 'GET') {
      res.setHeader('Content-Type', 'text/css; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache');
      res.end(LOGIN_CSS);
      return;
    }
    if (
      this.demoKey !== null &&
      path === `/demo-keys/${this.demoKey.code}.jwk.json` &&
      req.method === 'GET'
    ) {
      await this.demoKeyFile(res, this.demoKey.file, this.demoKey.code);
      return;
    }
    const login = /^\/interaction\/([A-Za-z0-9_-]{1,100})(\/login|\/abort)?$/.exec(path);
    if (login) {
      await this.interaction(provider, req, res, login[2] ?? '');
      return;
    }
    await provider.callback()(req, res);
  }

  private async interaction(
    provider: Provider,
    req: IncomingMessage,
    res: ServerResponse,
    action: string,
  ): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (action === '' && req.method === 'GET') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.end(this.loginPage(details.uid));
      return;
    }
    if (req.method !== 'POST') {
      res.statusCode = 405;
      res.end();
      return;
    }
    if (action === '/abort') {
      await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'Aanmelden afgebroken',
      });
      return;
    }
    const form = new URLSearchParams(await readBody(req, 4096));
    const user = this.users.find((u) => u.sub === form.get('account'));
    if (!user) {
      res.statusCode = 400;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(this.loginPage(details.uid, 'Kies een van de demogebruikers.'));
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
  }

  /** The demo municipality's private key, as a download; 404 until the start script made it. */
  private async demoKeyFile(res: ServerResponse, file: string, code: string): Promise<void> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Er is nog geen demosleutel voor deze gemeente.');
      return;
    }
    res.setHeader('Content-Type', 'application/jwk+json');
    res.setHeader('Content-Disposition', `attachment; filename="demosleutel-gemeente-${code}.jwk.json"`);
    res.setHeader('Cache-Control', 'no-store');
    res.end(text);
  }

  private loginPage(uid: string, error?: string): string {
    const base = `${LOCAL_PROVIDER_PATH}/interaction/${encodeURIComponent(uid)}`;
    const options = this.users
      .map(
        (
          u,
          i,
        ) => `<li><input type="radio" name="account" id="u${i}" value="${escapeHtml(u.sub)}"${i === 0 ? ' checked' : ''}>
<label for="u${i}"><strong>${escapeHtml(u.name.replace(/^Demo: /, ''))}</strong><span>${escapeHtml(u.scope)}</span></label></li>`,
      )
      .join('\n');
    return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Aanmelden bij ketenpoort (demo)</title><link rel="stylesheet" href="${LOCAL_PROVIDER_PATH}/assets/login.css"></head>
<body><main>
<h1>Aanmelden bij ketenpoort</h1>
<p>Dit is de demo-aanmelding van de ingebouwde modus. Kies als wie u wilt werken; in productie meldt u zich aan bij
de identiteitsprovider van uw school of gemeente.</p>
${error ? `<p class="fout" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${base}/login">
<fieldset><legend>Demogebruiker</legend><ul>
${options}
</ul></fieldset>
<button type="submit">Aanmelden</button>
</form>
<form method="post" action="${base}/abort"><button type="submit" class="secundair">Annuleren</button></form>
${
  this.demoKey === null
    ? ''
    : `<h2>Demosleutel van de gemeente</h2>
<p>Gemeente ${escapeHtml(this.demoKey.code)} (Bunnik) wordt in de demo door een persoon behandeld. De meldingen zijn
versleuteld met de sleutel van de gemeente; ketenpoort kan ze niet lezen. Download de demosleutel en kies hem in de
console om de meldingen te lezen. Alleen in de ingebouwde modus.</p>
<p><a href="${LOCAL_PROVIDER_PATH}/demo-keys/${encodeURIComponent(this.demoKey.code)}.jwk.json" download>Demosleutel gemeente ${escapeHtml(this.demoKey.code)} downloaden</a></p>`
}
</main></body></html>`;
  }

  private async create(port: number): Promise<Provider> {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig' };
    const users = new Map(this.users.map((u) => [u.sub, u]));
    const callback = '/auth/callback';
    const configuration: Configuration = {
      clients: [
        {
          client_id: LOCAL_CLIENT_ID,
          client_secret: this.clientSecret,
          client_name: 'ketenpoort console',
          redirect_uris: this.redirectUris(port, callback),
          post_logout_redirect_uris: this.redirectUris(port, '/afgemeld'),
          response_types: ['code'],
          grant_types: ['authorization_code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      pkce: { required: () => true },
      scopes: SCOPES.split(' '),
      claims: {
        openid: ['sub'],
        profile: ['name'],
        [KETENPOORT_SCOPE]: ACTOR_CLAIM_NAMES.filter((c) => c !== 'sub'),
      },
      // The gateway reads the claims from the ID token; no access token is used afterwards.
      conformIdTokenClaims: false,
      findAccount: (_ctx, id) => {
        const user = users.get(id);
        if (!user) return undefined;
        return {
          accountId: id,
          claims: () => ({ ...user.claims, sub: user.sub, name: user.name }),
        };
      },
      // A first-party client: the person already chose to sign in to ketenpoort, so no consent screen.
      loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
        const { client, session } = ctx.oidc;
        if (!client || !session?.accountId) return undefined;
        const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
        if (grantId) {
          const existing = await ctx.oidc.provider.Grant.find(grantId);
          if (existing) return existing;
        }
        const grant = new ctx.oidc.provider.Grant({
          clientId: client.clientId,
          accountId: session.accountId,
        });
        grant.addOIDCScope(SCOPES);
        grant.addOIDCClaims(['name', ...ACTOR_CLAIM_NAMES]);
        await grant.save();
        return grant;
      },
      interactions: { url: (_ctx, interaction) => `${LOCAL_PROVIDER_PATH}/interaction/${interaction.uid}` },
      features: {
        devInteractions: { enabled: false },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: (ctx, form) => {
            ctx.type = 'html';
            ctx.body = page(
              'Afmelden',
              `${form}<p>U bent afgemeld bij de console. Wilt u zich ook afmelden bij de demo-aanmelding?</p>
<button type="submit" form="op.logoutForm" value="yes" name="logout">Ja, afmelden</button>
<button type="submit" form="op.logoutForm" class="secundair">Nee, aangemeld blijven</button>`,
            );
          },
          postLogoutSuccessSource: (ctx) => {
            ctx.type = 'html';
            ctx.body = page('Afgemeld', '<p>U bent afgemeld. <a href="/">Terug naar ketenpoort</a></p>');
          },
        },
      },
      renderError: (ctx, out) => {
        ctx.type = 'html';
        const code = typeof out.error === 'string' ? out.error : 'server_error';
        ctx.body = page(
          'Aanmelden lukt niet',
          `<p>De demo-aanmelding kon uw verzoek niet afhandelen (${escapeHtml(code)}).
<a href="/">Ga terug naar ketenpoort</a> en meld u opnieuw aan.</p>`,
        );
      },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      jwks: { keys: [jwk] },
      ttl: {
        AuthorizationCode: 60,
        IdToken: 600,
        AccessToken: 600,
        Interaction: 600,
        Session: this.sessionTtlSeconds,
        Grant: this.sessionTtlSeconds,
      },
    };
    // Loaded on first use: the library warns on import (it prefers Node 22), which must not reach the start-up
    // output of processes that never sign anyone in.
    const { default: OidcProvider } = await import('oidc-provider');
    return new OidcProvider(this.issuer(port), configuration);
  }
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — ketenpoort (demo)</title><link rel="stylesheet" href="${LOCAL_PROVIDER_PATH}/assets/login.css"></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The demo sign-in page's look; served from `/oidc/assets/login.css` (no inline styles under the CSP). */
const LOGIN_CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#f3f5f7;margin:0;line-height:1.5}
main{max-width:40rem;margin:3rem auto;background:#fff;padding:2rem 2.5rem;border-radius:6px;border:1px solid #c6ccd2}
h1{font-size:1.6rem;margin-top:0}
fieldset{border:0;padding:0;margin:1rem 0}legend{font-weight:700;margin-bottom:.5rem}
ul{list-style:none;padding:0;margin:0}li{display:flex;gap:.75rem;align-items:flex-start;padding:.5rem 0;border-bottom:1px solid #e3e6e9}
li input{margin-top:.35rem;width:1.1rem;height:1.1rem}
label{display:flex;flex-direction:column;cursor:pointer}label span{color:#4a5560;font-size:.9rem}
button{font:inherit;font-weight:700;background:#154273;color:#fff;border:2px solid #154273;border-radius:4px;padding:.55rem 1.2rem;margin:.75rem .5rem 0 0;cursor:pointer}
button.secundair{background:#fff;color:#154273}
:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
.fout{color:#a4000f;font-weight:700}
a{color:#154273}
`;
