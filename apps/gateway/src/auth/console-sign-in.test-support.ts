/** A minimal cookie jar: enough to walk the OIDC redirects as a browser would (cookies per host, no paths). */
export class CookieJar {
  private readonly cookies = new Map<string, Map<string, string>>();

  store(url: string, response: Response): void {
    const host = new URL(url).host;
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (/max-age=0/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(host, jar);
  }

  header(url: string): string {
    const jar = this.cookies.get(new URL(url).host);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  get(url: string, name: string): string | undefined {
    return this.cookies.get(new URL(url).host)?.get(name);
  }
}

/** One request with the jar's cookies, no redirect following. */
export async function step(
  jar: CookieJar,
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: { cookie: jar.header(url), ...(init.headers ?? {}) },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  jar.store(url, response);
  return response;
}

/** Follows redirects (GET) until a non-redirect answer or a URL that matches `stopAt`. */
export async function follow(
  jar: CookieJar,
  url: string,
  stopAt?: RegExp,
): Promise<{ url: string; response: Response }> {
  let current = url;
  for (let i = 0; i < 15; i += 1) {
    const response = await step(jar, current);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
    current = new URL(location, current).href;
    if (stopAt?.test(current)) return { url: current, response };
  }
  throw new Error('too many redirects');
}

/**
 * Signs in to the console as a browser would: `/auth/login` → the local OIDC provider's demo page → pick
 * `account` → back at `/auth/callback`. Returns the jar (with the session cookie) and the session's CSRF token.
 */
export async function signInAsDemoUser(
  baseUrl: string,
  account: string,
  returnTo = '/meldingen',
): Promise<{ jar: CookieJar; csrfToken: string; landedAt: string }> {
  const jar = new CookieJar();
  const page = await follow(jar, `${baseUrl}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  const html = await page.response.text();
  const action = /action="([^"]+\/login)"/.exec(html)?.[1];
  if (!action) throw new Error(`no demo sign-in form at ${page.url}: ${page.response.status}`);
  const posted = await step(jar, new URL(action, page.url).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ account }).toString(),
  });
  const landed = await follow(
    jar,
    new URL(posted.headers.get('location') ?? '/', page.url).href,
    /^http:\/\/localhost:\d+\/(?!auth\/|oidc\/)/,
  );
  const session = (await (await step(jar, `${baseUrl}/auth/session`)).json()) as { csrfToken?: string };
  return { jar, csrfToken: session.csrfToken ?? '', landedAt: landed.url };
}
