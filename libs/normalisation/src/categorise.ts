import type { Category, LegalClass, QuarantineReason, SourceRecord } from '#domain';
import { type ReasonMapping, normaliseReasonCode } from './reason-mapping.js';

/** Which mapping decided a category: the school's table (with its version) or the system's generic fallback. */
export interface MappingSource {
  readonly source: 'school' | 'fallback';
  readonly version?: string;
}

/** The outcome of categorising one source record (categories.md §3). */
export type Categorisation =
  | {
      readonly outcome: 'category';
      readonly category: Category;
      readonly legalClass: LegalClass;
      /** The school's mapping marks the reason as luxury absence (for the LPW_LUXE rule). */
      readonly luxury: boolean;
      readonly mapping: MappingSource;
    }
  | {
      readonly outcome: 'drop';
      readonly drop: true;
      /** NOT_SCHEDULED: `Nvt`, excluded; NOT_ATTENDANCE: books, homework, material (data minimisation). */
      readonly why: 'NOT_SCHEDULED' | 'NOT_ATTENDANCE';
    }
  | {
      readonly outcome: 'quarantine';
      readonly quarantine: true;
      readonly reason: QuarantineReason;
      /** Names fields, never quotes values. */
      readonly detail: string;
    };

const FALLBACK: MappingSource = Object.freeze({ source: 'fallback' });

// The fallback outcomes are shared (frozen) rather than built per record: a batch has many records and few kinds.
const fallback = (category: Category, legalClass: LegalClass): Categorisation =>
  Object.freeze({ outcome: 'category', category, legalClass, luxury: false, mapping: FALLBACK });
const PRESENT = fallback('PRESENT', 'present');
const SICK = fallback('SICK', 'authorised');
const SENT_OUT = fallback('SCHOOL_SENT_OUT', 'authorised');
const EXEMPTION = fallback('TIMETABLE_ADJUSTMENT', 'not_absence');
const UNEXPLAINED = fallback('UNEXPLAINED', 'pending');
const ABSENT_AUTHORISED = fallback('OTHER', 'authorised');
const ABSENT_UNAUTHORISED = fallback('UNAUTHORISED', 'unauthorised');
const LATE_AUTHORISED = fallback('LATE_AUTHORISED', 'authorised');
const LATE_UNAUTHORISED = fallback('LATE_UNAUTHORISED', 'unauthorised');
const DROP_NOT_SCHEDULED: Categorisation = Object.freeze({
  outcome: 'drop',
  drop: true,
  why: 'NOT_SCHEDULED',
});
const DROP_NOT_ATTENDANCE: Categorisation = Object.freeze({
  outcome: 'drop',
  drop: true,
  why: 'NOT_ATTENDANCE',
});

const unmapped = (detail: string): Categorisation => ({
  outcome: 'quarantine',
  quarantine: true,
  reason: 'UNMAPPED_REASON',
  detail,
});

/**
 * The category and legal class of one record.
 *
 * - Not-attendance remarks and `Nvt` checks are dropped, never quarantined.
 * - A record with a reason code and a school mapping: the mapping decides. A code the mapping lacks is
 *   quarantined (`UNMAPPED_REASON`): an unmapped code never silently becomes a category. So is a code when the
 *   mapping is for another system.
 * - A school without a mapping (`mapping: null`): the system's generic kind decides (the table's fallback
 *   column), whatever the code.
 * - The authorised flag only decides in the fallback, and only when present: a missing flag is never read as
 *   "unauthorised". With a school mapping, a record that has no code and whose fallback would depend on the
 *   flag alone is quarantined too ("never infer a category from the flag alone when a mapping exists").
 *
 * Aggregates (`via: 'AGGREGATE'`) are split by `normalise` into authorised and unauthorised totals and do not
 * come through here.
 */
export function categorise(record: SourceRecord, mapping: ReasonMapping | null): Categorisation {
  if (record.kind === 'NOT_ATTENDANCE') return DROP_NOT_ATTENDANCE;
  if (record.kind === 'NOT_SCHEDULED') return DROP_NOT_SCHEDULED;

  const code = normaliseReasonCode(record.reasonCode);
  if (code !== null && mapping !== null) {
    if (mapping.system !== record.sourceSystem) {
      return unmapped(`reasonCode: the reason mapping is for ${mapping.system}, not ${record.sourceSystem}`);
    }
    const entry = mapping.reasons.get(code);
    if (entry === undefined) {
      return unmapped(
        `reasonCode: the school's reason mapping (version ${mapping.version}) has no entry for it`,
      );
    }
    return {
      outcome: 'category',
      category: entry.category,
      legalClass: entry.legalClass,
      luxury: entry.luxury,
      mapping: { source: 'school', version: mapping.version },
    };
  }

  switch (record.kind) {
    case 'PRESENT':
      return PRESENT;
    case 'SICK':
      return SICK;
    case 'SENT_OUT':
      return SENT_OUT;
    case 'EXEMPTION':
      return EXEMPTION;
    case 'ABSENT':
      // A teacher's "absent" is absence without a known reason until a report explains it.
      if (record.via === 'TEACHER_CHECK') return UNEXPLAINED;
      return byFlag(record, mapping, ABSENT_AUTHORISED, ABSENT_UNAUTHORISED);
    case 'LATE':
      return byFlag(record, mapping, LATE_AUTHORISED, LATE_UNAUTHORISED);
  }
  // Only reachable when an adapter breaks the type at runtime: quarantined, never a crash.
  return {
    outcome: 'quarantine',
    quarantine: true,
    reason: 'UNKNOWN_KIND',
    detail: 'kind: not a generic kind',
  };
}

function byFlag(
  record: SourceRecord,
  mapping: ReasonMapping | null,
  authorised: Categorisation,
  unauthorised: Categorisation,
): Categorisation {
  if (mapping !== null) {
    return unmapped(
      'reasonCode: missing, and with a school mapping the authorised flag alone does not decide',
    );
  }
  if (record.authorisedFlag === null) {
    return unmapped('reasonCode and authorisedFlag: both missing, so nothing says whether it is authorised');
  }
  return record.authorisedFlag ? authorised : unauthorised;
}
