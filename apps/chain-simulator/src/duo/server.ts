import { type Server, type ServerResponse, createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { foutmeldingXml } from './register.js';
import type { DuoRegister } from './register.js';

/** Path of the SOAP endpoint on the https server. */
export const DUO_SOAP_PATH = '/duo/rod';
/** Prefix of the admin API (plain http server, and on the https server too). */
export const DUO_ADMIN_PREFIX = '/admin/duo';

export interface DuoServerOptions {
  /** Server certificate and key (PEM) and the CA whose client certificates are let in. */
  readonly tls: { readonly cert: string; readonly key: string; readonly ca: string };
  readonly register: DuoRegister;
  /** https port; default 0 (any free port). */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Port of the plain-http admin server (always on 127.0.0.1); default 0. `false`: no plain admin server. */
  readonly adminPort?: number | false;
}

export interface DuoServer {
  /** The SOAP endpoint, e.g. `https://127.0.0.1:43211/duo/rod`. */
  readonly url: string;
  /** The admin API base over plain http, e.g. `http://127.0.0.1:43212/admin/duo`; null when disabled. */
  readonly adminUrl: string | null;
  close(): Promise<void>;
}

function route(register: DuoRegister, soap: boolean): Parameters<typeof createHttpServer>[1] {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (soap && !(req.socket as TLSSocket).authorized) return refuseCertificate(res);
    if (soap && path === DUO_SOAP_PATH) return register.handle(req, res);
    if (path === DUO_ADMIN_PREFIX || path.startsWith(`${DUO_ADMIN_PREFIX}/`))
      return register.handleAdmin(req, res, path.slice(DUO_ADMIN_PREFIX.length) || '/');
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found');
  };
}

/**
 * A client without a certificate from `ca`: refused with HTTP 403 and a DC0002Foutmelding F201 before the
 * request is read. (A node TLS server with rejectUnauthorized can only reset the connection after the
 * handshake, which a client cannot tell apart from a lost answer; an explicit refusal is what a TLS
 * terminator in front of a SOAP service gives, and it is permanent for the client.)
 */
function refuseCertificate(res: ServerResponse): void {
  res.writeHead(403, { 'Content-Type': 'text/xml; charset=utf-8', Connection: 'close' });
  res.end(foutmeldingXml('F201', 'client certificate missing or not issued by a trusted CA'));
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function shut(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * The register behind two-way TLS: only clients with a certificate from `tls.ca` get in (requestCert; an
 * unauthorised client gets 403 + F201 and nothing else), as with DUO's PKIoverheid check. The admin API also runs on plain http for demos.
 */
export async function startDuoServer(options: DuoServerOptions): Promise<DuoServer> {
  const host = options.host ?? '127.0.0.1';
  const https = createHttpsServer(
    {
      cert: options.tls.cert,
      key: options.tls.key,
      ca: options.tls.ca,
      requestCert: true,
      rejectUnauthorized: false,
    },
    route(options.register, true),
  );
  const port = await listen(https, options.port ?? 0, host);
  let admin: Server | null = null;
  let adminUrl: string | null = null;
  if (options.adminPort !== false) {
    admin = createHttpServer(route(options.register, false));
    const adminPort = await listen(admin, options.adminPort ?? 0, '127.0.0.1');
    adminUrl = `http://127.0.0.1:${adminPort}${DUO_ADMIN_PREFIX}`;
  }
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `https://${shownHost}:${port}${DUO_SOAP_PATH}`,
    adminUrl,
    close: async () => {
      options.register.close();
      await Promise.all([shut(https), ...(admin ? [shut(admin)] : [])]);
    },
  };
}
