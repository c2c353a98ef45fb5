import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrivacyPolicyEngine, SIGNALS_CONSUMER } from '#application';
import { loadSettings } from '#config';
import { CANONICAL_RECORDS_CHANGED } from '#domain';
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
  truancyRecords,
  waitFor,
  type TestDatabase,
} from '#testing';
import { LocalIssuer } from '../../apps/gateway/src/auth/index.js';
import { createGateway } from '../../apps/gateway/src/create-gateway.js';
import {
  SERVER_TEST_KEYS,
  type WorkerProcess,
  queueDepth,
  rabbitmqctl,
  requireServers,
  startWorker,
} from './support.js';

const WORKERS = 3;
/** Batches of the load-sharing test: enough that RabbitMQ's round robin gives every worker a share. */
const SHARED_BATCHES = 36;
/**
 * Batches of the kill test: all of them are held unacknowledged at once (prefetch 16 a worker), few enough that a
 * worker's ten database connections are not all taken by handlers waiting for the lock.
 */
const HELD_BATCHES = 15;

/** One `signals re-evaluated` line of a worker's own log (info level): which message it evaluated, and how. */
interface Evaluation {
  readonly messageId: string;
  readonly outcome: 'applied' | 'duplicate';
}

/** The evaluations a worker logged after `from` (an offset into its output); an unfinished last line is left. */
function evaluationsOf(worker: WorkerProcess, from: number): Evaluation[] {
  const lines = worker.output().slice(from).split('\n');
  const found: Evaluation[] = [];
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    let entry: { msg?: unknown; messageId?: unknown; outcome?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.msg !== 'signals re-evaluated' || typeof entry.messageId !== 'string') continue;
    assert.ok(entry.outcome === 'applied' || entry.outcome === 'duplicate', line);
    found.push({ messageId: entry.messageId, outcome: entry.outcome });
  }
  return found;
}

/**
 * Several worker processes against one PostgreSQL and one RabbitMQ (evidence for running beyond one server): the
 * gateway runs in this process and only relays its outbox; three workers, each its own process as in production,
 * consume the same records queue of the same broker namespace. A worker's own log line `signals re-evaluated`
 * (info, with the message's id and its outcome) says which worker evaluated which `canonical-records.changed`
 * message; `processed_message` and the signals and report drafts say that each was evaluated once.
 */
