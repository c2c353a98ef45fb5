import type { Lesson } from '#domain';
import {
  readId,
  readOptionalBoolean,
  readOptionalInteger,
  readOptionalText,
  readTimestamp,
  reject,
  value,
  type Item,
  type Read,
  type Rejected,
} from './magister-fields.js';
import { amsterdamDate, parseTimestamp, utcIso, zuluEpochMs } from './magister-time.js';
import { ADAPTER_ERRORS } from '#adapter-kit';

/** `Type` of a timetable item that is a lesson; other types (personal appointments, tests, …) are not. */
export const LESSON_TYPE = 13;
/** `Status` values of a cancelled lesson (vervallen). */
const CANCELLED_STATUSES: ReadonlySet<number> = new Set([4, 5]);

/**
 * A timetable item (`afspraak`) of the timetable endpoint: a lesson, `'skip'` for items that are no lesson
 * (another `Type`, or `DuurtHeleDag`), or the reason it must be quarantined.
 */
export function timetableItemToLesson(item: Item, pupil: string | null): Read<Lesson | 'skip'> {
  if (item['Type'] === undefined || item['Type'] === null)
    return reject(ADAPTER_ERRORS.MISSING_FIELD, 'Type is missing');
  const type = readOptionalInteger(item, 'Type');
  if (!type.ok) return type;
  if (type.value !== LESSON_TYPE) return value('skip');
  const wholeDay = readOptionalBoolean(item, 'DuurtHeleDag');
  if (!wholeDay.ok) return wholeDay;
  if (wholeDay.value === true) return value('skip');
  return afspraakToLesson(item, pupil, '');
}

/**
 * Maps an afspraak to a Lesson; `path` names where it sits (`Afspraak.` when embedded in an absence).
 * Start and Einde are instants in UTC and stay so (normalisation localises); the date is Amsterdam's.
 */
export function afspraakToLesson(afspraak: Item, pupil: string | null, path: string): Read<Lesson> {
  const fast = commonLesson(afspraak, pupil);
  return fast === null ? checkedLesson(afspraak, pupil, path) : value(fast);
}

/**
 * The fast path for the common afspraak (a numeric id, UTC times in order, integer or absent hour and status,
 * text or absent description): the lesson `checkedLesson` builds, without its intermediate results; null for
 * anything else, which then goes the checked way (property-tested to agree).
 */
export function commonLesson(afspraak: Item, pupil: string | null): Lesson | null {
  const id = afspraak['Id'];
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return null;
  const startText = afspraak['Start'];
  const endText = afspraak['Einde'];
  if (typeof startText !== 'string' || typeof endText !== 'string') return null;
  const startMs = instantOf(startText);
  const endMs = instantOf(endText);
  // NaN (no instant) fails this as well.
  if (!(endMs > startMs)) return null;
  const hour = afspraak['LesuurVan'];
  if (hour !== null && hour !== undefined && !Number.isSafeInteger(hour)) return null;
  const status = afspraak['Status'];
  if (status !== null && status !== undefined && !Number.isSafeInteger(status)) return null;
  const text = afspraak['Omschrijving'];
  if (text !== null && text !== undefined && typeof text !== 'string') return null;
  const description = typeof text === 'string' ? text.trim() || null : null;
  return lessonOf(
    String(id),
    pupil,
    startMs,
    endMs,
    (hour ?? null) as number | null,
    (status ?? null) as number | null,
    description,
  );
}

/** Reads an afspraak field by field, naming the first problem (the way every afspraak can take). */
export function checkedLesson(afspraak: Item, pupil: string | null, path: string): Read<Lesson> {
  const id = readId(afspraak, 'Id');
  if (!id.ok) return within(path, id);
  const start = readTimestamp(afspraak, 'Start');
  if (!start.ok) return within(path, start);
  const end = readTimestamp(afspraak, 'Einde');
  if (!end.ok) return within(path, end);
  if (!start.value.zoned || !end.value.zoned) {
    return reject(ADAPTER_ERRORS.WRONG_TYPE, `${path}Start and ${path}Einde must be UTC timestamps`);
  }
  if (end.value.epochMs <= start.value.epochMs) {
    return reject(ADAPTER_ERRORS.IMPOSSIBLE_TIME, `${path}Einde is not after ${path}Start`);
  }
  const lessonHour = readOptionalInteger(afspraak, 'LesuurVan');
  if (!lessonHour.ok) return within(path, lessonHour);
  const status = readOptionalInteger(afspraak, 'Status');
  if (!status.ok) return within(path, status);
  const description = readOptionalText(afspraak, 'Omschrijving');
  if (!description.ok) return within(path, description);

  return value(
    lessonOf(
      id.value,
      pupil,
      start.value.epochMs,
      end.value.epochMs,
      lessonHour.value,
      status.value,
      description.value,
    ),
  );
}

