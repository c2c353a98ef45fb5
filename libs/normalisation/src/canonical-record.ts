// The canonical record (contracts §2) of a source item, built by a factory that lives for one normalise call.
import type { Category, LegalClass, SourceRecord } from '#domain';
import { dateKeyOfDay, formatLocal } from './amsterdam-time.js';
import type { MappingSource } from './categorise.js';
import type { Draft } from './drafts.js';
import { normaliseReasonCode } from './reason-mapping.js';

/** The mapping of every record the fallback rules (or the timetable) categorised: one frozen object. */
export const FALLBACK_MAPPING: MappingSource = Object.freeze({ source: 'fallback' });

/** The fields that place a record in time, as `RecordFactory.draft` takes them. */
export interface DraftPlace {
  readonly recordId: string;
  readonly day: number;
  readonly startMs: number | null;
  readonly endMs: number | null;
  readonly wholeDay: boolean;
  readonly lessonHourFrom: number | null;
  readonly lessonHourTo: number | null;
}

/**
 * Builds the canonical records of one normalise call. It shares what records may share — the frozen `mapping`
 * object per version, the output `pupil` of consecutive records of one pupil — so that a batch holds fewer
 * objects; what it remembers for that lives as long as the factory (one call), never in the module.
 */
export class RecordFactory {
  private readonly schoolMappings = new Map<string, MappingSource>();
  private lastPupil: { readonly localId: string } = { localId: '' };

  /** Mapping objects are shared between records (frozen): one per version instead of one per record. */
  mappingOf(mapping: MappingSource): MappingSource {
    if (mapping.source === 'fallback') return FALLBACK_MAPPING;
    const version = mapping.version ?? '';
    let shared = this.schoolMappings.get(version);
    if (shared === undefined) {
      shared = Object.freeze({ source: 'school', version });
      this.schoolMappings.set(version, shared);
    }
    return shared;
  }

  /**
   * The output pupil of consecutive records of the same pupil is one shared object (a payload mostly holds runs
   * of one pupil's records): fewer objects that outlive the batch. Output records are never mutated.
   */
  pupilOf(localId: string): { readonly localId: string } {
    if (this.lastPupil.localId !== localId) this.lastPupil = { localId };
    return this.lastPupil;
  }

  /** A canonical record (contracts §2, fields in contract order) of a source item; `explainedBy` comes later. */
  draft(
    r: SourceRecord,
    f: DraftPlace,
    category: Category,
    legalClass: LegalClass,
    mapping: MappingSource,
    missedMinutes: number | null,
    missedLessons: number | null,
  ): Draft {
    return this.draftOf(
      r,
      f.recordId,
      f.day,
      f.startMs,
      f.endMs,
      f.wholeDay,
      f.lessonHourFrom,
      f.lessonHourTo,
      category,
      legalClass,
      mapping,
      missedMinutes,
      missedLessons,
    );
  }

  /** `draft` with the record's fields as arguments (no fields object per record). */
  draftOf(
    r: SourceRecord,
    recordId: string,
    day: number,
    startMs: number | null,
    endMs: number | null,
    wholeDay: boolean,
    lessonHourFrom: number | null,
    lessonHourTo: number | null,
    category: Category,
    legalClass: LegalClass,
    mapping: MappingSource,
    missedMinutes: number | null,
    missedLessons: number | null,
  ): Draft {
    const leerlingnummer = r.pupil.leerlingnummer;
    const school = r.school;
    let schoolOut: { brin?: string; vestiging?: string } | null = null;
    if (school !== null && school !== undefined) {
      schoolOut = {};
      if (school.brin !== undefined) schoolOut.brin = school.brin;
      if (school.vestiging !== undefined) schoolOut.vestiging = school.vestiging;
    }
    return {
      recordId,
      sourceSystem: r.sourceSystem,
      sourceRecordType: r.sourceRecordType,
      sourceId: r.sourceId,
      pupil:
        leerlingnummer === undefined
          ? this.pupilOf(r.pupil.localId)
          : { localId: r.pupil.localId, leerlingnummer },
      school: schoolOut,
      date: dateKeyOfDay(day),
      start: startMs === null ? null : formatLocal(startMs),
      end: endMs === null ? null : formatLocal(endMs),
      wholeDay,
      lessonHourFrom,
      lessonHourTo,
      category,
      legalClass,
      registeredVia: r.via,
      missedMinutes,
      missedLessons,
      reasonCode: normaliseReasonCode(r.reasonCode),
      explainedBy: null,
      mapping,
    };
  }
}
