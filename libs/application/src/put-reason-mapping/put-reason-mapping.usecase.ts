import {
  type Actor,
  type Clock,
  ForbiddenError,
  type QuarantineRepository,
  type ReasonMappingRepository,
  type RecordBatchRepository,
  type SourceRecord,
  ValidationError,
  requireBoardScope,
} from '#domain';
import { normalise, parseReasonMapping } from '#normalisation';
import { resolveSchool, requireKnownSystem } from '../ingest-payload/index.js';
import { batchReceivedEvent, withSchool } from '../shared/record-batch.helpers.js';

export interface PutReasonMappingCommand {
  readonly actor: Actor;
  readonly system: string;
  readonly school?: string;
  readonly mapping: unknown;
}

export interface PutReasonMappingResult {
  readonly school: string;
  readonly system: string;
  readonly version: string;
  /** Records quarantined for an unmapped reason, replayed with the new mapping. */
  readonly replay: {
    readonly resolved: number;
    readonly stillQuarantined: number;
    readonly batchId: string | null;
  };
}

const REPLAY_LIMIT = 10_000;

/**
 * A school publishes a new version of its reason mapping; records that waited in quarantine for an
 * unmapped reason are normalised again and stored, their quarantine entries resolved in the same transaction.
 */
export class PutReasonMappingUseCase {
  constructor(
    private readonly mappings: ReasonMappingRepository,
    private readonly quarantine: QuarantineRepository,
    private readonly batches: RecordBatchRepository,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  async execute(command: PutReasonMappingCommand): Promise<PutReasonMappingResult> {
    if (command.actor.role !== 'school_staff') {
      throw new ForbiddenError('ROLE_NOT_ALLOWED', 'Only school staff set reason mappings');
    }
    const scope = requireBoardScope(command.actor, 'write');
    const system = requireKnownSystem(command.system);
    const school = resolveSchool(command.actor, scope, command.school);
    const parsed = parseReasonMapping(command.mapping);
    if (!parsed.ok)
      throw new ValidationError('MAPPING_INVALID', 'The reason mapping was refused', parsed.issues);
    if (parsed.value.system !== system) {
      throw new ValidationError('MAPPING_SYSTEM_MISMATCH', 'The mapping is for another school system', [
        { field: 'system', code: 'MAPPING_SYSTEM_MISMATCH', message: `expected ${system}` },
      ]);
    }
    const now = this.clock.now();
    await this.mappings.save(
      scope,
      {
        school,
        system,
        version: parsed.value.version,
        mapping: command.mapping,
        createdBy: command.actor.subject,
      },
      now,
    );

    const open = await this.quarantine.listOpen(
      scope,
      { school, system, reason: 'UNMAPPED_REASON' },
      REPLAY_LIMIT,
    );
    const raws = await this.quarantine.rawOf(
      scope,
      open.map((entry) => entry.id),
    );
    const replayable = raws.filter((item) => isSourceRecord(item.raw));
    const output = normalise(
      replayable.map((item) => item.raw as SourceRecord),
      { mapping: parsed.value, lessons: [], bellSchedule: null },
    );
    const still = new Set(output.quarantined.map((item) => item.sourceId));
    const resolves = replayable
      .filter((item) => !still.has((item.raw as SourceRecord).sourceId))
      .map((item) => item.id);
    let batchId: string | null = null;
    // Also when every replayed item was dropped (e.g. a non-attendance code): the entries are resolved all the same.
    if (output.records.length > 0 || resolves.length > 0) {
      batchId = this.newId();
      const records = output.records.map((record) => withSchool(record, school));
      await this.batches.saveSubmitted(
        scope,
        {
          id: batchId,
          board: scope.board,
          submittedBy: command.actor.subject,
          receivedAt: now,
          records,
          school,
          sourceSystem: system,
          resolves,
        },
        batchReceivedEvent(batchId, scope.board, records.length),
      );
    }
    return {
      school,
      system,
      version: parsed.value.version,
      replay: {
        resolved: batchId ? resolves.length : 0,
        stillQuarantined: open.length - (batchId ? resolves.length : 0),
        batchId,
      },
    };
  }
}

function isSourceRecord(value: unknown): value is SourceRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['sourceSystem'] === 'string' &&
    typeof v['sourceId'] === 'string' &&
    typeof v['kind'] === 'string' &&
    typeof v['pupil'] === 'object'
  );
}
