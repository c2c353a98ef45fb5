import {
  type Clock,
  type Envelope,
  RECORD_BATCH_RECEIVED,
  type RecordBatchReceivedV1,
  type RecordBatchRepository,
  ValidationError,
} from '#domain';
import { PROCESS_RECORD_BATCH_ERRORS } from './process-record-batch-error-codes.js';

export const RECORDS_CONSUMER = 'worker.records';

export interface ProcessOptions {
  /** Test-only fault injection: runs inside the transaction, just before commit. */
  readonly beforeCommit?: () => void;
}

/** The worker's step for a received batch. Idempotent: a redelivered message changes nothing. */
export class ProcessRecordBatchUseCase {
  constructor(
    private readonly batches: RecordBatchRepository,
    private readonly clock: Clock,
    private readonly options: ProcessOptions = {},
  ) {}

  async execute(envelope: Envelope): Promise<'processed' | 'duplicate'> {
    if (envelope.type !== RECORD_BATCH_RECEIVED.type || envelope.version !== RECORD_BATCH_RECEIVED.version) {
      throw new ValidationError(
        PROCESS_RECORD_BATCH_ERRORS.UNSUPPORTED_MESSAGE,
        `Unsupported message ${envelope.type} v${envelope.version}`,
      );
    }
    const payload = envelope.payload as Partial<RecordBatchReceivedV1>;
    if (typeof payload.batchId !== 'string') {
      throw new ValidationError(
        PROCESS_RECORD_BATCH_ERRORS.MESSAGE_INVALID,
        'records.batch-received without batchId',
      );
    }
    return this.batches.markProcessed(
      payload.batchId,
      RECORDS_CONSUMER,
      envelope.idempotencyKey,
      this.clock.now(),
      this.options.beforeCommit,
    );
  }
}
