// SOMtoday and EduArte share one domain model (the open-sourced Topicus code base): an absentiemelding and a
// waarneming read the same in both; only where the system keeps its links and reason, and how it writes an end,
// differ.
import type { SourceRecord } from '#domain';
import { ADAPTER_ERRORS } from './adapter-error-codes.js';
import { type DateTime, endOfLocalDay, localDate } from './date-time.js';
import { type Fields, ItemProblem, asFlag, asText, readItemSpan } from './json-fields.js';
import { ABSENTIE_SOORT_KINDS, WAARNEMING_SOORT_KINDS } from './vocabulary.js';

/** Which item: its system, id and pupil (read before anything else of the item). */
export type TopicusItemId = Pick<SourceRecord, 'sourceSystem' | 'sourceId' | 'pupil'>;
/** Which teacher check: its system, id and pupil (read before anything else of the item). */
export type TeacherCheckId = TopicusItemId;

/**
 * An absentiemelding (SOMtoday, EduArte) as a report: `absentieReden.absentieSoort` as its kind (unknown:
 * UNKNOWN_KIND), its reason and authorisation, the item's span (`readItemSpan`). Without an end the report is
 * open-ended ("absent until further notice"): it covers the rest of its first local day (an exclusive midnight)
 * until the system gives an end, and the re-imported report keeps its sourceId and so replaces this record.
 * `endInclusive` is the system's rule for a given end; a late arrival's end is when the pupil arrived.
 */
export function absentiemeldingReport(
  f: Fields,
  id: TopicusItemId,
  endInclusive: (end: DateTime) => boolean,
): SourceRecord {
  const kind = ABSENTIE_SOORT_KINDS.get(f.need('absentieReden.absentieSoort', asText));
  if (kind === undefined)
    throw new ItemProblem(ADAPTER_ERRORS.UNKNOWN_KIND, 'absentieReden.absentieSoort: unknown value');
  const span = readItemSpan(f);
  // The id's fields written out: a spread before this many properties makes V8 build each record property by
  // property (measured: 25 µs a record instead of under 1).
  return {
    sourceSystem: id.sourceSystem,
    sourceId: id.sourceId,
    pupil: id.pupil,
    sourceRecordType: 'absentiemelding',
    school: null,
    via: 'REPORT',
    kind,
    authorisedFlag: f.read('absentieReden.geoorloofd', asFlag),
    reasonCode: f.read('absentieReden.afkorting', asText),
    date: localDate(span.start),
    start: span.start.text,
    end: span.end?.text ?? endOfLocalDay(span.start),
    endInclusive: span.end !== null && endInclusive(span.end),
    lessonHourFrom: span.lessonHourFrom,
    lessonHourTo: span.lessonHourTo,
    wholeDay: span.lessonHourFrom === null && span.lessonHourTo === null,
    arrivedAt: kind === 'LATE' && span.end !== null ? span.end.text : null,
    lessonRef: null,
    lesson: null,
    explainedByRef: null,
    aggregate: null,
  };
}
/** Where the system keeps a check's reason and links: read after its kind and span. */
export type TeacherCheckLinks = Pick<
  SourceRecord,
  'authorisedFlag' | 'reasonCode' | 'lessonRef' | 'explainedByRef'
>;

/**
 * A waarneming (SOMtoday, EduArte) as a teacher check: `waarnemingSoort` as its kind (unknown: UNKNOWN_KIND), the
 * item's span (`readItemSpan`), then `links`; never a whole day, its end as given (exclusive) or none.
 */
export function waarnemingTeacherCheck(
  f: Fields,
  id: TeacherCheckId,
  links: () => TeacherCheckLinks,
): SourceRecord {
  const kind = WAARNEMING_SOORT_KINDS.get(f.need('waarnemingSoort', asText));
  if (kind === undefined)
    throw new ItemProblem(ADAPTER_ERRORS.UNKNOWN_KIND, 'waarnemingSoort: unknown value');
  const span = readItemSpan(f);
  const { authorisedFlag, reasonCode, lessonRef, explainedByRef } = links();
  return {
    sourceSystem: id.sourceSystem,
    sourceRecordType: 'waarneming',
    sourceId: id.sourceId,
    pupil: id.pupil,
    school: null,
    via: 'TEACHER_CHECK',
    kind,
    authorisedFlag,
    reasonCode,
    date: localDate(span.start),
    start: span.start.text,
    end: span.end?.text ?? null,
    endInclusive: false,
    lessonHourFrom: span.lessonHourFrom,
    lessonHourTo: span.lessonHourTo,
    wholeDay: false,
    lessonRef,
    explainedByRef,
    arrivedAt: null,
    lesson: null,
    aggregate: null,
  };
}
