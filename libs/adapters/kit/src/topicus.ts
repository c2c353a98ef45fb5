// SOMtoday and EduArte share one domain model (the open-sourced Topicus code base): a waarneming reads the same
// in both; only where the system keeps its links and reason differs.
import type { SourceRecord } from '#domain';
import { ADAPTER_ERRORS } from './adapter-error-codes.js';
import { localDate } from './date-time.js';
import { type Fields, ItemProblem, asText, readItemSpan } from './json-fields.js';
import { WAARNEMING_SOORT_KINDS } from './vocabulary.js';

/** Which teacher check: its system, id and pupil (read before anything else of the item). */
export type TeacherCheckId = Pick<SourceRecord, 'sourceSystem' | 'sourceId' | 'pupil'>;
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