function lessonOf(
  id: string,
  pupil: string | null,
  /** Both instants (the afspraak's times are zoned). */
  startMs: number,
  endMs: number,
  lessonHour: number | null,
  status: number | null,
  description: string | null,
): Lesson {
  const { subject, group } = subjectAndGroup(description);
  if (pupil !== null && subject !== undefined && group !== undefined) {
    // The common lesson in one literal (the same key order as below): one allocation of its full size.
    return {
      lessonId: id,
      pupil,
      date: amsterdamDate(startMs),
      start: utcIso(startMs),
      end: utcIso(endMs),
      lessonHour,
      durationMinutes: Math.round((endMs - startMs) / 60_000),
      cancelled: status !== null && CANCELLED_STATUSES.has(status),
      subject,
      group,
      sourceSystem: 'magister',
      sourceId: id,
    };
  }
  // Built field by field rather than with spreads: the same key order, without the temporary objects.
  const lesson: { -readonly [K in keyof Lesson]: Lesson[K] } = { lessonId: id } as Lesson;
  if (pupil !== null) lesson.pupil = pupil;
  lesson.date = amsterdamDate(startMs);
  lesson.start = utcIso(startMs);
  lesson.end = utcIso(endMs);
  lesson.lessonHour = lessonHour;
  lesson.durationMinutes = Math.round((endMs - startMs) / 60_000);
  lesson.cancelled = status !== null && CANCELLED_STATUSES.has(status);
  if (subject !== undefined) lesson.subject = subject;
  if (group !== undefined) lesson.group = group;
  lesson.sourceSystem = 'magister';
  lesson.sourceId = id;
  return lesson;
}

/**
 * `Omschrijving` reads "subject - teacher - group" ("ne - JDK - h2b"). The middle part names teachers and is
 * never kept; with two parts it is unclear which one is missing, so only the subject is kept; text without
 * the separator is kept as the subject only when it is a single word (free text may name people).
 */
export function subjectAndGroup(description: string | null): SubjectAndGroup {
  if (description === null) return NONE;
  let split = splitByDescription.get(description);
  if (split === undefined) {
    split = Object.freeze(splitUncached(description));
    if (splitByDescription.size >= 10_000) splitByDescription.clear();
    splitByDescription.set(description, split);
  }
  return split;
}

type SubjectAndGroup = { readonly subject?: string; readonly group?: string };
const NONE: SubjectAndGroup = Object.freeze({});
/** A timetable repeats the same few descriptions ("ne - JDK - h2b") for every pupil of a group. */
const splitByDescription = new Map<string, SubjectAndGroup>();

function splitUncached(description: string): SubjectAndGroup {
  const parts = description.split(/\s+-\s+/).map((part) => part.trim());
  const first = parts[0];
  const subject = first === '' || (parts.length === 1 && /\s/.test(first)) ? undefined : first;
  const last = parts[parts.length - 1];
  const group = parts.length >= 3 && last !== '' ? last : undefined;
  return { ...(subject === undefined ? {} : { subject }), ...(group === undefined ? {} : { group }) };
}

function within(path: string, read: Rejected): Read<never> {
  return reject(read.reason, `${path}${read.detail}`);
}

/** A zoned timestamp's instant (the common form read directly, any other through the cache); NaN otherwise. */
function instantOf(text: string): number {
  const ms = zuluEpochMs(text);
  if (ms === ms) return ms;
  const parsed = parseTimestamp(text);
  return parsed.ok && parsed.value.zoned ? parsed.value.epochMs : Number.NaN;
}
