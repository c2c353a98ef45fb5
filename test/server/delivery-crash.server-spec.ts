import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { PrivacyPolicyEngine, storeDraftedReports } from '#application';
import { loadPrivacyKeys, loadSettings } from '#config';
import { type NewReport, pupilPseudonym } from '#domain';
import { TypeOrmAuditLog, TypeOrmPupilRegistry, TypeOrmUnitOfWork } from '#persistence';
import { type Infrastructure, createLogger, deleteBrokerNamespace, startInfrastructure } from '#runtime';
import { type TestDatabase, createTestDatabase, waitFor } from '#testing';
import {
  type ChainSimulator,
  PKI_FILES,
  startChainSimulator,
} from '../../apps/chain-simulator/src/chain-simulator.js';
import { approvedBenchReport } from '../../apps/cli/src/bench/dispatch.bench.js';
import { SERVER_TEST_KEYS, type WorkerProcess, rabbitmqctl, requireServers, startWorker } from './support.js';

const SCHOOL = '99XX';

/**
 * Delivery crash safety against the real PostgreSQL and RabbitMQ: dispatchers run as their own processes (the
 * worker app) and send to the chain simulator over two-way TLS. A dispatcher killed mid-send, and RabbitMQ
 * restarted mid-run: nothing lost, nothing registered twice at DUO.
 */
