import { createPrivateKey } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { join, resolve } from 'node:path';
import type { Clock } from '#domain';
import { createDevPki } from '#runtime';
import {
  DUO_ADMIN_PREFIX,
  type DuoMisbehaviour,
  type DuoRegister,
  createDuoRegister,
  startDuoServer,
} from './duo/index.js';
import { type MunicipalitySimulator, createMunicipalitySimulator } from './leerplicht/index.js';

/** The PEM files of a simulator's PKI directory (`CHAIN_SIM_PKI_DIR`): what ketenpoort needs to reach it. */
export const PKI_FILES = {
  ca: 'ca.pem',
  serverCert: 'server-cert.pem',
  serverKey: 'server-key.pem',
  clientCert: 'client-cert.pem',
  clientKey: 'client-key.pem',
  clientOin: 'client-oin.txt',
  duoCert: 'duo-cert.pem',
  duoKey: 'duo-key.pem',
} as const;

export interface ChainSimulatorOptions {
  readonly host?: string;
  /** The plain HTTP port: municipality webhooks and both admin APIs (0: any free port). */
  readonly port?: number;
  /** The DUO SOAP port (two-way TLS). */
  readonly duoPort?: number;
  /** Where the PKI lives: read when present, otherwise a throwaway PKI is made and written there. */
  readonly pkiDir: string;
  readonly municipalities: readonly string[];
  /** ketenpoort's gateway (inbox polling, status callbacks, its signing keys). */
  readonly gatewayUrl?: string;
  readonly gatewayToken?: string | (() => string);
  /** ketenpoort's signing keys; default `<gatewayUrl>/.well-known/leerplicht-signing-keys.json`. */
  readonly ketenpoortJwksUrl?: string;
  /** ketenpoort's signing key itself (instead of fetching the JWKS). */
  readonly ketenpoortPublicJwk?: Record<string, unknown>;
  /** Municipality misbehaviour (webhooks and status callbacks). */
  readonly municipalityMisbehaviour?: Parameters<typeof createMunicipalitySimulator>[0]['misbehaviour'];
  readonly duoOin?: string;
  /** DUO status steps (In behandeling after one step, closed after two); absent: admin API only. */
  readonly duoStepMs?: number;
  readonly duoMisbehaviour?: Partial<DuoMisbehaviour>;
  /** Municipalities poll their inbox at this interval; absent: on demand. */
  readonly pollIntervalMs?: number;
  /** Municipal officers move received reports on: In behandeling after `ms`, closed after 2 × `ms`. */
  readonly advanceMs?: number;
  readonly seed?: number;
  readonly clock?: Clock;
}

export interface ChainSimulator {
  /** The DUO SOAP endpoint (https, two-way TLS). */
  readonly duoUrl: string;
  /** Plain HTTP: `/leerplicht/{code}/reports` webhooks, `/admin/duo/…`, `/admin/leerplicht/…`. */
  readonly url: string;
  readonly pkiDir: string;
  readonly clientOin: string;
  readonly duo: DuoRegister;
  readonly municipalities: MunicipalitySimulator;
  close(): Promise<void>;
}

interface Pki {
  readonly ca: string;
  readonly server: { readonly cert: string; readonly key: string };
  readonly clientOin: string;
  /** DUO's signing certificate and key for its answers. */
  readonly duo: { readonly cert: string; readonly key: string };
}

/**
 * The PKI of an earlier run, or null when there is none or it predates signed messages (ECDSA keys, no DUO
 * signing certificate): DUO's WUS profile signs with rsa-sha256, so such a directory is made anew.
 */
