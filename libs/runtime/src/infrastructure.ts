import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { EvaluateSignalsUseCase, SendingPartyFieldSource, readAheadOn } from '#application';
import { type Settings, loadPrivacyKeys } from '#config';
import type {
  Clock,
  SignalEvaluator,
  HealthCheck,
  OutboxStore,
  PolicyEngine,
  QuarantineRepository,
  ReasonMappingRepository,
  RecordBatchRepository,
  TimetableRepository,
} from '#domain';
import type { ReleasedPayload } from '#privacy';
import { InProcessBroker, RabbitMqBroker, deleteRabbitMqTopology } from '#messaging';
import {
  EmbeddedPostgres,
  TypeOrmLeerplichtInbox,
  TypeOrmOutboxStore,
  TypeOrmQuarantineRepository,
  TypeOrmReasonMappingRepository,
  TypeOrmPupilRegistry,
  TypeOrmRecordBatchRepository,
  TypeOrmSchoolCalendarStore,
  TypeOrmSchoolSettingsStore,
  TypeOrmSignalStore,
  TypeOrmTimetableRepository,
  TypeOrmUnitOfWork,
  databaseHealthCheck,
  openDatabase,
} from '#persistence';
import { OutboxRelayLoop } from './outbox-relay.loop.js';
import {
  DELIVERY_ROUTING_KEYS,
  DeliveryLoop,
  type DeliveryServices,
  deliveryConsumerOf,
  deliveryQueueOf,
  openDeliveryServices,
} from './delivery.js';
import { type Outbound, outboundFromSettings } from './outbound.js';
import { type PrivacyServices, openPrivacyServices } from './retention.schedule.js';
import { openSendingPartyStore } from './sending-parties.js';
import { loadSignalEvaluator } from './rulepacks.js';
import type { ProcessContext } from './process-context.js';
import {
  RECORDS_ROUTING_KEYS,
  recordsConsumerOf,
  recordsFaultOf,
  recordsQueueOf,
} from './records.consumer.js';
import { PinoNestLogger, safeError } from './logger.js';
import { publisherOf, BrokerClient } from './microservice/broker.client.js';
import { startWorkerMicroservice } from './microservice/worker.microservice.js';
import type { WorkerHandlers } from './microservice/worker.consumers.js';

export const systemClock: Clock = { now: () => new Date() };

/** How long start-up waits for RabbitMQ before serving without it. */
const BROKER_CONNECT_WAIT_MS = 5_000;

type Broker = InProcessBroker | RabbitMqBroker;

/** Everything with I/O that a ketenpoort process needs, opened in order and closed in reverse. */
export interface Infrastructure extends ProcessContext {
  readonly databaseUrl: string;
  readonly broker: Broker;
  readonly batches: RecordBatchRepository;
  readonly outbox: OutboxStore;
  readonly mappings: ReasonMappingRepository;
  readonly quarantine: QuarantineRepository;
  /** Stored lessons and bell schedules per school (ADR 0009). */
  readonly timetables: TimetableRepository;
  readonly healthChecks: readonly HealthCheck[];
  /** The rules engine (rulepack bound inside); always there where the consumers run. */
  readonly signalEvaluator?: SignalEvaluator;
  readonly relay: OutboxRelayLoop;
  /**
   * The privacy side's services over this infrastructure, opened on first use and then shared by everything in
   * the process (dispatcher, retention, the gateway's privacy module) with the engine the options name: keys
   * and the startup policy load once.
   */
  privacy(): Promise<PrivacyServices>;
  /** The dispatcher and its timers, where the consumers run. */
  readonly delivery?: { readonly services: DeliveryServices; readonly loop: DeliveryLoop };
  close(): Promise<void>;
}

export interface InfrastructureOptions {
  /** Run the outbox relay in this process (several relays may run; SKIP LOCKED keeps them apart). */
  readonly relay: boolean;
  /** Subscribe the queue consumers (the worker's job) in this process. */
  readonly consumers: boolean;
  /** The privacy engine of the process; its composition root (a main, the CLI, a test harness) makes it. */
  readonly engine: PolicyEngine<ReleasedPayload>;
  readonly clock?: Clock;
  /**
   * Evaluates signals on `canonical-records.changed` (worker) and for the evaluate endpoint (gateway); default
   * where the consumers run: the shipped rulepacks (`loadSignalEvaluator(settings)`).
   */
  readonly signalEvaluator?: SignalEvaluator;
  /** Connectors and routing for the dispatcher; default: built from the delivery settings. */
  readonly outbound?: Outbound;
  /** Modules the process adds to the worker microservice (its timers), given the opened infrastructure. */
  readonly workerModules?: (infra: Infrastructure) => NonNullable<DynamicModule['imports']>;
}

