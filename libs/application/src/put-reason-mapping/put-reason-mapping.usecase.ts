import {
  type Actor,
  type Clock,
  DEFAULT_RETENTION,
  type PolicyEngine,
  type Pupil,
  type PupilRegistry,
  type QuarantineRepository,
  type ReasonMappingRepository,
  type RecordBatchRepository,
  type SourceRecord,
  ValidationError,
  checkRetention,
  parseRetentionPeriod,
  requireBoardScope,
  shiftByPeriod,
  requireRole,
} from '#domain';
import { type ReasonMapping, normalise, parseReasonMapping } from '#normalisation';
import { resolveSchool, requireKnownSystem } from '../ingest-payload/index.js';
import type { PolicyResolver } from '../privacy-engine/index.js';
import { recordsChangedEvents, withSchool } from '../shared/record-batch.helpers.js';
import { PUT_REASON_MAPPING_ERRORS } from './put-reason-mapping-error-codes.js';

/** A reason mapping as a school publishes it: the document as sent (stored as it is) and what it says. */
export interface ReasonMappingUpload {
  readonly document: unknown;
  readonly mapping: ReasonMapping;
}

/**
 * Reads the body of `PUT /v1/mappings/{system}` (run by `CommandPipe`): a valid reason mapping
 * (`parseReasonMapping`), else `MAPPING_INVALID` with its issues. Pure: whether the mapping is for the system in
 * the path and the school in the caller's scope is the use case's to check.
 */
export function parseReasonMappingUpload(body: unknown): ReasonMappingUpload {
  const parsed = parseReasonMapping(body);
  if (!parsed.ok)
    throw new ValidationError(
      PUT_REASON_MAPPING_ERRORS.MAPPING_INVALID,
      'The reason mapping was refused',
      parsed.issues,
    );
  return { document: body, mapping: parsed.value };
}

export interface PutReasonMappingCommand {
  readonly actor: Actor;
  readonly system: string;
  readonly school?: string;
  readonly mapping: ReasonMappingUpload;
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
    /**
     * Items not replayed because retention came first: the pupil's data is past its period (and not on legal
     * hold), or the item waited longer than the quarantine period. They stay in quarantine for the retention
     * job; they are part of `stillQuarantined`.
     */
    readonly skippedPastRetention: number;
  };
}

/** What the replay needs to check retention first: the pupil registry and the policy in force. */
export interface ReplayRetention {
  readonly pupils: PupilRegistry;
  readonly policies: PolicyResolver;
  readonly engine: PolicyEngine;
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
    private readonly retention: ReplayRetention,
  ) {}

  async execute(command: PutReasonMappingCommand): Promise<PutReasonMappingResult> {
    requireRole(command.actor, ['school_staff'], 'Only school staff set reason mappings');
    const scope = requireBoardScope(command.actor, 'write');
    const system = requireKnownSystem(command.system);
    const school = resolveSchool(command.actor, scope, command.school);
    const mapping = command.mapping.mapping;
    if (mapping.system !== system) {
      throw new ValidationError(
        PUT_REASON_MAPPING_ERRORS.MAPPING_SYSTEM_MISMATCH,
        'The mapping is for another school system',
        [
          {
            field: 'system',
            code: PUT_REASON_MAPPING_ERRORS.MAPPING_SYSTEM_MISMATCH,
            message: `expected ${system}`,
          },
        ],
      );
    }
    const now = this.clock.now();
    await this.mappings.save(
      scope,
      {
        school,
        system,
        version: mapping.version,
        mapping: command.mapping.document,
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
    const expired = await this.pastRetention(
      scope.board,
      school,
      open.map((entry) => ({ id: entry.id, receivedAt: entry.receivedAt })),
      raws,
      now,
    );
    const replayable = raws.filter((item) => isSourceRecord(item.raw) && !expired.has(item.id));
    const output = normalise(
      replayable.map((item) => item.raw as SourceRecord),
      { mapping, lessons: [], bellSchedule: null },
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
        recordsChangedEvents(batchId, scope.board),
      );
    }
    return {
      school,
      system,
      version: mapping.version,
      replay: {
        resolved: batchId ? resolves.length : 0,
        stillQuarantined: open.length - (batchId ? resolves.length : 0),
        batchId,
        skippedPastRetention: expired.size,
      },
    };
  }

  /**
   * Ids of quarantined items retention forbids replaying (checkRetention first, as for every replay): of a
   * pupil whose data expired, or received longer ago than the quarantine period of the policy in force.
   */
  private async pastRetention(
    board: string,
    /** The mapping's school: its quarantined items are of that school's pupils (ADR 0017). */
    school: string,
    entries: readonly { readonly id: string; readonly receivedAt: string }[],
    raws: readonly { readonly id: string; readonly raw: unknown }[],
    now: Date,
  ): Promise<Set<string>> {
    const expired = new Set<string>();
    if (entries.length === 0) return expired;
    const policy = await this.retention.policies.inForce(board, now, { forDisclosure: false });
    const period = (category: string, sector?: string): string => {
      try {
        const value = this.retention.engine.retentionPeriod(
          policy.text,
          category,
          sector === undefined ? {} : { sector },
        );
        parseRetentionPeriod(value);
        return value;
      } catch {
        return DEFAULT_RETENTION[category] ?? DEFAULT_RETENTION['absence'];
      }
    };
    const quarantinePeriod = period('quarantine');
    for (const entry of entries) {
      if (shiftByPeriod(new Date(entry.receivedAt), quarantinePeriod).getTime() <= now.getTime())
        expired.add(entry.id);
    }
    const pupils = new Map<string, Pupil | null>();
    for (const item of raws) {
      if (expired.has(item.id) || !isSourceRecord(item.raw)) continue;
      const localId = item.raw.pupil.localId;
      if (typeof localId !== 'string') continue;
      if (!pupils.has(localId))
        pupils.set(localId, await this.retention.pupils.find({ board, schools: null }, localId, school));
      const pupil = pupils.get(localId);
      if (!pupil) continue;
      const verdict = checkRetention(
        { leftOn: pupil.leftOn, legalHold: pupil.legalHold !== null },
        now,
        period('absence', pupil.sector),
      );
      if (!verdict.keep) expired.add(item.id);
    }
    return expired;
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
