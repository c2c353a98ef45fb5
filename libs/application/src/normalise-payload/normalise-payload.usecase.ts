import {
  type AdapterOutput,
  type CanonicalRecord,
  type Lesson,
  type QuarantinedInput,
  type SourceAdapter,
  ValidationError,
} from '#domain';
import { type BellSlot, type ReasonMapping, normalise } from '#normalisation';

export interface NormalisePayloadCommand {
  readonly adapter: SourceAdapter;
  readonly payload: string;
  /** The school's reason mapping for this system; null: the system's fallback rules only. */
  readonly mapping: ReasonMapping | null;
  /** A timetable payload (Zermelo appointments, Magister or SOMtoday afspraken) and its adapter. */
  readonly timetable: { readonly adapter: SourceAdapter; readonly payload: string } | null;
  readonly bellSchedule: readonly BellSlot[] | null;
  /** The source's pupil id when only the transport knows it (Magister, SOMtoday overview). */
  readonly pupilId?: string;
}

export interface NormalisedPayload {
  readonly records: readonly CanonicalRecord[];
  readonly lessons: readonly Lesson[];
  readonly quarantined: readonly QuarantinedInput[];
}

/**
 * One source payload → canonical records: the single path the CLI and the ingest endpoint share.
 * Pure: the caller reads files or request bodies and stores the result.
 */
export class NormalisePayloadUseCase {
  execute(command: NormalisePayloadCommand): NormalisedPayload {
    return this.normaliseParsed(this.parse(command), command);
  }

  /** Step one: the adapter reads the payload (and the timetable payload, if any). */
  parse(command: Omit<NormalisePayloadCommand, 'bellSchedule'>): AdapterOutput {
    if (command.mapping !== null && command.mapping.system !== command.adapter.system) {
      throw new ValidationError(
        'MAPPING_SYSTEM_MISMATCH',
        'The reason mapping is for another school system',
        [
          {
            field: 'mapping.system',
            code: 'MAPPING_SYSTEM_MISMATCH',
            message: `expected ${command.adapter.system}`,
          },
        ],
      );
    }
    const context = command.pupilId === undefined ? undefined : { pupilId: command.pupilId };
    const parsed: AdapterOutput = command.adapter.parse(command.payload, context);
    const timetable: AdapterOutput | null = command.timetable
      ? command.timetable.adapter.parse(command.timetable.payload, context)
      : null;
    if (timetable === null) return parsed;
    return {
      records: parsed.records,
      lessons: [...parsed.lessons, ...timetable.lessons],
      quarantined: [...parsed.quarantined, ...timetable.quarantined],
    };
  }

  /**
   * Step two: normalisation with the payload's lessons, plus `storedLessons` (a timetable stored earlier, as the
   * ingest path loads it) and the bell schedule. `lessons` of the result are the payload's own.
   */
  normaliseParsed(
    parsed: AdapterOutput,
    context: {
      readonly mapping: ReasonMapping | null;
      readonly bellSchedule: readonly BellSlot[] | null;
      readonly storedLessons?: readonly Lesson[];
    },
  ): NormalisedPayload {
    const stored = context.storedLessons ?? [];
    const normalised = normalise(parsed.records, {
      mapping: context.mapping,
      lessons: stored.length === 0 ? parsed.lessons : [...parsed.lessons, ...stored],
      bellSchedule: context.bellSchedule,
    });
    return {
      records: normalised.records,
      lessons: parsed.lessons,
      quarantined:
        normalised.quarantined.length === 0
          ? parsed.quarantined
          : [...parsed.quarantined, ...normalised.quarantined],
    };
  }
}