export async function startInfrastructure(
  settings: Settings,
  logger: Logger,
  options: InfrastructureOptions,
): Promise<Infrastructure> {
  const clock = options.clock ?? systemClock;
  // Where the consumers run, the rules engine runs: the shipped rulepacks unless the caller passes one.
  const signalEvaluator =
    options.signalEvaluator ?? (options.consumers ? loadSignalEvaluator(settings) : undefined);
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        logger.warn({ err: safeError(error) }, 'error while shutting down');
      }
    }
    closers.length = 0;
  };

  try {
    let databaseUrl = settings.databaseUrl;
    if (databaseUrl === null) {
      const embedded = await EmbeddedPostgres.start(settings.dataDir);
      closers.push(() => embedded.stop());
      databaseUrl = embedded.url;
      logger.info({ dataDir: settings.dataDir }, 'embedded PostgreSQL (PGlite) started');
    }
    const dataSource = await openDatabase({ url: databaseUrl, poolSize: settings.databaseUrl ? 10 : 4 });
    closers.push(() => dataSource.destroy());

    const broker: Broker =
      settings.amqpUrl === null
        ? new InProcessBroker()
        : new RabbitMqBroker({
            url: settings.amqpUrl,
            exchange: `${settings.brokerNamespace}.events`,
            deadLetterExchange: `${settings.brokerNamespace}.dlx`,
            deadLetterQueue: `${settings.brokerNamespace}.dead-letter`,
            connectionName: settings.brokerNamespace,
            logger: logger.child({ component: 'broker' }),
          });
    if (broker instanceof RabbitMqBroker) {
      // A broker that is down must not keep the gateway from accepting work: batches wait in the outbox,
      // readiness says 'down', and the client keeps reconnecting in the background.
      await broker.connect({ timeoutMs: BROKER_CONNECT_WAIT_MS }).catch((error: unknown) => {
        logger.warn(
          { err: safeError(error) },
          'message broker not reachable yet; reconnecting in the background',
        );
      });
    }
    closers.push(() => broker.close());

    const batches = new TypeOrmRecordBatchRepository(dataSource);
    const outbox = new TypeOrmOutboxStore(dataSource);
    const mappings = new TypeOrmReasonMappingRepository(dataSource);
    const quarantine = new TypeOrmQuarantineRepository(dataSource);
    const timetables = new TypeOrmTimetableRepository(dataSource);

    // The worker's records queue, declared before the relay starts, so events wait there for a consumer.
    await broker.declareQueue(recordsQueueOf(settings), RECORDS_ROUTING_KEYS);
    let records: Pick<WorkerHandlers, 'recordsChanged'> | undefined;
    if (options.consumers) {
      const signals = new EvaluateSignalsUseCase(
        signalEvaluator ?? loadSignalEvaluator(settings),
        new TypeOrmSignalStore(dataSource),
        new TypeOrmUnitOfWork(dataSource),
        new TypeOrmPupilRegistry(dataSource, (await loadPrivacyKeys(settings)).pupilData),
        new TypeOrmSchoolCalendarStore(dataSource),
        new TypeOrmSchoolSettingsStore(dataSource),
        clock,
        randomUUID,
        {
          ...recordsFaultOf(settings, logger),
          readAhead: readAheadOn(settings.databaseUrl === null ? 'embedded' : 'server'),
        },
      );
      records = recordsConsumerOf({ settings, logger, signals });
    }

    // Approved reports wait in the dispatcher's queue until a dispatcher subscribes (this process or a worker).
    await broker.declareQueue(deliveryQueueOf(settings), DELIVERY_ROUTING_KEYS);

    // The relay publishes through the microservice client over the broker port (ADR 0029).
    const relay = new OutboxRelayLoop(
      outbox,
      publisherOf(new BrokerClient(broker)),
      clock,
      logger.child({ component: 'outbox-relay' }),
      {
        relayId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
        batchSize: settings.outbox.batchSize,
        leaseMs: settings.outbox.leaseMs,
        pollIntervalMs: settings.outbox.pollIntervalMs,
      },
    );
    if (options.relay) {
      relay.start();
      closers.push(() => relay.stop());
    }

    let privacy: Promise<PrivacyServices> | null = null;
    const infra: Infrastructure = {
      privacy: () =>
        (privacy ??= openPrivacyServices(infra, options.engine).catch((error: unknown) => {
          privacy = null;
          throw error;
        })),
      settings,
      logger,
      clock,
      dataSource,
      databaseUrl,
      broker,
      batches,
      outbox,
      mappings,
      quarantine,
      timetables,
      relay,
      healthChecks: [databaseHealthCheck(dataSource), broker.healthCheck()],
      ...(signalEvaluator ? { signalEvaluator } : {}),
      close: closeAll,
    };
    if (options.consumers && records) {
      // The dispatcher runs wherever the consumers run: approved reports → connectors (ADR 0011).
      const privacy = await infra.privacy();
      // Each board's DUO messages go out under that board's own sending party (ADR 0014).
      const parties = openSendingPartyStore(dataSource, privacy.keys);
      const outbound =
        options.outbound ??
        (await outboundFromSettings(settings, logger, new TypeOrmLeerplichtInbox(dataSource), {
          parties,
          clock,
        }));
      const services = openDeliveryServices(infra, privacy, outbound.connectors, outbound.router, {
        ...(outbound.random ? { random: outbound.random } : {}),
        fieldSource: new SendingPartyFieldSource(parties),
      });
      const loop = new DeliveryLoop(services, infra);
      // The consumers run as message handlers of the worker microservice on the broker transport (ADR 0029).
      const worker = await startWorkerMicroservice({
        broker,
        namespace: settings.brokerNamespace,
        handlers: {
          ...records,
          delivery: deliveryConsumerOf(services, logger.child({ component: 'dispatcher' })),
        },
        logger: new PinoNestLogger(logger.child({ component: 'worker' })),
        imports: options.workerModules?.({ ...infra, delivery: { services, loop } }),
      });
      closers.push(() => worker.close());
      loop.start();
      closers.push(async () => {
        await loop.stop();
        for (const connector of outbound.connectors) connector.close?.();
      });
      return { ...infra, delivery: { services, loop } };
    }
    return infra;
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * Removes a throwaway broker namespace (tests, demos) after its processes closed: the records queue, the
 * dead-letter queue and both exchanges. Nothing to do with the in-process broker.
 */
export async function deleteBrokerNamespace(settings: Settings): Promise<void> {
  if (settings.amqpUrl === null) return;
  const ns = settings.brokerNamespace;
  await deleteRabbitMqTopology(settings.amqpUrl, {
    queues: [recordsQueueOf(settings), deliveryQueueOf(settings), `${ns}.dead-letter`],
    exchanges: [`${ns}.events`, `${ns}.dlx`],
  });
}
