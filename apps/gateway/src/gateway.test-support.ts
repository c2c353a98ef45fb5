import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { PrivacyPolicyEngine } from '#application';
import { loadSettings } from '#config';
import type { Clock, SignalEvaluator } from '#domain';
import {
  type Infrastructure,
  type Outbound,
  createLogger,
  deleteBrokerNamespace,
  loadSignalEvaluator,
  startInfrastructure,
} from '#runtime';
import { createTestDatabase, testAmqpUrl, testDatabaseUrl } from '#testing';
import { LocalIssuer } from './auth/index.js';
import type { GatewayOptions } from './app.module.js';
import { createGateway } from './create-gateway.js';

/** A gateway for an e2e suite, on the embedded default or the servers named by DATABASE_URL / AMQP_URL. */
export interface TestGateway {
  readonly app: INestApplication;
  readonly infra: Infrastructure;
  readonly issuer: LocalIssuer;
  stop(): Promise<void>;
}

export interface TestGatewayOptions extends GatewayOptions {
  /**
   * The rules engine for the worker path and the evaluate endpoint: by default the real engine with the shipped
   * national rulepack (as `main.ts` loads it).
   */
  readonly signalEvaluator?: SignalEvaluator;
  /** The dispatcher's connectors and routing; default: from the delivery settings (none in tests). */
  readonly outbound?: Outbound;
  /** Where the log lines go (with LOG_LEVEL in extraEnv): for specs that check what is never logged. */
  readonly logs?: NodeJS.WritableStream;
  /** The infrastructure's clock (rules, deadlines, the demo layout); default: the system clock. */
  readonly clock?: Clock;
}

/**
 * Starts gateway + in-process worker with a fresh data dir, a fresh database (PGlite in memory, or a new
 * database on the PostgreSQL server) and a throwaway broker namespace; `stop` removes all three.
 */
export async function startTestGateway(
  options: TestGatewayOptions = {},
  /** Further settings (e.g. INGEST_MAX_BYTES) over the test defaults. */
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<TestGateway> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ketenpoort-e2e-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    AUTH_LOCAL_ISSUER: 'true',
    DEMO_DATA: 'false',
    OUTBOX_POLL_MS: '20',
    WORKER_IN_PROCESS: 'true',
    BROKER_NAMESPACE: `kp-e2e-${randomUUID().slice(0, 8)}`,
    // Specs send many bad tokens from one address on purpose; the abuse tier tests the limits themselves.
    AUTH_FAILURE_LIMIT: '0',
    DEV_TOKENS_LIMIT: '0',
    ...extraEnv,
  };
  const database = testDatabaseUrl() ? await createTestDatabase() : null;
  if (database) env['DATABASE_URL'] = database.url;
  const amqp = testAmqpUrl();
  if (amqp) env['AMQP_URL'] = amqp;
  const settings = loadSettings(env);
  const infra = await startInfrastructure(settings, createLogger(settings, options.logs), {
    relay: true,
    consumers: true,
    // A test gateway's process root: one engine for it, as main makes one.
    engine: new PrivacyPolicyEngine(),
    ...(options.outbound ? { outbound: options.outbound } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    signalEvaluator: options.signalEvaluator ?? loadSignalEvaluator(settings),
  });
  const app = await createGateway(infra, options);
  const issuer = await LocalIssuer.open(settings);
  return {
    app,
    infra,
    issuer,
    async stop() {
      await app.close();
      await infra.close();
      await deleteBrokerNamespace(settings);
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