async function readPki(dir: string): Promise<Pki | null> {
  try {
    const [ca, cert, key, clientOin, clientKey, duoCert, duoKey] = await Promise.all([
      readFile(join(dir, PKI_FILES.ca), 'utf8'),
      readFile(join(dir, PKI_FILES.serverCert), 'utf8'),
      readFile(join(dir, PKI_FILES.serverKey), 'utf8'),
      readFile(join(dir, PKI_FILES.clientOin), 'utf8'),
      readFile(join(dir, PKI_FILES.clientKey), 'utf8'),
      readFile(join(dir, PKI_FILES.duoCert), 'utf8'),
      readFile(join(dir, PKI_FILES.duoKey), 'utf8'),
    ]);
    if (createPrivateKey(clientKey).asymmetricKeyType !== 'rsa') return null;
    return { ca, server: { cert, key }, clientOin: clientOin.trim(), duo: { cert: duoCert, key: duoKey } };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** A throwaway PKI for development and demos, written once (keys 0600); never for production use. */
async function makePki(dir: string, duoOin: string | undefined): Promise<Pki> {
  const pki = await createDevPki({
    organisation: 'ketenpoort demo school board',
    ...(duoOin ? { duoOin } : {}),
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const write = async (name: string, text: string, secret: boolean): Promise<void> => {
    await writeFile(join(dir, name), text, { mode: secret ? 0o600 : 0o644 });
    if (secret) await chmod(join(dir, name), 0o600);
  };
  await write(PKI_FILES.ca, pki.ca.cert, false);
  await write(PKI_FILES.serverCert, pki.server.cert, false);
  await write(PKI_FILES.serverKey, pki.server.key, true);
  await write(PKI_FILES.clientCert, pki.client.cert, false);
  await write(PKI_FILES.clientKey, pki.client.key, true);
  await write(PKI_FILES.clientOin, `${pki.clientOin}\n`, false);
  await write(PKI_FILES.duoCert, pki.duo.cert, false);
  await write(PKI_FILES.duoKey, pki.duo.key, true);
  return { ca: pki.ca.cert, server: pki.server, clientOin: pki.clientOin, duo: pki.duo };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolvePort(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * DUO's register and the municipalities in one process: the DUO SOAP endpoint over two-way TLS, and one plain
 * HTTP port for the municipalities' webhooks and both admin APIs.
 */
export async function startChainSimulator(options: ChainSimulatorOptions): Promise<ChainSimulator> {
  const host = options.host ?? '127.0.0.1';
  const pkiDir = resolve(options.pkiDir);
  const pki = (await readPki(pkiDir)) ?? (await makePki(pkiDir, options.duoOin));
  const duo = createDuoRegister({
    ...(options.duoOin ? { duoOin: options.duoOin } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.duoStepMs !== undefined ? { stepMs: options.duoStepMs } : {}),
    ...(options.duoMisbehaviour ? { misbehaviour: options.duoMisbehaviour } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    trustedCa: pki.ca,
    signing: pki.duo,
  });
  const duoServer = await startDuoServer({
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca },
    register: duo,
    host,
    port: options.duoPort ?? 0,
    adminPort: false,
  });
  const jwksUrl =
    options.ketenpoortJwksUrl ??
    (options.gatewayUrl
      ? `${options.gatewayUrl.replace(/\/+$/, '')}/.well-known/leerplicht-signing-keys.json`
      : undefined);
  if (options.municipalities.length > 0 && !options.ketenpoortPublicJwk && !jwksUrl) {
    throw new Error(
      "municipalities need ketenpoort's signing key: give gatewayUrl, ketenpoortJwksUrl or ketenpoortPublicJwk",
    );
  }
  const municipalities = await createMunicipalitySimulator({
    municipalities: options.municipalities,
    ...(options.ketenpoortPublicJwk
      ? { ketenpoortPublicJwk: options.ketenpoortPublicJwk }
      : // With no municipality played, no report is ever verified: any address will do.
        { ketenpoortJwksUrl: jwksUrl ?? 'http://127.0.0.1:9/not-used' }),
    ...(options.municipalityMisbehaviour ? { misbehaviour: options.municipalityMisbehaviour } : {}),
    ...(options.gatewayUrl ? { gatewayUrl: options.gatewayUrl } : {}),
    ...(options.gatewayToken ? { gatewayToken: options.gatewayToken } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.advanceMs !== undefined
      ? {
          autoAdvance: {
            inBehandelingAfterMs: options.advanceMs,
            afgeslotenAfterMs: 2 * options.advanceMs,
            intervalMs: Math.max(20, Math.floor(options.advanceMs / 2)),
          },
        }
      : {}),
  });
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const work = path.startsWith(DUO_ADMIN_PREFIX)
      ? duo.handleAdmin(req, res, path.slice(DUO_ADMIN_PREFIX.length) || '/')
      : path.startsWith('/admin/leerplicht')
        ? municipalities.handleAdmin(req, res)
        : path.startsWith('/leerplicht/')
          ? municipalities.handle(req, res)
          : path === '/health'
            ? Promise.resolve(json(res, 200, { status: 'ok' }))
            : Promise.resolve(json(res, 404, { code: 'NOT_FOUND', message: `no route ${path}` }));
    Promise.resolve(work).catch(() => {
      if (!res.headersSent) json(res, 500, { code: 'SIMULATOR_ERROR', message: 'the simulator failed' });
      else res.destroy();
    });
  });
  const port = await listen(http, options.port ?? 0, host);
  return {
    duoUrl: duoServer.url,
    url: `http://${host}:${port}`,
    pkiDir,
    clientOin: pki.clientOin,
    duo,
    municipalities,
    async close() {
      await municipalities.close();
      await duoServer.close();
      await new Promise<void>((done) => {
        http.close(() => done());
        http.closeAllConnections();
      });
    },
  };
}
