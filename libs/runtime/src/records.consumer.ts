import type { Logger } from 'pino';
import { type EvaluateSignalsUseCase, ProcessRecordBatchUseCase } from '#application';
import type { Settings } from '#config';
import {
  CANONICAL_RECORDS_CHANGED,
  type Clock,
  RECORD_BATCH_RECEIVED,
  type RecordBatchRepository,
  routingKeyOf,
} from '#domain';
import type { WorkerHandlers } from './microservice/worker.consumers.js';

/** The records queue is `<BROKER_NAMESPACE>.worker.records`. */
export const RECORDS_QUEUE_SUFFIX = '.worker.records';

interface Deps {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly batches: RecordBatchRepository;
  /** Re-evaluates the pupils whose records changed (the worker always runs the rules engine). */
  readonly signals: EvaluateSignalsUseCase;
}

export const recordsQueueOf = (settings: Pick<Settings, 'brokerNamespace'>): string =>
  `${settings.brokerNamespace}${RECORDS_QUEUE_SUFFIX}`;
export const RECORDS_ROUTING_KEYS = [
  routingKeyOf(RECORD_BATCH_RECEIVED),
  routingKeyOf(CANONICAL_RECORDS_CHANGED),
];

/**
 * The worker's records handlers (message handlers of the worker microservice, ADR 0029). A message is
 * acknowledged only after its handler's promise resolved, so after the use case committed.
 */
export function recordsConsumerOf(
  deps: Omit<Deps, 'broker'>,
): Pick<WorkerHandlers, 'recordBatchReceived' | 'recordsChanged'> {
  const fault = deps.settings.faultInjection;
  const useCase = new ProcessRecordBatchUseCase(deps.batches, deps.clock, {
    beforeCommit: fault === 'exit-before-commit' ? () => crash(deps.logger, fault) : undefined,
  });
  return {
    recordsChanged: async (envelope) => {
      // Counts only: pupil ids and signal contents stay out of the log.
      const outcome = await deps.signals.onRecordsChanged(envelope);
      deps.logger.info({ messageId: envelope.messageId, ...outcome }, 'signals re-evaluated');
    },
    recordBatchReceived: async (envelope) => {
      const outcome = await useCase.execute(envelope);
      deps.logger.info({ messageId: envelope.messageId, outcome }, 'record batch message handled');
      if (fault === 'exit-after-commit-before-ack' && outcome === 'processed') crash(deps.logger, fault);
    },
  };
}

function crash(logger: Logger, fault: string): never {
  logger.fatal({ fault }, 'fault injection: exiting without acknowledging');
  process.exit(70);
}
