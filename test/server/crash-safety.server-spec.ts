import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { CanonicalRecord } from '#domain';
import request from 'supertest';
import { PrivacyPolicyEngine, SIGNALS_CONSUMER } from '#application';
import { loadSettings } from '#config';
import {
  type Infrastructure,
  RECORDS_QUEUE_SUFFIX,
  createLogger,
  deleteBrokerNamespace,
  startInfrastructure,
} from '#runtime';
import {
  SEPTEMBER_WEEK,
  createTestDatabase,
  exampleSchoolCalendar,
  someCanonicalRecords,
  truancyRecords,
  waitFor,
  type TestDatabase,
} from '#testing';
import { LocalIssuer } from '../../apps/gateway/src/auth/index.js';
import { createGateway } from '../../apps/gateway/src/create-gateway.js';
import { SERVER_TEST_KEYS, queueDepth, rabbitmqctl, requireServers, startWorker } from './support.js';

/**
 * Crash safety against the real PostgreSQL and RabbitMQ: the worker runs as its own process and is made to
 * die at the worst moments of the work it does on a batch's `canonical-records.changed` event (signal
 * evaluation: signals and report drafts, and the message's key, in one transaction); the gateway keeps
 * accepting batches while RabbitMQ is down. A batch itself is processed in the ingest's own transaction.
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

  beforeAll(async () => {
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
    // School 99XX's calendar: the worker evaluates its registered pupils' records against it.
    await request(app.getHttpServer())
      .put('/v1/schools/99XX/calendar')
      .set('Authorization', `Bearer ${token}`)
      .send(exampleSchoolCalendar('99XX'))
      .expect(200);
  });

  afterAll(async () => {
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

  const submit = async (
    records: readonly CanonicalRecord[] = someCanonicalRecords(3, randomUUID().slice(0, 8)),
  ): Promise<string> => {
    const res = await request(app.getHttpServer())
      .post('/v1/records')
      .set('Authorization', `Bearer ${token}`)
      .send({ records })
      .expect(202);
    // Stored is processed: there is no batch step left for the worker.
    assert.equal(res.body.status, 'PROCESSED');
    return res.body.batchId as string;
  };

  /** A registered vo pupil of 99XX with 20 unauthorised lessons in one week: one LPW_16H_4W signal and draft. */
  const truantPupil = async (localId: string): Promise<readonly CanonicalRecord[]> => {
    await request(app.getHttpServer())
      .put(`/v1/pupils/${localId}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ school: '99XX', birthDate: '2008-03-10', sector: 'vo', enrolledFrom: '2023-08-21' })
      .expect((res) => assert.ok(res.status === 200 || res.status === 201, JSON.stringify(res.body)));
    return truancyRecords({
      localId,
      school: '99XX',
      vestiging: '01',
      prefix: localId,
      days: SEPTEMBER_WEEK,
    });
  };

  const batchRow = async (id: string): Promise<{ status: string; process_count: number }> =>
    (
      await infra.dataSource.query<{ status: string; process_count: number }[]>(
        'SELECT status, process_count FROM record_batch WHERE id = $1',
        [id],
      )
    )[0];

  /** How often the worker's signal evaluation recorded the batch's (one) change event: 0 or 1. */
  const evaluated = async (batchId: string): Promise<number> =>
    Number(
      (
        await infra.dataSource.query<{ n: string }[]>(
          'SELECT count(*) AS n FROM processed_message WHERE consumer = $1 AND idempotency_key = $2',
          [SIGNALS_CONSUMER, `canonical-records.changed:${batchId}:1`],
        )
      )[0].n,
    );

  /** What the evaluation of a pupil wrote: signals (any status) and report drafts. */
  const workOf = async (localId: string): Promise<{ signals: number; drafts: number }> => {
    const count = async (table: string): Promise<number> =>
      Number(
        (
          await infra.dataSource.query<{ n: string }[]>(
            `SELECT count(*) AS n FROM ${table} WHERE pupil_local_id = $1`,
            [localId],
          )
        )[0].n,
      );
    return { signals: await count('signal'), drafts: await count('report') };
  };

  it('worker killed after commit, before ack: redelivered, evaluated exactly once', async () => {
    const records = await truantPupil('crash-after-commit');
    const crashing = startWorker(workerEnv('exit-after-commit-before-ack'));
    const batchId = await submit(records);
    assert.equal(await crashing.exited, 70, crashing.output());
    expect(await batchRow(batchId)).toEqual({ status: 'PROCESSED', process_count: 1 });
    // The evaluation committed: its signal, its draft and the message's key.
    assert.equal(await evaluated(batchId), 1);
    expect(await workOf('crash-after-commit')).toEqual({ signals: 1, drafts: 1 });
    // The message was never acknowledged: RabbitMQ still holds it.
    await waitFor(async () => (((await queueDepth(queue)) ?? 0) >= 1 ? true : undefined), {
      what: 'the unacknowledged message back in the queue',
    });

    // Generous waits: a worker's start-up alone can take 20 s on a loaded machine.
    const healthy = startWorker(workerEnv('none'));
    try {
      await waitFor(async () => ((await queueDepth(queue)) === 0 ? true : undefined), {
        timeoutMs: 60_000,
        what: 'queue drained',
      });
      // The message came back and was recognised as already evaluated, not evaluated again.
      await waitFor(
        () => Promise.resolve(healthy.output().includes('"outcome":"duplicate"') ? true : undefined),
        {
          timeoutMs: 60_000,
          what: 'the redelivered change event recognised as a duplicate',
        },
      );
      assert.equal(await evaluated(batchId), 1);
      expect(await workOf('crash-after-commit')).toEqual({ signals: 1, drafts: 1 });
      // Exactly one idempotency key for the evaluating consumer: the one message, once.
      const keys = await infra.dataSource.query(
        `SELECT count(*) AS n FROM processed_message WHERE consumer = $1`,
        [SIGNALS_CONSUMER],
      );
      assert.equal(Number(keys[0].n), 1);
    } finally {
      await healthy.kill();
    }
  });

  it('worker killed before commit: nothing half-done, evaluated once after restart', async () => {
    const records = await truantPupil('crash-before-commit');
    const crashing = startWorker(workerEnv('exit-before-commit'));
    const batchId = await submit(records);
    assert.equal(await crashing.exited, 70, crashing.output());
    expect(await batchRow(batchId)).toEqual({ status: 'PROCESSED', process_count: 1 });
    // Rolled back: no key, no signal, no draft.
    assert.equal(await evaluated(batchId), 0);
    expect(await workOf('crash-before-commit')).toEqual({ signals: 0, drafts: 0 });

    const healthy = startWorker(workerEnv('none'));
    try {
      await waitFor(async () => ((await evaluated(batchId)) === 1 ? true : undefined), {
        timeoutMs: 60_000,
        what: 'change event evaluated after restart',
      });
      expect(await workOf('crash-before-commit')).toEqual({ signals: 1, drafts: 1 });
      await waitFor(async () => ((await queueDepth(queue)) === 0 ? true : undefined), { timeoutMs: 60_000 });
      assert.equal(await evaluated(batchId), 1);
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
        expect(await batchRow(id)).toEqual({ status: 'PROCESSED', process_count: 1 });
        await waitFor(async () => ((await evaluated(id)) === 1 ? true : undefined), {
          timeoutMs: 60_000,
          what: `change event of batch ${id} evaluated`,
        });
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
      assert.equal(res.body.status, 'PROCESSED');
      await rabbitmqctl('start_app');
      await waitFor(async () => ((await evaluated(res.body.batchId as string)) === 1 ? true : undefined), {
        timeoutMs: 60_000,
        what: 'change event evaluated after the broker came back',
      });
      // Ready once its own client is connected again (it may still be between two attempts right then).
      await waitFor(async () => ((await http.get('/health/ready')).status === 200 ? true : undefined), {
        timeoutMs: 30_000,
        what: 'gateway ready once the broker is back',
      });
    } finally {
      await rabbitmqctl('start_app');
      await second?.app.close();
      await second?.infra.close();
    }
  });
});