describe('delivery crash safety (PostgreSQL + RabbitMQ)', () => {
  const servers = requireServers();
  const namespace = `kp-dcrash-${randomUUID().slice(0, 8)}`;
  const board = `BOARD-${randomUUID().slice(0, 6)}`;
  let dataDir: string;
  let database: TestDatabase;
  let infra: Infrastructure;
  let simulator: ChainSimulator;
  let workerEnv: Record<string, string>;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ketenpoort-dcrash-'));
    database = await createTestDatabase();
    const pkiDir = join(dataDir, 'pki');
    // Every DUO answer takes 40 ms: a dispatcher always has sends in flight when it is killed.
    simulator = await startChainSimulator({
      pkiDir,
      municipalities: [],
      // No municipality is played here: only DUO matters for these tests.
      ketenpoortJwksUrl: 'http://127.0.0.1:9/unused',
      duoMisbehaviour: { slowMs: 40 },
    });
    const routing = join(dataDir, 'routing.yaml');
    await writeFile(
      routing,
      `version: test\ndoorstroompunt: { minAge: 18, maxAge: 23 }\nbodies: []\narrangements: []\nmunicipalities:\n  - code: '0355'\n    name: Zeist\n`,
    );
    workerEnv = {
      DATABASE_URL: database.url,
      AMQP_URL: servers.amqpUrl,
      BROKER_NAMESPACE: namespace,
      DATA_DIR: dataDir,
      OUTBOX_POLL_MS: '50',
      DUO_ENDPOINT_URL: simulator.duoUrl,
      DUO_CLIENT_CERT: join(pkiDir, PKI_FILES.clientCert),
      DUO_CLIENT_KEY: join(pkiDir, PKI_FILES.clientKey),
      DUO_CA: join(pkiDir, PKI_FILES.ca),
      SCHOOL_OIN: simulator.clientOin,
      LEERPLICHT_ROUTING: routing,
      DELIVERY_RETRY_BASE_MS: '50',
      DELIVERY_RETRY_MAX_MS: '1000',
      DELIVERY_MAX_ATTEMPTS: '50',
      DELIVERY_SWEEP_MS: '100',
      // A killed dispatcher's sends are taken over once their lease ran out.
      DELIVERY_LEASE_MS: '3000',
      DUO_STATUS_POLL_MS: '0',
      RETENTION_INTERVAL_MS: '0',
    };
    const settings = loadSettings({
      ...SERVER_TEST_KEYS,
      ...workerEnv,
      WORKER_IN_PROCESS: 'false',
      LOG_LEVEL: 'silent',
    });
    // This process plays the gateway: it writes approvals and relays the outbox; only the workers dispatch.
    infra = await startInfrastructure(settings, createLogger(settings), {
      relay: true,
      consumers: false,
      engine: new PrivacyPolicyEngine(),
    });
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await rabbitmqctl('start_app').catch(() => undefined);
    await infra?.close();
    if (infra) await deleteBrokerNamespace(infra.settings);
    await simulator?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const worker = (): WorkerProcess => {
    const w = startWorker(workerEnv);
    workers.push(w);
    return w;
  };

  async function seed(count: number, prefix: string): Promise<string[]> {
    const keys = await loadPrivacyKeys(infra.settings);
    const registry = new TypeOrmPupilRegistry(infra.dataSource, keys.pupilData);
    const at = new Date();
    const drafts: NewReport[] = [];
    for (let i = 0; i < count; i++) {
      const localId = `${prefix}-${i}`;
      await registry.upsert(
        { board, schools: null },
        localId,
        {
          school: SCHOOL,
          birthDate: '2011-05-17',
          sector: 'vo',
          woongemeente: '0355',
          enrolledFrom: '2023-08-21',
          bsn: '111222333',
        },
        pupilPseudonym(keys.pseudonym, board, localId),
        at,
      );
      drafts.push(approvedBenchReport(board, localId, at, { school: SCHOOL }));
    }
    await new TypeOrmUnitOfWork(infra.dataSource).run((tx) => storeDraftedReports(tx, drafts, at));
    return drafts.map((d) => d.id);
  }

  const registered = async (ids: readonly string[]): Promise<number> => {
    const rows: { n: string }[] = await infra.dataSource.query(
      `SELECT count(*) AS n FROM report WHERE id = ANY($1::uuid[]) AND status = 'REGISTERED'`,
      [[...ids]],
    );
    return Number(rows[0].n);
  };
  const kenmerken = (ids: readonly string[]): string[] =>
    simulator.duo
      .reports()
      .filter((r) => ids.includes(r.kenmerk))
      .map((r) => r.kenmerk);

  it('a dispatcher killed mid-send: another takes over, every report registered exactly once', async () => {
    const ids = await seed(200, 'kill');
    const first = worker();
    // Kill it in the middle: some registered, sends in flight.
    await waitFor(async () => ((await registered(ids)) >= 40 ? true : undefined), {
      what: 'the first 40 registrations',
      timeoutMs: 60_000,
    });
    first.child.kill('SIGKILL');
    await first.exited;
    const inFlight: { n: string }[] = await infra.dataSource.query(
      `SELECT count(*) AS n FROM report_delivery WHERE status = 'SENDING' AND report_id = ANY($1::uuid[])`,
      [ids],
    );
    const before = await registered(ids);
    assert.ok(before < ids.length, 'killed before the end');
    worker();
    await waitFor(async () => ((await registered(ids)) === ids.length ? true : undefined), {
      what: 'all 200 registered after the takeover',
      timeoutMs: 120_000,
    });
    const atDuo = kenmerken(ids);
    assert.equal(atDuo.length, ids.length, 'every report at DUO');
    assert.equal(new Set(atDuo).size, ids.length, 'none twice');
    assert.equal(simulator.duo.stats().duplicateRegistrations, 0);
    const stats = simulator.duo.stats();
    // Sends that were in flight at the kill were repeated with the same MessageID and answered from DUO's memory.
    assert.ok(Number(inFlight[0].n) === 0 || stats.repeatedMessages > 0, JSON.stringify(stats));
    const verification = await new TypeOrmAuditLog(infra.dataSource).verify();
    assert.equal(verification.valid, true);
  });

  it('RabbitMQ restarted mid-run: nothing lost, nothing registered twice', async () => {
    const ids = await seed(300, 'restart');
    await waitFor(async () => ((await registered(ids)) >= 60 ? true : undefined), {
      what: 'the first 60 registrations',
      timeoutMs: 60_000,
    });
    await rabbitmqctl('stop_app');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await rabbitmqctl('start_app');
    await rabbitmqctl('await_startup');
    await waitFor(async () => ((await registered(ids)) === ids.length ? true : undefined), {
      what: 'all 300 registered after the restart',
      timeoutMs: 180_000,
    });
    const atDuo = kenmerken(ids);
    assert.equal(atDuo.length, ids.length);
    assert.equal(new Set(atDuo).size, ids.length);
    assert.equal(simulator.duo.stats().duplicateRegistrations, 0);
    const undelivered: { n: string }[] = await infra.dataSource.query(
      `SELECT count(*) AS n FROM report_delivery
       WHERE report_id = ANY($1::uuid[]) AND destination = 'DUO' AND status <> 'DELIVERED'`,
      [ids],
    );
    assert.equal(Number(undelivered[0].n), 0);
  });
});
