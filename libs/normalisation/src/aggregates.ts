// Aggregates (OSO dossier, overview totals): one record per total that is given.
import { type SourceRecord, stableId } from '#domain';
import { parseDateKey } from './amsterdam-time.js';
import { FALLBACK_MAPPING, type RecordFactory } from './canonical-record.js';
import { type Drafts, Rejection, impossible } from './drafts.js';
import { NORMALISATION_ERRORS } from './normalisation-error-codes.js';

/**
 * One record per total that is given: unauthorised → UNAUTHORISED, authorised → OTHER (authorised). No times,
 * not a whole day. HOUR and MINUTE totals become missedMinutes; LESSON totals missedLessons; DAY_PART totals
 * (po counts dagdelen as vo counts lessons) also go in missedLessons, with null minutes: a day part has no fixed
 * length. The date is the last day the totals cover.
 */
export function addAggregate(record: SourceRecord, drafts: Drafts, factory: RecordFactory): Rejection | null {
  const aggregate = record.aggregate;
  if (aggregate === null || aggregate === undefined) {
    return new Rejection(NORMALISATION_ERRORS.MISSING_FIELD, 'aggregate: missing on an aggregate record');
  }
  const to = aggregate.to === null ? null : parseDateKey(aggregate.to);
  if (aggregate.to !== null && to === null) return impossible('aggregate.to: not a valid date');
  const from = aggregate.from === null ? null : parseDateKey(aggregate.from);
  if (aggregate.from !== null && from === null) return impossible('aggregate.from: not a valid date');
  if (from !== null && to !== null && to < from) return impossible('aggregate.to: before aggregate.from');
  const recordDate = record.date === null ? null : parseDateKey(record.date);
  if (record.date !== null && recordDate === null) return impossible('date: not a valid date');
  const day = to ?? recordDate;
  if (day === null)
    return new Rejection(NORMALISATION_ERRORS.MISSING_FIELD, 'aggregate.to: no date for the totals');
  const totals: ['authorised' | 'unauthorised', number][] = [];
  for (const key of ['authorised', 'unauthorised'] as const) {
    const total: unknown = aggregate[key];
    if (total === null || total === undefined) continue;
    if (typeof total !== 'number' || !Number.isFinite(total) || total < 0) {
      return new Rejection(NORMALISATION_ERRORS.WRONG_TYPE, `aggregate.${key}: not a number of zero or more`);
    }
    totals.push([key, total]);
  }
  if (totals.length === 0)
    return new Rejection(NORMALISATION_ERRORS.MISSING_FIELD, 'aggregate: neither total is given');
  for (const [key, total] of totals) {
    drafts.add(
      record,
      day,
      null,
      null,
      factory.draft(
        record,
        {
          recordId: stableId('rec', record.sourceSystem, record.sourceRecordType, record.sourceId, key),
          day,
          startMs: null,
          endMs: null,
          wholeDay: false,
          lessonHourFrom: null,
          lessonHourTo: null,
        },
        key === 'authorised' ? 'OTHER' : 'UNAUTHORISED',
        key,
        FALLBACK_MAPPING,
        aggregate.unit === 'HOUR' ? total * 60 : aggregate.unit === 'MINUTE' ? total : null,
        aggregate.unit === 'LESSON' || aggregate.unit === 'DAY_PART' ? total : null,
      ),
    );
  }
  return null;
}