describe('several workers on one RabbitMQ (PostgreSQL + RabbitMQ)', () => {
  const servers = requireServers();
  const namespace = `kp-workers-${randomUUID().slice(0, 8)}`;
  const queue = `${namespace}${RECORDS_QUEUE_SUFFIX}`;
  let dataDir: string;
  let database: TestDatabase;
  let infra: Infrastructure;
  let app: INestApplication;
  let token: string;
  const workers: WorkerProcess[] = [];

  /** The channels consuming our records queue, by channel pid. */
  const consumerChannels = async (): Promise<string[]> => {
    const out = await rabbitmqctl(
      'list_consumers',
      '--quiet',
      '--no-table-headers',
      'queue_name',
      'channel_pid',
    );
    return out
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([name]) => name === queue)
      .map(([, pid]) => pid);
  };

  /** Messages each consumer channel of the records queue holds unacknowledged right now. */
  const unackedPerConsumer = async (): Promise<number[]> => {
    const channels = await consumerChannels();
    const out = await rabbitmqctl(
      'list_channels',
      '--quiet',
      '--no-table-headers',
      'pid',
      'messages_unacknowledged',
    );
    const unacked = new Map<string, number>();
    for (const line of out.split('\n')) {
      const [pid, count] = line.trim().split(/\s+/);
      if (pid) unacked.set(pid, Number(count));
    }
    return channels.map((pid) => unacked.get(pid) ?? 0);
  };

  /** Ready and unacknowledged messages of the records queue. */
  const queueCounts = async (): Promise<{ ready: number; unacked: number } | null> => {
    const out = await rabbitmqctl(
      'list_queues',
      '--quiet',
      '--no-table-headers',
      'name',
      'messages_ready',
      'messages_unacknowledged',
    );
    for (const line of out.split('\n')) {
      const [name, ready, unacked] = line.trim().split(/\s+/);
      if (name === queue) return { ready: Number(ready), unacked: Number(unacked) };
    }
    return null;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ketenpoort-workers-'));
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
    // School 99XX's calendar: the workers evaluate its registered pupils' records against it.
    await request(app.getHttpServer())
      .put('/v1/schools/99XX/calendar')
      .set('Authorization', `Bearer ${token}`)
      .send(exampleSchoolCalendar('99XX'))
      .expect(200);
    for (let i = 0; i < WORKERS; i++) {
      workers.push(
        startWorker({
          DATABASE_URL: database.url,
          AMQP_URL: servers.amqpUrl,
          BROKER_NAMESPACE: namespace,
          OUTBOX_POLL_MS: '50',
        }),
      );
    }
    // Every worker consumes before the first batch: the records queue exists, and RabbitMQ shares from the start.
    // Generous: a worker's start-up alone can take 20 s on a loaded machine.
    await waitFor(async () => ((await consumerChannels()).length === WORKERS ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 250,
      what: `${WORKERS} consumers on ${queue}`,
    });
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await app?.close();
    await infra?.close();
    if (infra) await deleteBrokerNamespace(infra.settings);
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A registered vo pupil of 99XX with 20 unauthorised lessons in one week, submitted as one batch. */
  const submitTruant = async (localId: string): Promise<string> => {
    const http = request(app.getHttpServer());
    await http
      .put(`/v1/pupils/${localId}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ school: '99XX', birthDate: '2008-03-10', sector: 'vo', enrolledFrom: '2023-08-21' })
      .expect((res) => assert.ok(res.status === 200 || res.status === 201, JSON.stringify(res.body)));
    const records = truancyRecords({
      localId,
      school: '99XX',
      vestiging: '01',
      prefix: localId,
      days: SEPTEMBER_WEEK,
    });
    const res = await http
      .post('/v1/records')
      .set('Authorization', `Bearer ${token}`)
      .send({ records })
      .expect(202);
    assert.equal(res.body.status, 'PROCESSED');
    return res.body.batchId as string;
  };

  const keyOf = (batchId: string): string => `${CANONICAL_RECORDS_CHANGED.type}:${batchId}:1`;

  /** How many of these messages' keys the evaluating consumer recorded (one row per key at most: the key). */
  const evaluatedKeys = async (keys: readonly string[]): Promise<number> =>
    Number(
      (
        await infra.dataSource.query<{ n: string }[]>(
          'SELECT count(*) AS n FROM processed_message WHERE consumer = $1 AND idempotency_key = ANY($2::text[])',
          [SIGNALS_CONSUMER, keys],
        )
      )[0].n,
    );

  /** The change messages the gateway wrote for these batches (one each), by message id. */
  const changeMessages = async (batchIds: readonly string[]): Promise<Map<string, string>> => {
    const rows = await infra.dataSource.query<{ message_id: string; idempotency_key: string }[]>(
      'SELECT message_id, idempotency_key FROM outbox WHERE type = $1 AND idempotency_key LIKE ANY($2::text[])',
      [CANONICAL_RECORDS_CHANGED.type, batchIds.map((id) => `${CANONICAL_RECORDS_CHANGED.type}:${id}:%`)],
    );
    return new Map(rows.map((r) => [r.message_id, r.idempotency_key]));
  };

  /** Signals (rule and status) and report drafts per pupil of a prefix. */
  const workOf = async (prefix: string): Promise<Map<string, { signals: string[]; drafts: number }>> => {
    const signals = await infra.dataSource.query<{ pupil_local_id: string; rule: string; status: string }[]>(
      'SELECT pupil_local_id, rule, status FROM signal WHERE pupil_local_id LIKE $1 ORDER BY rule',
      [`${prefix}-%`],
    );
    const drafts = await infra.dataSource.query<{ pupil_local_id: string; n: string }[]>(
      'SELECT pupil_local_id, count(*) AS n FROM report WHERE pupil_local_id LIKE $1 GROUP BY pupil_local_id',
      [`${prefix}-%`],
    );
    const work = new Map<string, { signals: string[]; drafts: number }>();
    const of = (localId: string) =>
      work.get(localId) ?? work.set(localId, { signals: [], drafts: 0 }).get(localId)!;
    for (const s of signals) of(s.pupil_local_id).signals.push(`${s.rule}/${s.status}`);
    for (const d of drafts) of(d.pupil_local_id).drafts = Number(d.n);
    return work;
  };

  /** What one worker makes of one truant pupil's batch (the crash-safety spec's single-worker result). */
  const ONE_EVALUATION = { signals: ['LPW_16H_4W/OPEN'], drafts: 1 };

  it('three workers share the records queue, and every change event is evaluated exactly once', async () => {
    const from = workers.map((w) => w.output().length);
    const pupils = Array.from({ length: SHARED_BATCHES }, (_, i) => `share-${i}`);
    const batchIds: string[] = [];
    for (const localId of pupils) batchIds.push(await submitTruant(localId));
    const keys = batchIds.map(keyOf);

    await waitFor(async () => ((await evaluatedKeys(keys)) === keys.length ? true : undefined), {
      timeoutMs: 60_000,
      what: `all ${keys.length} change events evaluated`,
    });
    await waitFor(async () => ((await queueDepth(queue)) === 0 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 250,
      what: 'records queue drained',
    });
    const messages = await changeMessages(batchIds);
    assert.equal(messages.size, SHARED_BATCHES, 'one change message per batch');
    // The log line follows the commit: wait until every message's evaluation was logged by some worker.
    const applied = await waitFor(
      () => {
        const perWorker = workers.map((w, i) =>
          evaluationsOf(w, from[i]).filter((e) => e.outcome === 'applied' && messages.has(e.messageId)),
        );
        const logged = new Set(perWorker.flat().map((e) => e.messageId));
        return Promise.resolve(logged.size === messages.size ? perWorker : undefined);
      },
      { timeoutMs: 30_000, what: 'every evaluation in some worker’s log' },
    );

    // Load sharing: every worker evaluated a part of the messages, in its own process.
    const shares = applied.map((list) => list.length);
    for (const [i, share] of shares.entries()) {
      assert.ok(share > 0, `worker ${i} evaluated none of the messages (shares ${shares.join(', ')})`);
    }
    // No double processing: each message applied by exactly one worker, exactly once; the shares add up.
    const timesApplied = new Map<string, number>();
    for (const e of applied.flat()) timesApplied.set(e.messageId, (timesApplied.get(e.messageId) ?? 0) + 1);
    expect([...timesApplied.values()].filter((n) => n !== 1)).toEqual([]);
    assert.equal(
      shares.reduce((a, b) => a + b, 0),
      SHARED_BATCHES,
    );
    assert.equal(await evaluatedKeys(keys), SHARED_BATCHES);
    // And the result is what one worker makes of them: per pupil one open signal and one draft, nothing twice.
    const work = await workOf('share');
    expect([...work.keys()].sort()).toEqual([...pupils].sort());
    for (const localId of pupils)
      expect({ localId, ...work.get(localId) }).toEqual({ localId, ...ONE_EVALUATION });
  });

  it('a worker killed (SIGKILL) while holding unacknowledged messages: the others finish them, each once', async () => {
    const from = workers.map((w) => w.output().length);
    const pupils = Array.from({ length: HELD_BATCHES }, (_, i) => `held-${i}`);
    const batchIds: string[] = [];
    const victim = workers[WORKERS - 1];
    const survivors = workers.slice(0, WORKERS - 1);

    // A slow database, played by a lock: every evaluation stops at its first look at processed_message, so every
    // delivered message stays unacknowledged in the worker that holds it, until the lock goes.
    const blocker = infra.dataSource.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    try {
      await blocker.query('LOCK TABLE processed_message IN ACCESS EXCLUSIVE MODE');
      for (const localId of pupils) batchIds.push(await submitTruant(localId));
      await waitFor(
        async () => {
          const counts = await queueCounts();
          return counts?.ready === 0 && counts.unacked === HELD_BATCHES ? true : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250, what: `all ${HELD_BATCHES} messages delivered and held` },
      );
      // Each worker has one consumer (channel) on the records queue: every one holds a share, the victim's too.
      const held = await unackedPerConsumer();
      assert.equal(held.length, WORKERS, `consumers holding messages: ${held.join(', ')}`);
      for (const n of held) assert.ok(n > 0, `a consumer holds no message (held ${held.join(', ')})`);
      assert.equal(
        held.reduce((a, b) => a + b, 0),
        HELD_BATCHES,
      );

      victim.child.kill('SIGKILL');
      await victim.exited;
      assert.equal(victim.child.signalCode, 'SIGKILL');
      // RabbitMQ saw the connection go: two consumers left, the victim's messages back in the queue for them.
      await waitFor(async () => ((await consumerChannels()).length === WORKERS - 1 ? true : undefined), {
        timeoutMs: 30_000,
        intervalMs: 250,
        what: 'the killed worker’s consumer gone',
      });
    } finally {
      await blocker.commitTransaction();
      await blocker.release();
    }

    const keys = batchIds.map(keyOf);
    await waitFor(async () => ((await evaluatedKeys(keys)) === keys.length ? true : undefined), {
      timeoutMs: 60_000,
      what: `all ${keys.length} held change events evaluated`,
    });
    await waitFor(async () => ((await queueDepth(queue)) === 0 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 250,
      what: 'records queue drained',
    });
    const messages = await changeMessages(batchIds);
    assert.equal(messages.size, HELD_BATCHES, 'one change message per batch');
    const applied = await waitFor(
      () => {
        const perWorker = survivors.map((w, i) =>
          evaluationsOf(w, from[i]).filter((e) => e.outcome === 'applied' && messages.has(e.messageId)),
        );
        const logged = new Set(perWorker.flat().map((e) => e.messageId));
        return Promise.resolve(logged.size === messages.size ? perWorker : undefined);
      },
      { timeoutMs: 30_000, what: 'every held message’s evaluation in a survivor’s log' },
    );

    // The victim evaluated nothing (it died waiting); the survivors evaluated all, the victim's share included.
    expect(evaluationsOf(victim, from[WORKERS - 1])).toEqual([]);
    const timesApplied = new Map<string, number>();
    for (const e of applied.flat()) timesApplied.set(e.messageId, (timesApplied.get(e.messageId) ?? 0) + 1);
    expect([...timesApplied.values()].filter((n) => n !== 1)).toEqual([]);
    assert.equal(timesApplied.size, HELD_BATCHES);
    assert.equal(await evaluatedKeys(keys), HELD_BATCHES);
    const work = await workOf('held');
    expect([...work.keys()].sort()).toEqual([...pupils].sort());
    for (const localId of pupils)
      expect({ localId, ...work.get(localId) }).toEqual({ localId, ...ONE_EVALUATION });
  });
});
