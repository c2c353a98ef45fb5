import type { GenericKind, Lesson, SourceRecord } from '#domain';
import {
  isItem,
  readId,
  readOptionalBoolean,
  readOptionalInteger,
  readOptionalRef,
  readOptionalText,
  readTimestamp,
  reject,
  value,
  type Item,
  type Read,
} from './magister-fields.js';
import { afspraakToLesson, commonLesson } from './magister-lesson.js';
import { amsterdamDate, localDate, nextDate, parseTimestamp, zuluEpochMs } from './magister-time.js';
import { ADAPTER_ERRORS } from '#adapter-kit';

/** `Verantwoordingtype` → generic kind (categories.md §3). 5 and anything else is unknown. */
const KIND_BY_VERANTWOORDINGTYPE: ReadonlyMap<number, GenericKind> = new Map<number, GenericKind>([
  [1, 'ABSENT'],
  [2, 'LATE'],
  [3, 'SICK'],
  [4, 'SENT_OUT'],
  [6, 'EXEMPTION'],
  [7, 'NOT_ATTENDANCE'], // boek vergeten
  [8, 'NOT_ATTENDANCE'], // huiswerk vergeten
]);

/**
 * One item of `/api/personen/{id}/absenties` → a source record. `pupil` is the person the endpoint was
 * called for; null when unknown, which quarantines the item once its own fields have been checked.
 */
export function absenceToRecord(item: Item, pupil: string | null): Read<SourceRecord> {
  const fast = commonAbsence(item, pupil);
  return fast === null ? checkedAbsence(item, pupil) : value(fast);
}

/**
 * The fast path for the common shape (numeric ids, a UTC Start, optional Lesuur, an embedded lesson with UTC
 * times or none): the same record `checkedAbsence` builds, without its intermediate results. Anything else,
 * and anything wrong, returns null and goes the checked way, which names the problem (property-tested: both
 * ways give the same record whenever the fast one gives one).
 */
export function commonAbsence(item: Item, pupil: string | null): SourceRecord | null {
  if (pupil === null) return null;
  const idValue = item['Id'];
  if (typeof idValue !== 'number' || !Number.isSafeInteger(idValue)) return null;
  const typeValue = item['Verantwoordingtype'];
  if (typeof typeValue !== 'number') return null;
  const kind = KIND_BY_VERANTWOORDINGTYPE.get(typeValue);
  if (kind === undefined || !Number.isSafeInteger(typeValue)) return null;
  const flag = item['Geoorloofd'];
  if (flag !== null && flag !== undefined && typeof flag !== 'boolean') return null;
  const codeValue = item['Code'];
  let code: string | null = null;
  if (codeValue !== null && codeValue !== undefined) {
    if (typeof codeValue !== 'string') return null;
    code = codeValue.trim() || null;
  }
  const startText = item['Start'];
  if (typeof startText !== 'string' || startText === '') return null;
  const date = dateOf(startText);
  if (date === null) return null;
  const lessonHourValue = item['Lesuur'];
  let lessonHour: number | null = null;
  if (lessonHourValue !== null && lessonHourValue !== undefined) {
    if (!Number.isSafeInteger(lessonHourValue)) return null;
    lessonHour = lessonHourValue as number;
  }
  const refValue = item['AfspraakId'];
  let afspraakId: string | null = null;
  if (refValue !== null && refValue !== undefined && refValue !== 0 && refValue !== '' && refValue !== '0') {
    if (typeof refValue !== 'number' || !Number.isSafeInteger(refValue)) return null;
    afspraakId = String(refValue);
  }

  let lesson: Lesson | null = null;
  let hourFrom = lessonHour;
  let hourTo = lessonHour;
  const afspraak = item['Afspraak'];
  if (afspraak !== undefined && afspraak !== null) {
    if (!isItem(afspraak)) return null;
    // Only the lesson's own fast path: whatever it declines, the checked way reads (and names) as well.
    lesson = commonLesson(afspraak, pupil);
    if (lesson === null) return null;
    const lastHourValue = afspraak['LesuurTotMet'];
    let lastHour: number | null = null;
    if (lastHourValue !== null && lastHourValue !== undefined) {
      if (!Number.isSafeInteger(lastHourValue)) return null;
      lastHour = lastHourValue as number;
    }
    if (hourFrom === null) {
      hourFrom = lesson.lessonHour;
      hourTo = lastHour ?? lesson.lessonHour;
    }
  }
  const lessonRef = afspraakId ?? lesson?.lessonId ?? null;
  const wholeDay = lesson === null && lessonRef === null && lessonHour === null;
  let lastDay = date;
  const endText = item['Eind'];
  if (endText !== undefined && endText !== null) {
    if (typeof endText !== 'string' || endText === '') return null;
    const endDate = dateOf(endText);
    if (endDate === null) return null;
    lastDay = endDate;
    if (lastDay < date) return null;
  }
  const spanEnd = wholeDay && lastDay > date ? `${nextDate(lastDay)}T00:00:00` : null;
  return {
    sourceSystem: 'magister',
    sourceRecordType: 'absentie',
    sourceId: String(idValue),
    pupil: pupilOf(pupil),
    school: null,
    via: 'REPORT',
    kind,
    authorisedFlag: flag ?? null,
    reasonCode: code,
    date,
    start: lesson?.start ?? null,
    end: lesson?.end ?? spanEnd,
    endInclusive: false,
    lessonHourFrom: hourFrom,
    lessonHourTo: hourTo,
    wholeDay,
    arrivedAt: null,
    lessonRef,
    lesson,
    explainedByRef: null,
    aggregate: null,
  };
}

