import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** One year: browsers remember to use HTTPS only (RFC 6797). */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The usual security headers on every answer (issue 12, docs/operations.md): nosniff, no framing (CSP
 * frame-ancestors and X-Frame-Options), no referrer, and a Content Security Policy that the console (Vite output:
 * module scripts from /assets, no inline script) and Swagger UI at /docs (scripts from /docs/, an inline <style>,
 * data: images) both run under. HSTS only when the request came over TLS, as Express sees it: with TRUST_PROXY, the
 * X-Forwarded-Proto of a trusted proxy; otherwise the socket itself.
 */
export function securityHeaders(): (
  req: IncomingMessage & { secure?: boolean },
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
    // Set below, only over TLS.
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  return (req, res, next) => {
    headers(req, res, (error?: unknown) => {
      if (error) {
        next(error);
        return;
      }
      if (req.secure === true) res.setHeader('Strict-Transport-Security', HSTS);
      next();
    });
  };
}
