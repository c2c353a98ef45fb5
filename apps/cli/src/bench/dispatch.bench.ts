import { spawn } from 'node:child_process';
import { storeDraftedReports } from '#application';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadPrivacyKeys, loadSettings, processEnv } from '#config';
import {
  DELIVERY_DUE,
  type Envelope,
  type NewReport,
  type PolicyEngine,
  REPORT_APPROVED,
  pupilPseudonym,
  routingKeyOf,
} from '#domain';
import type { ReleasedPayload } from '#privacy';
import { InProcessBroker } from '#messaging';
import { measureRawRabbitMqRate, type RawBrokerRate } from '#messaging/bench';
import { TypeOrmPupilRegistry, TypeOrmUnitOfWork } from '#persistence';
import { createLogger, deleteBrokerNamespace, startInfrastructure } from '#runtime';
import { UsageError } from '../commands/read-input.js';

/** The chain simulator's entry, next to this app in dist/ (run as its own process: no app imports another). */
const SIMULATOR_MAIN = fileURLToPath(new URL('../../../chain-simulator/src/main.js', import.meta.url));
const SCHOOL = '99XX';
const SLICE = 500;

interface SimulatorReady {
  readonly duoUrl: string;
  readonly url: string;
  readonly pkiDir: string;
  readonly clientOin: string;
}

async function startSimulator(pkiDir: string): Promise<{ ready: SimulatorReady; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [SIMULATOR_MAIN], {
    env: { PATH: processEnv()['PATH'] ?? '', CHAIN_SIM_PKI_DIR: pkiDir, CHAIN_SIM_MUNICIPALITIES: 'none' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise<SimulatorReady>((resolve, reject) => {
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line) as SimulatorReady);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.once('exit', (code) => reject(new Error(`chain simulator exited with ${code}`)));
  });
  return {
    ready,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The in-process broker's own rate for the same envelopes: publish → queue → consumer, nothing else. */
async function measureInProcessRate(messages: number, envelope: Envelope): Promise<RawBrokerRate> {
  const broker = new InProcessBroker();
  let received = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  await broker.subscribe({
    queue: 'bench.raw',
    routingKeys: [routingKeyOf(envelope)],
    handler: () => {
      received += 1;
      if (received === messages) resolveDone();
      return Promise.resolve();
    },
  });
  const started = process.hrtime.bigint();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < messages; i++) pending.push(broker.publish({ ...envelope, messageId: randomUUID() }));
  await Promise.all(pending);
  await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    messages,
    seconds,
    messagesPerSecond: messages / seconds,
    how: 'in-process broker publish → consume',
  };
}

/**
 * An approved 16-hour report as an approval leaves it (16 lesson hours, 15–18 September 2025, school 99XX), for
 * the benchmark and for the delivery tests that start from approved reports.
 */
export function approvedBenchReport(
  board: string,
  localId: string,
  at: Date,
  options: { readonly id?: string; readonly school?: string } = {},
): NewReport {
  const id = options.id ?? randomUUID();
  const school = options.school ?? SCHOOL;
  return {
    id,
    kind: '16U_MINDERJARIG',
    status: 'APPROVED',
    fields: {
      'absence.kind': '16U_MINDERJARIG',
      'absence.beginDate': '2025-09-15',
      'absence.endDate': '2025-09-18',
      'absence.hours': 16,
      'absence.days': 4,
      'absence.perDay': [
        { date: '2025-09-15', lessonHours: [1, 2, 3, 4] },
        { date: '2025-09-16', lessonHours: [1, 2, 3, 4] },
        { date: '2025-09-17', lessonHours: [1, 2, 3, 4] },
        { date: '2025-09-18', lessonHours: [1, 2, 3, 4] },
      ],
      'absence.allLessonsMissed': false,
      'school.brin': school,
      'pupil.birthDate': '2011-05-17',
    },
    action: 'REPORT',
    supersedes: null,
    board,
    school,
    pupil: { localId },
    signalId: `sig-${id}`,
    rule: 'LPW_16H_4W',
    mandatory: true,
    deadline: null,
    decidedBy: 'bench',
    decidedAt: at.toISOString(),
    dismissReason: null,
  };
}

/**
 * `bench dispatch`: approved reports through the whole delivery path: approval + outbox event (one transaction)
 * → relay → broker → dispatcher (retention check, privacy decision, BSN from the registry) → DUO connector over
 * two-way TLS → the chain simulator → REGISTERED with DUO's number, audited. Timed from the first approval to
 * the last registration. Engine limit: the broker's raw publish-with-confirms + consume rate for messages of
 * the same size, measured in the same run (RabbitMQ with AMQP_URL, else the in-process broker). Point
 * DATABASE_URL at a scratch database: the run writes audit entries that cannot be removed.
 */
