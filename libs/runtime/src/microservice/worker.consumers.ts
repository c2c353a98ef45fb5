import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  CANONICAL_RECORDS_CHANGED,
  DELIVERY_DUE,
  type Envelope,
  type MessageHandler,
  REPORT_APPROVED,
  routingKeyOf,
} from '#domain';
import { BROKER_TRANSPORT, type BrokerPatternExtras } from './broker.transport.js';

/** Every worker event carries an envelope. */
type WorkerEvents = Record<string, Envelope>;

/** The worker's logical queues; on the broker `<BROKER_NAMESPACE>.<queue>`. */
export const WORKER_QUEUES = {
  records: 'worker.records',
  delivery: 'worker.delivery',
} as const;

const RECORDS: BrokerPatternExtras = { queue: WORKER_QUEUES.records };
const DELIVERY: BrokerPatternExtras = { queue: WORKER_QUEUES.delivery };

/** What the worker's message handlers do, built from the opened infrastructure (records and delivery). */
export interface WorkerHandlers {
  /** `canonical-records.changed.v1` on the records queue: signal evaluation. */
  readonly recordsChanged: MessageHandler;
  /** `reports.approved.v1` and `reports.delivery-due.v1` on the delivery queue: the dispatcher. */
  readonly delivery: MessageHandler;
}

export const WORKER_HANDLERS = Symbol('WorkerHandlers');

/**
 * The worker's consumers as Nest message handlers of the broker transport. Each method's promise settles
 * when the work committed; the transport hands that to the broker, which acks only then.
 */
@Controller()
export class WorkerConsumers {
  constructor(@Inject(WORKER_HANDLERS) private readonly handlers: WorkerHandlers) {}

  @EventPattern<WorkerEvents>(routingKeyOf(CANONICAL_RECORDS_CHANGED), BROKER_TRANSPORT, RECORDS)
  onRecordsChanged(@Payload() envelope: Envelope): Promise<void> {
    return this.handlers.recordsChanged(envelope);
  }

  @EventPattern<WorkerEvents>(routingKeyOf(REPORT_APPROVED), BROKER_TRANSPORT, DELIVERY)
  onReportApproved(@Payload() envelope: Envelope): Promise<void> {
    return this.handlers.delivery(envelope);
  }

  @EventPattern<WorkerEvents>(routingKeyOf(DELIVERY_DUE), BROKER_TRANSPORT, DELIVERY)
  onDeliveryDue(@Payload() envelope: Envelope): Promise<void> {
    return this.handlers.delivery(envelope);
  }
}

/** The worker microservice's root module: the consumers, plus whatever modules the process adds (timers). */
@Module({})
export class WorkerMicroserviceModule {
  static forRoot(
    handlers: WorkerHandlers,
    imports: NonNullable<DynamicModule['imports']> = [],
  ): DynamicModule {
    return {
      module: WorkerMicroserviceModule,
      imports,
      controllers: [WorkerConsumers],
      providers: [{ provide: WORKER_HANDLERS, useValue: handlers }],
    };
  }
}
