import {
  type Actor,
  SIGNAL_RULES,
  SIGNAL_STATUSES,
  type SignalStatus,
  type SignalStore,
  type StoredSignal,
  ValidationError,
} from '#domain';
import { schoolInScope } from '../shared/school-day.js';
import { SIGNALS_ERRORS } from './signals-error-codes.js';

/** A school's stored signals, newest first, filtered by status and rule. */
export class ListSignalsUseCase {
  constructor(private readonly store: Pick<SignalStore, 'list'>) {}

  async execute(
    actor: Actor,
    school: string,
    filter: { status?: string; rule?: string },
  ): Promise<{ items: StoredSignal[] }> {
    const scope = schoolInScope(actor, 'read', school);
    if (filter.status !== undefined && !(SIGNAL_STATUSES as readonly string[]).includes(filter.status)) {
      throw new ValidationError(SIGNALS_ERRORS.FILTER_INVALID, 'Unknown signal status', [
        {
          field: 'status',
          code: SIGNALS_ERRORS.UNKNOWN_STATUS,
          message: `one of ${SIGNAL_STATUSES.join(', ')}`,
        },
      ]);
    }
    if (filter.rule !== undefined && !(SIGNAL_RULES as readonly string[]).includes(filter.rule)) {
      throw new ValidationError(SIGNALS_ERRORS.FILTER_INVALID, 'Unknown rule', [
        { field: 'rule', code: SIGNALS_ERRORS.UNKNOWN_RULE, message: `one of ${SIGNAL_RULES.join(', ')}` },
      ]);
    }
    const items = await this.store.list(scope, {
      ...(filter.status ? { status: filter.status as SignalStatus } : {}),
      ...(filter.rule ? { rule: filter.rule } : {}),
    });
    return { items };
  }
}