/** The school-local date of a timestamp (the common form read directly, any other through the cache). */
function dateOf(text: string): string | null {
  const ms = zuluEpochMs(text);
  if (ms === ms) return amsterdamDate(ms);
  const parsed = parseTimestamp(text);
  return parsed.ok ? localDate(parsed.value) : null;
}

let lastPupil: { readonly localId: string } = { localId: '' };

/**
 * The pupil object of a record: one shared by the consecutive records of the same person (a payload is fetched
 * per person), instead of one per record. Records are never mutated, so sharing it is safe.
 */
function pupilOf(localId: string): { readonly localId: string } {
  if (lastPupil.localId !== localId) lastPupil = { localId };
  return lastPupil;
}

/** Reads an absence field by field, naming the first problem (the way every item can take). */
export function checkedAbsence(item: Item, pupil: string | null): Read<SourceRecord> {
  const id = readId(item, 'Id');
  if (!id.ok) return id;
  const kind = readKind(item);
  if (!kind.ok) return kind;
  const authorised = readOptionalBoolean(item, 'Geoorloofd');
  if (!authorised.ok) return authorised;
  const code = readOptionalText(item, 'Code');
  if (!code.ok) return code;
  // Start and Eind hold only the date, as local midnight written in UTC: read the Amsterdam date, not the time.
  const start = readTimestamp(item, 'Start');
  if (!start.ok) return start;
  const date = localDate(start.value);
  const lessonHour = readOptionalInteger(item, 'Lesuur');
  if (!lessonHour.ok) return lessonHour;
  const afspraakId = readOptionalRef(item, 'AfspraakId');
  if (!afspraakId.ok) return afspraakId;

  let lesson: Lesson | null = null;
  let hourFrom = lessonHour.value;
  let hourTo = lessonHour.value;
  const afspraak = item['Afspraak'];
  if (afspraak !== undefined && afspraak !== null) {
    if (!isItem(afspraak)) return reject(ADAPTER_ERRORS.WRONG_TYPE, 'Afspraak is not an object');
    const mapped = afspraakToLesson(afspraak, pupil, 'Afspraak.');
    if (!mapped.ok) return mapped;
    lesson = mapped.value;
    const lastHour = readOptionalInteger(afspraak, 'LesuurTotMet');
    if (!lastHour.ok) return reject(lastHour.reason, `Afspraak.${lastHour.detail}`);
    if (hourFrom === null) {
      hourFrom = lesson.lessonHour;
      hourTo = lastHour.value ?? lesson.lessonHour;
    }
  }
  const lessonRef = afspraakId.value ?? lesson?.lessonId ?? null;
  const wholeDay = lesson === null && lessonRef === null && lessonHour.value === null;
  const lastDay = readLastDay(item, date);
  if (!lastDay.ok) return lastDay;

  if (pupil === null) {
    return reject(
      ADAPTER_ERRORS.MISSING_FIELD,
      'pupil: the payload has no PersoonId and the adapter was given no personId',
    );
  }
  // A span of whole days (Eind on a later date) ends at the local midnight after its last day.
  const spanEnd = wholeDay && lastDay.value > date ? `${nextDate(lastDay.value)}T00:00:00` : null;
  return value({
    sourceSystem: 'magister',
    sourceRecordType: 'absentie',
    sourceId: id.value,
    pupil: { localId: pupil },
    school: null,
    via: 'REPORT',
    kind: kind.value,
    authorisedFlag: authorised.value,
    reasonCode: code.value,
    date,
    start: lesson?.start ?? null,
    end: lesson?.end ?? spanEnd,
    endInclusive: false,
    lessonHourFrom: hourFrom,
    lessonHourTo: hourTo,
    wholeDay,
    arrivedAt: null,
    lessonRef,
    lesson,
    explainedByRef: null,
    aggregate: null,
  });
}

function readKind(item: Item): Read<GenericKind> {
  const v = item['Verantwoordingtype'];
  if (v === undefined || v === null)
    return reject(ADAPTER_ERRORS.MISSING_FIELD, 'Verantwoordingtype is missing');
  if (!Number.isSafeInteger(v))
    return reject(ADAPTER_ERRORS.WRONG_TYPE, 'Verantwoordingtype is not an integer');
  const kind = KIND_BY_VERANTWOORDINGTYPE.get(v as number);
  return kind === undefined
    ? reject(ADAPTER_ERRORS.UNKNOWN_KIND, 'Verantwoordingtype is not one of 1, 2, 3, 4, 6, 7, 8')
    : value(kind);
}

/** The local date of `Eind` (the last day, inclusive); `Start`'s date when there is none. */
function readLastDay(item: Item, date: string): Read<string> {
  if (item['Eind'] === undefined || item['Eind'] === null) return value(date);
  const end = readTimestamp(item, 'Eind');
  if (!end.ok) return end;
  const lastDay = localDate(end.value);
  return lastDay < date ? reject(ADAPTER_ERRORS.IMPOSSIBLE_TIME, 'Eind is before Start') : value(lastDay);
}
