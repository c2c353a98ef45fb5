import { randomUUID } from 'node:crypto';
import { storeDraftedReports } from '#application';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ChainSimulator,
  PKI_FILES,
  startChainSimulator,
} from '../../apps/chain-simulator/src/chain-simulator.js';
import type { DuoMisbehaviour } from '../../apps/chain-simulator/src/duo/index.js';
import { LocalIssuer } from '../../apps/gateway/src/auth/index.js';
import { type TestGateway, startTestGateway } from '../../apps/gateway/src/gateway.test-support.js';
import { loadSettings } from '#config';
import { type NewReport, pupilPseudonym } from '#domain';
import { TypeOrmPupilRegistry, TypeOrmUnitOfWork } from '#persistence';
import { loadPrivacyKeys } from '#config';
import { type DevPki, createDevPki, loadSigningKey } from '#runtime';
import { approvedBenchReport } from '../../apps/cli/src/bench/dispatch.bench.js';

export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

/** Municipalities the simulator plays, with how the routing table reaches them. */
export const SIMULATED = { webhook: '0344', inbox: '0312', none: '0355' } as const;

export interface Chain {
  readonly gateway: TestGateway;
  readonly simulator: ChainSimulator;
  /** The simulator's PKI: its CA issues further sending parties' certificates (`pki.issueClient`). */
  readonly pki: DevPki;
  readonly baseUrl: string;
  readonly board: string;
  readonly school: string;
  readonly staffToken: string;
  readonly officerToken: string;
  stop(): Promise<void>;
}

