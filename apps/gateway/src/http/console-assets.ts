import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Settings } from '#config';

/** The built console (`npm run build` → `dist/console`), beside this gateway's build. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../../console/', import.meta.url));

/** Paths that belong to the API and its documentation: never answered with the console, so 404s stay problem+json. */
const API_PREFIXES = ['/v1/', '/v1', '/docs', '/health', '/auth/', '/oidc', '/.well-known/'];

const NOT_BUILT = `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>ketenpoort</title></head>
<body><main><h1>ketenpoort</h1><p>De console is nog niet gebouwd. Voer <code>npm run build</code> uit en start de
gateway opnieuw. De API-documentatie staat op <a href="/docs">/docs</a>.</p></main></body></html>`;

export function isApiPath(path: string): boolean {
  return API_PREFIXES.some(
    (prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`),
  );
}

/**
 * Serves the console at `/` on the gateway's own origin (ADR 0015): hashed assets from `assets/` for a year, and
 * `index.html` (never cached) for every other page a browser asks for, so client-side routes survive a reload.
 */
export function serveConsole(app: NestExpressApplication, settings: Pick<Settings, 'console'>): void {
  const dir = settings.console.dir ?? DEFAULT_CONSOLE_DIR;
  const indexFile = join(dir, 'index.html');
  app.useStaticAssets(join(dir, 'assets'), {
    prefix: '/assets/',
    index: false,
    fallthrough: true,
    immutable: true,
    maxAge: '365d',
  });
  let index: string | null = null;
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    if ((method !== 'GET' && method !== 'HEAD') || isApiPath(path) || path.startsWith('/assets/')) {
      next();
      return;
    }
    // A page, not a file: anything with an extension that is not there is a plain 404.
    if (/\.[a-z0-9]+$/i.test(path) && path !== '/index.html') {
      next();
      return;
    }
    index ??= existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : null;
    res.statusCode = index === null ? 503 : 200;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.end(method === 'HEAD' ? undefined : (index ?? NOT_BUILT));
  });
}
