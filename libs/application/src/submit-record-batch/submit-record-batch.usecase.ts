import {
  type CanonicalRecord,
  type Clock,
  type PupilDirectory,
  type RecordBatchRepository,
  ValidationError,
  scopeCoversSchool,
} from '#domain';
import { recordsChangedEvents } from '../shared/record-batch.helpers.js';
import { placeRecords } from '../shared/pupil-scope.js';
import type { SubmitRecordBatchCommand } from './submit-record-batch.command.js';
import { SUBMIT_RECORD_BATCH_ERRORS } from './submit-record-batch-error-codes.js';

export interface SubmittedBatch {
  readonly batchId: string;
  readonly recordCount: number;
  /** Stored and processed in one transaction; signal evaluation follows the batch's change events. */
  readonly status: 'PROCESSED';
}

export class SubmitRecordBatchUseCase {
  constructor(
    private readonly batches: RecordBatchRepository,
    private readonly clock: Clock,
    private readonly newId: () => string,
    /** Where pupils are registered (ADR 0017); without it a record needs a school in the scope. */
    private readonly pupils?: PupilDirectory,
  ) {}

  async execute(command: SubmitRecordBatchCommand): Promise<SubmittedBatch> {
    const records = await this.place(command);
    const batchId = this.newId();
    await this.batches.saveSubmitted(
      command.scope,
      {
        id: batchId,
        board: command.scope.board,
        submittedBy: command.actor.subject,
        receivedAt: this.clock.now(),
        records,
      },
      recordsChangedEvents(batchId, command.scope.board),
    );
    return { batchId, recordCount: records.length, status: 'PROCESSED' };
  }

  /** Every record with its pupil's school; the whole batch refused when one points outside the scope. */
  private async place(command: SubmitRecordBatchCommand): Promise<readonly CanonicalRecord[]> {
    const { scope, records } = command;
    if (!this.pupils) {
      const issues = records.flatMap((record, i) =>
        scopeCoversSchool(scope, record.school?.brin)
          ? []
          : [
              {
                field: `records[${i}].school.brin`,
                code: SUBMIT_RECORD_BATCH_ERRORS.SCHOOL_OUT_OF_SCOPE,
                message: 'The school is not one of the schools this token may write for',
              },
            ],
      );
      if (issues.length > 0) throw refused(issues);
      return records;
    }
    const { placed, refused: out } = await placeRecords(this.pupils, scope, records);
    if (out.length > 0) throw refused(out.map((r) => r.issue));
    return placed;
  }
}

function refused(issues: ValidationError['issues']): ValidationError {
  return new ValidationError(
    SUBMIT_RECORD_BATCH_ERRORS.RECORD_BATCH_INVALID,
    'The batch was refused; nothing was stored',
    issues,
  );
}
