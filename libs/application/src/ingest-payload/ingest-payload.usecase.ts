import {
  type Actor,
  type Clock,
  DomainError,
  type QuarantinedInput,
  type ReasonMappingRepository,
  type RecordBatchRepository,
  type SourceAdapter,
  type SourceSystemId,
  ValidationError,
  requireBoardScope,
} from '#domain';
import { type ReasonMapping, parseReasonMapping } from '#normalisation';
import { NormalisePayloadUseCase } from '../normalise-payload/index.js';
import { batchReceivedEvent, withSchool } from '../shared/record-batch.helpers.js';
import { requireKnownSystem, resolveSchool } from './resolve-school.js';

export interface IngestPayloadCommand {
  readonly actor: Actor;
  readonly system: string;
  /** BRIN; optional for integration clients and for staff of one school. */
  readonly school?: string;
  readonly payload: string;
  /** The source's pupil id, for payloads that name it only in their URL (Magister, SOMtoday overview). */
  readonly pupil?: string;
}

export interface IngestResult {
  readonly batchId: string;
  readonly status: 'RECEIVED';
  readonly recordCount: number;
  readonly quarantinedCount: number;
  /** What was quarantined and why; the raw items stay in the school's store for replay. */
  readonly quarantined: readonly { sourceId: string | null; reason: string; detail: string }[];
  readonly mapping: { readonly version: string } | null;
}

/**
 * A raw school-system payload in, stored canonical records and quarantine out: the same normalisation
 * as the CLI, with the school's current reason mapping, in one transaction with its outbox event.
 */
export class IngestPayloadUseCase {
  private readonly normalise = new NormalisePayloadUseCase();

  constructor(
    private readonly batches: RecordBatchRepository,
    private readonly mappings: ReasonMappingRepository,
    private readonly adapterFor: (system: SourceSystemId) => SourceAdapter,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  async execute(command: IngestPayloadCommand): Promise<IngestResult> {
    const scope = requireBoardScope(command.actor, 'write');
    const system = requireKnownSystem(command.system);
    if (command.actor.role === 'integration_client' && command.actor.system !== system) {
      throw new ValidationError('SYSTEM_OUT_OF_SCOPE', 'An integration client may only send its own system', [
        {
          field: 'system',
          code: 'SYSTEM_OUT_OF_SCOPE',
          message: 'not the system of this integration client',
        },
      ]);
    }
    const school = resolveSchool(command.actor, scope, command.school);
    if (command.payload.trim() === '') {
      throw new ValidationError('PAYLOAD_EMPTY', 'The payload is empty', [
        { field: 'body', code: 'PAYLOAD_EMPTY', message: 'send the school system payload as the body' },
      ]);
    }
    const stored = await this.mappings.current(scope, school, system);
    const mapping = stored ? toMapping(stored.mapping) : null;
    const result = this.normalise.execute({
      adapter: this.adapterFor(system),
      payload: command.payload,
      mapping,
      timetable: null,
      bellSchedule: null,
      pupilId: command.pupil,
    });
    const records = result.records.map((record) => withSchool(record, school));
    const batchId = this.newId();
    await this.batches.saveSubmitted(
      scope,
      {
        id: batchId,
        board: scope.board,
        submittedBy: command.actor.subject,
        receivedAt: this.clock.now(),
        records,
        quarantined: result.quarantined,
        school,
        sourceSystem: system,
      },
      batchReceivedEvent(batchId, scope.board, records.length),
    );
    return {
      batchId,
      status: 'RECEIVED',
      recordCount: records.length,
      quarantinedCount: result.quarantined.length,
      quarantined: result.quarantined.map(summary),
      mapping: stored ? { version: stored.version } : null,
    };
  }
}

function summary(item: QuarantinedInput): { sourceId: string | null; reason: string; detail: string } {
  return { sourceId: item.sourceId, reason: item.reason, detail: item.detail };
}

/** A stored mapping was validated when saved; failing now means the store was altered. */
export function toMapping(value: unknown): ReasonMapping {
  const parsed = parseReasonMapping(value);
  if (!parsed.ok)
    throw new DomainError('STORED_MAPPING_INVALID', 'internal', 'A stored reason mapping is invalid');
  return parsed.value;
}