export async function runDispatchBench(
  recordsOption: string | undefined,
  engine: PolicyEngine<ReleasedPayload>,
): Promise<number> {
  const records = Number(recordsOption ?? 2_000);
  if (!Number.isInteger(records) || records < 1) throw new UsageError('--records must be a positive integer');
  const dataDir = await mkdtemp(join(tmpdir(), 'ketenpoort-bench-dispatch-'));
  const simulator = await startSimulator(join(dataDir, 'pki'));
  const routing = join(dataDir, 'routing.yaml');
  await writeFile(
    routing,
    `version: bench\ndoorstroompunt: { minAge: 18, maxAge: 23 }\nbodies: []\narrangements: []\nmunicipalities: []\n`,
  );
  const base = processEnv();
  const { ready } = simulator;
  const settings = loadSettings({
    ...(base['DATABASE_URL'] ? { DATABASE_URL: base['DATABASE_URL'] } : {}),
    ...(base['AMQP_URL'] ? { AMQP_URL: base['AMQP_URL'] } : {}),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    BROKER_NAMESPACE: `kp-bench-${randomUUID().slice(0, 8)}`,
    OUTBOX_POLL_MS: '10',
    OUTBOX_BATCH_SIZE: '500',
    DUO_ENDPOINT_URL: ready.duoUrl,
    DUO_CLIENT_CERT: join(ready.pkiDir, 'client-cert.pem'),
    DUO_CLIENT_KEY: join(ready.pkiDir, 'client-key.pem'),
    DUO_CA: join(ready.pkiDir, 'ca.pem'),
    SCHOOL_OIN: ready.clientOin,
    LEERPLICHT_ROUTING: routing,
    DUO_STATUS_POLL_MS: '0',
    DELIVERY_SWEEP_MS: '1000',
    RETENTION_INTERVAL_MS: '0',
  });
  const infra = await startInfrastructure(settings, createLogger(settings), {
    relay: true,
    consumers: true,
    engine,
  });
  const board = `BENCH-${randomUUID().slice(0, 8)}`;
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    const keys = await loadPrivacyKeys(settings);
    const at = new Date();
    await new TypeOrmPupilRegistry(infra.dataSource, keys.pupilData).upsert(
      { board, schools: null },
      'bench-pupil',
      { school: SCHOOL, birthDate: '2011-05-17', sector: 'vo', enrolledFrom: '2023-08-21', bsn: '111222333' },
      pupilPseudonym(keys.pseudonym, board, 'bench-pupil'),
      at,
    );
    const drafts = Array.from({ length: records }, () => approvedBenchReport(board, 'bench-pupil', at));
    const reports = new TypeOrmUnitOfWork(infra.dataSource);
    const started = process.hrtime.bigint();
    for (let i = 0; i < drafts.length; i += SLICE) {
      await reports.run((tx) => storeDraftedReports(tx, drafts.slice(i, i + SLICE), at));
    }
    for (;;) {
      const rows: { n: string }[] = await infra.dataSource.query(
        `SELECT count(*) AS n FROM report WHERE board = $1 AND status = 'REGISTERED'`,
        [board],
      );
      if (Number(rows[0].n) >= records) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const failures: { n: string }[] = await infra.dataSource.query(
      `SELECT count(*) AS n FROM report_delivery WHERE board = $1 AND destination = 'DUO' AND attempts > 1`,
      [board],
    );
    const stats = (await (await fetch(`${ready.url}/admin/duo/stats`)).json()) as Record<string, unknown>;
    const sampleEnvelope: Envelope = {
      ...DELIVERY_DUE,
      messageId: randomUUID(),
      idempotencyKey: `${REPORT_APPROVED.type}:${randomUUID()}`,
      occurredAt: at.toISOString(),
      payload: { board, reportId: randomUUID() },
    };
    const envelopeBytes = Buffer.byteLength(JSON.stringify(sampleEnvelope));
    const reference =
      settings.amqpUrl !== null
        ? await measureRawRabbitMqRate(settings.amqpUrl, records, envelopeBytes)
        : await measureInProcessRate(records, sampleEnvelope);
    const recordsPerSecond = records / seconds;
    const result = {
      scenario: 'dispatch',
      records,
      seconds: Math.round(seconds * 1000) / 1000,
      recordsPerSecond: Math.round(recordsPerSecond),
      engineLimitRecordsPerSecond: Math.round(reference.messagesPerSecond),
      ratio: Number((recordsPerSecond / reference.messagesPerSecond).toPrecision(3)),
      peakRssMb: Math.round(peakRss / 1024 / 1024),
      mode: `${settings.databaseUrl ? 'postgresql' : 'pglite'}+${settings.amqpUrl ? 'rabbitmq' : 'in-process'}`,
      engineLimit: reference.how,
      envelopeBytes,
      registeredAtDuo: stats['registered'],
      duplicateRegistrations: stats['duplicateRegistrations'],
      retried: Number(failures[0].n),
    };
    process.stdout.write(JSON.stringify(result) + '\n');
    return 0;
  } finally {
    clearInterval(sample);
    await infra.close();
    await deleteBrokerNamespace(settings).catch(() => undefined);
    await simulator.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
