import type { Logger } from 'pino';
import type { EvaluateOptions, EvaluateSignalsUseCase } from '#application';
import type { Settings } from '#config';
import { CANONICAL_RECORDS_CHANGED, routingKeyOf } from '#domain';
import type { WorkerHandlers } from './microservice/worker.consumers.js';

/** The records queue is `<BROKER_NAMESPACE>.worker.records`. */
export const RECORDS_QUEUE_SUFFIX = '.worker.records';

interface Deps {
  readonly settings: Settings;
  readonly logger: Logger;
  /**
   * Re-evaluates the pupils whose records changed (the worker always runs the rules engine), made with
   * `recordsFaultOf(settings, logger)` as its options.
   */
  readonly signals: EvaluateSignalsUseCase;
}

export const recordsQueueOf = (settings: Pick<Settings, 'brokerNamespace'>): string =>
  `${settings.brokerNamespace}${RECORDS_QUEUE_SUFFIX}`;
export const RECORDS_ROUTING_KEYS = [routingKeyOf(CANONICAL_RECORDS_CHANGED)];

/**
 * The test-only fault before commit (`FAULT_INJECTION=exit-before-commit`, ADR 0003) for the signal evaluation of
 * a `canonical-records.changed` message: the worker exits inside the transaction that would record the message.
 */
export function recordsFaultOf(settings: Pick<Settings, 'faultInjection'>, logger: Logger): EvaluateOptions {
  const fault = settings.faultInjection;
  return fault === 'exit-before-commit' ? { beforeCommit: () => crash(logger, fault) } : {};
}

/**
 * The worker's records handler (a message handler of the worker microservice, ADR 0029). A message is
 * acknowledged only after its handler's promise resolved, so after the use case committed.
 */
export function recordsConsumerOf(deps: Deps): Pick<WorkerHandlers, 'recordsChanged'> {
  const fault = deps.settings.faultInjection;
  return {
    recordsChanged: async (envelope) => {
      // Counts only: pupil ids and signal contents stay out of the log.
      const outcome = await deps.signals.onRecordsChanged(envelope);
      deps.logger.info({ messageId: envelope.messageId, ...outcome }, 'signals re-evaluated');
      if (fault === 'exit-after-commit-before-ack' && outcome.outcome === 'applied')
        crash(deps.logger, fault);
    },
  };
}

function crash(logger: Logger, fault: string): never {
  logger.fatal({ fault }, 'fault injection: exiting without acknowledging');
  process.exit(70);
}