export interface ChainOptions {
  readonly duoMisbehaviour?: Partial<DuoMisbehaviour>;
  /** Extra gateway settings (retry schedule etc.). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * ketenpoort (gateway + in-process worker) wired to the chain simulator with the real connectors: DUO over two-way
 * TLS with a throwaway PKI, leerplicht signed and encrypted to the simulated municipalities' keys.
 */
export async function startChain(options: ChainOptions = {}): Promise<Chain> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ketenpoort-chain-'));
  const pkiDir = join(dataDir, 'pki');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const base = loadSettings({ DATA_DIR: dataDir, AUTH_LOCAL_ISSUER: 'true' });
  const issuer = await LocalIssuer.open(base);
  const board = `BOARD-${randomUUID().slice(0, 6)}`;
  const school = '99XX';
  const codes = [SIMULATED.webhook, SIMULATED.inbox];
  const officerToken = await issuer.issue({
    role: 'leerplicht_officer',
    sub: 'simulator',
    municipalities: codes,
  });
  const staffToken = await issuer.issue({ role: 'school_staff', sub: 'staff-1', board, schools: [school] });
  const signing = await loadSigningKey(base);
  // The PKI is made here and handed to the simulator through its directory, so the tests can issue more
  // certificates from the same CA (one per sending party).
  const pki = await createDevPki({ organisation: 'ketenpoort test board' });
  await mkdir(pkiDir, { recursive: true, mode: 0o700 });
  const files: [string, string][] = [
    [PKI_FILES.ca, pki.ca.cert],
    [PKI_FILES.serverCert, pki.server.cert],
    [PKI_FILES.serverKey, pki.server.key],
    [PKI_FILES.clientCert, pki.client.cert],
    [PKI_FILES.clientKey, pki.client.key],
    [PKI_FILES.clientOin, `${pki.clientOin}\n`],
    [PKI_FILES.duoCert, pki.duo.cert],
    [PKI_FILES.duoKey, pki.duo.key],
  ];
  for (const [name, text] of files) await writeFile(join(pkiDir, name), text, { mode: 0o600 });
  const simulator = await startChainSimulator({
    pkiDir,
    municipalities: codes,
    gatewayUrl: baseUrl,
    gatewayToken: officerToken,
    ketenpoortPublicJwk: signing.publicJwk,
    ...(options.duoMisbehaviour ? { duoMisbehaviour: options.duoMisbehaviour } : {}),
    seed: 7,
  });
  const jwk = (code: string) => JSON.stringify(simulator.municipalities.publicJwkOf(code));
  const routing = join(dataDir, 'routing.yaml');
  await writeFile(
    routing,
    [
      `version: 'test'`,
      `doorstroompunt: { minAge: 18, maxAge: 23 }`,
      `bodies: []`,
      `arrangements: []`,
      `municipalities:`,
      `  - code: '${SIMULATED.webhook}'`,
      `    name: Utrecht`,
      `    endpoint: { channel: webhook, webhookUrl: '${simulator.url}/leerplicht/${SIMULATED.webhook}/reports', publicJwk: ${jwk(SIMULATED.webhook)} }`,
      `  - code: '${SIMULATED.inbox}'`,
      `    name: Bunnik`,
      `    endpoint: { channel: inbox, publicJwk: ${jwk(SIMULATED.inbox)} }`,
      `  - code: '${SIMULATED.none}'`,
      `    name: Zeist`,
      '',
    ].join('\n'),
  );
  const gateway = await startTestGateway(
    {},
    {
      DATA_DIR: dataDir,
      DUO_ENDPOINT_URL: simulator.duoUrl,
      DUO_CLIENT_CERT: join(pkiDir, PKI_FILES.clientCert),
      DUO_CLIENT_KEY: join(pkiDir, PKI_FILES.clientKey),
      DUO_CA: join(pkiDir, PKI_FILES.ca),
      SCHOOL_OIN: simulator.clientOin,
      LEERPLICHT_ROUTING: routing,
      DUO_TIMEOUT_MS: '5000',
      DELIVERY_RETRY_BASE_MS: '20',
      DELIVERY_RETRY_MAX_MS: '200',
      DELIVERY_MAX_ATTEMPTS: '25',
      DELIVERY_SWEEP_MS: '20',
      DELIVERY_LEASE_MS: '15000',
      DUO_STATUS_POLL_MS: '0',
      ...options.env,
    },
  );
  await new Promise<void>((resolve) => {
    const server = gateway.app.getHttpServer() as import('node:http').Server;
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    gateway,
    simulator,
    pki,
    baseUrl,
    board,
    school,
    staffToken,
    officerToken,
    async stop() {
      await simulator.close();
      await gateway.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SeededReport {
  readonly id: string;
  readonly localId: string;
}

/**
 * `count` approved reports straight into the store (each with its pupil, BSN encrypted, and its REPORT_APPROVED
 * outbox event in the same transaction), as approvals leave them: the approval path itself is tested elsewhere.
 */
export async function seedApprovedReports(
  chain: Chain,
  count: number,
  options: {
    readonly woongemeente?: string;
    readonly bsn?: string | null;
    readonly prefix?: string;
    /** Another board and school than the chain's own (several boards on one deployment). */
    readonly board?: string;
    readonly school?: string;
  } = {},
): Promise<SeededReport[]> {
  const { dataSource, settings } = chain.gateway.infra;
  const keys = await loadPrivacyKeys(settings);
  const registry = new TypeOrmPupilRegistry(dataSource, keys.pupilData);
  const board = options.board ?? chain.board;
  const school = options.school ?? chain.school;
  const scope = { board, schools: null };
  const at = new Date();
  const prefix = options.prefix ?? 'p';
  const reports: SeededReport[] = [];
  const drafts: NewReport[] = [];
  for (let i = 0; i < count; i++) {
    const localId = `${prefix}-${i}`;
    await registry.upsert(
      scope,
      localId,
      {
        school,
        birthDate: '2011-05-17',
        sector: 'vo',
        woongemeente: options.woongemeente ?? SIMULATED.none,
        enrolledFrom: '2023-08-21',
        ...(options.bsn === null ? {} : { bsn: options.bsn ?? '111222333' }),
      },
      pupilPseudonym(keys.pseudonym, board, localId),
      at,
    );
    const draft = approvedBenchReport(board, localId, at, { school });
    drafts.push(draft);
    const { id } = draft;
    reports.push({ id, localId });
  }
  for (let i = 0; i < drafts.length; i += 200) {
    await new TypeOrmUnitOfWork(dataSource).run((tx) =>
      storeDraftedReports(tx, drafts.slice(i, i + 200), at),
    );
  }
  return reports;
}

/** Report statuses of the given reports, counted. */
export async function statusCounts(chain: Chain, ids: readonly string[]): Promise<Record<string, number>> {
  const rows: { status: string; n: string }[] = await chain.gateway.infra.dataSource.query(
    `SELECT status, count(*) AS n FROM report WHERE id = ANY($1::uuid[]) GROUP BY status`,
    [[...ids]],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
