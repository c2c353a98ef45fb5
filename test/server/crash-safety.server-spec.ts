import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrivacyPolicyEngine } from '#application';
import { loadSettings } from '#config';
import {
  type Infrastructure,
  RECORDS_QUEUE_SUFFIX,
  createLogger,
  deleteBrokerNamespace,
  startInfrastructure,
} from '#runtime';
import { createTestDatabase, someCanonicalRecords, waitFor, type TestDatabase } from '#testing';
import { LocalIssuer } from '../../apps/gateway/src/auth/index.js';
import { createGateway } from '../../apps/gateway/src/create-gateway.js';
import { SERVER_TEST_KEYS, queueDepth, rabbitmqctl, requireServers, startWorker } from './support.js';

/**
 * Crash safety against the real PostgreSQL and RabbitMQ: the worker runs as its own process and is made to
 * die at the worst moments; the gateway keeps accepting batches while RabbitMQ is down.
 */
describe('crash safety (PostgreSQL + RabbitMQ)', () => {
  const servers = requireServers();
  const namespace = `kp-crash-${randomUUID().slice(0, 8)}`;
  const queue = `${namespace}${RECORDS_QUEUE_SUFFIX}`;
  let dataDir: string;
  let database: TestDatabase;
  let infra: Infrastructure;
  let app: INestApplication;
  let token: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ketenpoort-crash-'));
    database = await createTestDatabase();
    const settings = loadSettings({
      ...SERVER_TEST_KEYS,
      DATABASE_URL: database.url,
      AMQP_URL: servers.amqpUrl,
      BROKER_NAMESPACE: namespace,
      DATA_DIR: dataDir,
      AUTH_LOCAL_ISSUER: 'true',
      WORKER_IN_PROCESS: 'false',
      OUTBOX_POLL_MS: '50',
      LOG_LEVEL: 'silent',
    });
    infra = await startInfrastructure(settings, createLogger(settings), {
      relay: true,
      consumers: false,
      engine: new PrivacyPolicyEngine(),
    });
    app = await createGateway(infra);
    token = (await (await LocalIssuer.open(settings)).demoToken('school_staff')).token;
  });

  after(async () => {
    await app?.close();
    await infra?.close();
    if (infra) await deleteBrokerNamespace(infra.settings);
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const workerEnv = (fault: string): Record<string, string> => ({
    DATABASE_URL: database.url,
    AMQP_URL: servers.amqpUrl,
    BROKER_NAMESPACE: namespace,
    FAULT_INJECTION: fault,
    OUTBOX_POLL_MS: '50',
  });

  const submit = async (): Promise<string> => {
    const res = await request(app.getHttpServer())
      .post('/v1/records')
      .set('Authorization', `Bearer ${token}`)
      .send({ records: someCanonicalRecords(3, randomUUID().slice(0, 8)) })
      .expect(202);
    return res.body.batchId as string;
  };

  const batchRow = async (id: string): Promise<{ status: string; process_count: number }> =>
    (
      await infra.dataSource.query<{ status: string; process_count: number }[]>(
        'SELECT status, process_count FROM record_batch WHERE id = $1',
        [id],
      )
    )[0];

  it('worker killed after commit, before ack: redelivered, processed exactly once', async () => {
    const crashing = startWorker(workerEnv('exit-after-commit-before-ack'));
    const batchId = await submit();
    assert.equal(await crashing.exited, 70, crashing.output());
    assert.deepEqual(await batchRow(batchId), { status: 'PROCESSED', process_count: 1 });
    // The message was never acknowledged: RabbitMQ still holds it (beside the batch's record-change event when
    // the worker had not handled that one yet: ADR 0009 writes both in the batch's transaction).
    await waitFor(async () => (((await queueDepth(queue)) ?? 0) >= 1 ? true : undefined), {
      what: 'the unacknowledged message back in the queue',
    });

    const healthy = startWorker(workerEnv('none'));
    try {
      await waitFor(async () => ((await queueDepth(queue)) === 0 ? true : undefined), {
        timeoutMs: 30_000,
        what: 'queue drained',
      });
      assert.deepEqual(await batchRow(batchId), { status: 'PROCESSED', process_count: 1 });
      // The batch message came back and was recognised as already processed, not processed again.
      await waitFor(
        () => Promise.resolve(healthy.output().includes('"outcome":"duplicate"') ? true : undefined),
        {
          timeoutMs: 30_000,
          what: 'the redelivered batch message recognised as a duplicate',
        },
      );
      // Exactly one idempotency key for the batch consumer.
      const keys = await infra.dataSource.query(
        `SELECT count(*) AS n FROM processed_message WHERE consumer = 'worker.records'`,
      );
      assert.equal(Number(keys[0].n), 1);
    } finally {
      await healthy.kill();
    }
  });

  it('worker killed before commit: nothing half-done, processed once after restart', async () => {
    const crashing = startWorker(workerEnv('exit-before-commit'));
    const batchId = await submit();
    assert.equal(await crashing.exited, 70, crashing.output());
    assert.deepEqual(await batchRow(batchId), { status: 'RECEIVED', process_count: 0 });

    const healthy = startWorker(workerEnv('none'));
    try {
      const row = await waitFor(
        async () => {
          const r = await batchRow(batchId);
          return r.status === 'PROCESSED' ? r : undefined;
        },
        { timeoutMs: 30_000, what: 'batch processed after restart' },
      );
      assert.equal(row.process_count, 1);
      await waitFor(async () => ((await queueDepth(queue)) === 0 ? true : undefined), { timeoutMs: 30_000 });
    } finally {
      await healthy.kill();
    }
  });

  it('RabbitMQ down while the gateway accepts batches: nothing lost, the outbox drains when it is back', async () => {
    const worker = startWorker(workerEnv('none'));
    const http = request(app.getHttpServer());
    const ids: string[] = [];
    try {
      await rabbitmqctl('stop_app');
      try {
        for (let i = 0; i < 5; i++) ids.push(await submit());
        const ready = await http.get('/health/ready').expect(503);
        assert.equal(ready.body.checks.broker, 'down');
        assert.ok((await infra.outbox.countUnpublished()) >= 5);
      } finally {
        await rabbitmqctl('start_app');
      }
      await waitFor(async () => ((await infra.outbox.countUnpublished()) === 0 ? true : undefined), {
        timeoutMs: 60_000,
        what: 'outbox drained',
      });
      for (const id of ids) {
        const row = await waitFor(
          async () => {
            const r = await batchRow(id);
            return r.status === 'PROCESSED' ? r : undefined;
          },
          { timeoutMs: 60_000, what: `batch ${id} processed` },
        );
        assert.equal(row.process_count, 1);
      }
      // The worker's relay may have drained the outbox before the gateway's own client reconnected.
      await waitFor(async () => ((await http.get('/health/ready')).status === 200 ? true : undefined), {
        timeoutMs: 30_000,
        what: 'gateway ready again',
      });
    } finally {
      await worker.kill();
    }
  });

  it('the gateway starts while RabbitMQ is down and serves once it is back', async () => {
    await rabbitmqctl('stop_app');
    let second: { infra: Infrastructure; app: INestApplication } | null = null;
    try {
      const settings = loadSettings({
        ...SERVER_TEST_KEYS,
        DATABASE_URL: database.url,
        AMQP_URL: servers.amqpUrl,
        BROKER_NAMESPACE: namespace,
        DATA_DIR: dataDir,
        AUTH_LOCAL_ISSUER: 'true',
        WORKER_IN_PROCESS: 'true',
        OUTBOX_POLL_MS: '50',
        LOG_LEVEL: 'silent',
      });
      const started = Date.now();
      const infra2 = await startInfrastructure(settings, createLogger(settings), {
        relay: true,
        consumers: true,
        engine: new PrivacyPolicyEngine(),
      });
      second = { infra: infra2, app: await createGateway(infra2) };
      assert.ok(Date.now() - started < 20_000, 'start-up does not wait for the broker');
      const http = request(second.app.getHttpServer());
      await http.get('/health').expect(200);
      assert.equal((await http.get('/health/ready').expect(503)).body.checks.broker, 'down');
      const res = await http
        .post('/v1/records')
        .set('Authorization', `Bearer ${token}`)
        .send({ records: someCanonicalRecords(2, randomUUID().slice(0, 8)) })
        .expect(202);
      await rabbitmqctl('start_app');
      const row = await waitFor(
        async () => {
          const r = await batchRow(res.body.batchId as string);
          return r.status === 'PROCESSED' ? r : undefined;
        },
        { timeoutMs: 60_000, what: 'batch processed after the broker came back' },
      );
      assert.equal(row.process_count, 1);
      await http.get('/health/ready').expect(200);
    } finally {
      await rabbitmqctl('start_app');
      await second?.app.close();
      await second?.infra.close();
    }
  });
});
