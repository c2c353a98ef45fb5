import type { AdapterOutput, Lesson, QuarantinedInput, QuarantineReason, SourceAdapter } from '#domain';
import {
  ADAPTER_ERRORS,
  type JsonObject,
  type Read,
  type ReadProblem,
  isObject,
  malformedPayload,
  ok,
  problem,
} from '#adapter-kit';

/**
 * Zermelo `GET /api/v3/appointments` → lessons of the pupil's individual timetable.
 *
 * Zermelo holds no absences; it is the timetable source (lessons, cancellations, lesson-hour slots).
 * Decisions (README): `valid: false` (a superseded version) and non-lesson types are skipped, not quarantined;
 * times are Unix seconds and become UTC instants; `date` is the Europe/Amsterdam date of the start.
 */

const SYSTEM = 'zermelo' as const;

/** A lesson longer than this is not a lesson: a unit mix-up (ms vs s) or a corrupt row. */
const MAX_LESSON_SECONDS = 12 * 60 * 60;
/** Unix-seconds bounds of a plausible timetable; outside them the value is almost surely milliseconds. */
const EARLIEST_SECONDS = Date.UTC(2000, 0, 1) / 1000;
const LATEST_SECONDS = Date.UTC(2100, 0, 1) / 1000;

/** Zermelo's `user=~me` means "the token's owner": no pupil id we could use. */
const SELF_USER = '~me';

const amsterdamDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The outcome for one appointment: a lesson, a deliberate skip, or a quarantine. */
type ItemOutcome =
  | { readonly kind: 'lesson'; readonly lesson: Lesson }
  | { readonly kind: 'skip' }
  | { readonly kind: 'quarantine'; readonly sourceId: string | null; readonly problem: ReadProblem };

export const zermeloAdapter: SourceAdapter = {
  system: SYSTEM,
  produces: ['lessons'],
  parse: parseAppointments,
};

function parseAppointments(payload: string): AdapterOutput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripBom(payload));
  } catch {
    return malformed('payload is not valid JSON', payload);
  }
  if (!isObject(parsed)) return malformed('payload is not a JSON object', parsed);

  const response = parsed['response'];
  if (!isObject(response)) return malformed('response is missing or not an object', parsed);
  if (response['status'] !== 200) return malformed('response.status is not 200', parsed);
  const data = response['data'];
  if (!Array.isArray(data)) return malformed('response.data is missing or not an array', parsed);

  const pupil = readUser(parsed['user']);
  if (!pupil.ok) return malformed(pupil.problem.detail, parsed);

  const lessons: Lesson[] = [];
  const quarantined: QuarantinedInput[] = [];
  data.forEach((item: unknown, index) => {
    const outcome = readAppointment(item, index, pupil.value);
    if (outcome.kind === 'lesson') lessons.push(outcome.lesson);
    else if (outcome.kind === 'quarantine')
      quarantined.push({
        quarantined: true,
        sourceSystem: SYSTEM,
        sourceId: outcome.sourceId,
        reason: outcome.problem.reason,
        detail: outcome.problem.detail,
        raw: item,
      });
  });
  return { records: [], lessons, quarantined };
}

/** The optional top-level `user` our pull job adds beside Zermelo's `response` (the `user=` it asked for). */
function readUser(value: unknown): Read<string | undefined> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'string') return problem(ADAPTER_ERRORS.WRONG_TYPE, 'user is not a string');
  const user = value.trim();
  return ok(user === '' || user === SELF_USER ? undefined : user);
}

function readAppointment(item: unknown, index: number, pupil: string | undefined): ItemOutcome {
  const at = `response.data[${index}]`;
  if (!isObject(item)) return quarantine(null, ADAPTER_ERRORS.WRONG_TYPE, `${at} is not an object`);

  const id = readId(item['id'], `${at}.id`);
  if (!id.ok) return { kind: 'quarantine', sourceId: null, problem: id.problem };
  const sourceId = id.value;

  const valid = readOptionalBoolean(item['valid'], `${at}.valid`);
  if (!valid.ok) return { kind: 'quarantine', sourceId, problem: valid.problem };
  // A superseded version of a changed appointment: the current version is a separate item.
  if (valid.value === false) return { kind: 'skip' };

  const type = item['type'];
  if (type === undefined || type === null)
    return quarantine(sourceId, ADAPTER_ERRORS.MISSING_FIELD, `${at}.type is missing`);
  if (typeof type !== 'string')
    return quarantine(sourceId, ADAPTER_ERRORS.WRONG_TYPE, `${at}.type is not a string`);
  // Exams, activities, talks, choice slots, meetings… are not lessons of the individual timetable.
  if (type !== 'lesson') return { kind: 'skip' };

  const start = readSeconds(item['start'], `${at}.start`);
  if (!start.ok) return { kind: 'quarantine', sourceId, problem: start.problem };
  const end = readSeconds(item['end'], `${at}.end`);
  if (!end.ok) return { kind: 'quarantine', sourceId, problem: end.problem };
  if (end.value <= start.value)
    return quarantine(sourceId, ADAPTER_ERRORS.IMPOSSIBLE_TIME, `${at}.end is not after ${at}.start`);
  if (end.value - start.value > MAX_LESSON_SECONDS)
    return quarantine(
      sourceId,
      ADAPTER_ERRORS.IMPOSSIBLE_TIME,
      `${at}.start to ${at}.end spans more than 12 hours`,
    );

  const lessonHour = readLessonHour(item, at);
  if (!lessonHour.ok) return { kind: 'quarantine', sourceId, problem: lessonHour.problem };
  const cancelled = readOptionalBoolean(item['cancelled'], `${at}.cancelled`);
  if (!cancelled.ok) return { kind: 'quarantine', sourceId, problem: cancelled.problem };
  const subject = readFirstString(item['subjects'], `${at}.subjects`);
  if (!subject.ok) return { kind: 'quarantine', sourceId, problem: subject.problem };
  const group = readFirstString(item['groups'], `${at}.groups`);
  if (!group.ok) return { kind: 'quarantine', sourceId, problem: group.problem };

  const startDate = new Date(start.value * 1000);
  const lesson: Lesson = {
    lessonId: sourceId,
    ...(pupil === undefined ? {} : { pupil }),
    date: amsterdamDate(startDate),
    start: isoInstant(startDate),
    end: isoInstant(new Date(end.value * 1000)),
    lessonHour: lessonHour.value,
    durationMinutes: (end.value - start.value) / 60,
    cancelled: cancelled.value ?? false,
    ...(subject.value === undefined ? {} : { subject: subject.value }),
    ...(group.value === undefined ? {} : { group: group.value }),
    sourceSystem: SYSTEM,
    sourceId,
  };
  return { kind: 'lesson', lesson };
}

function readId(value: unknown, field: string): Read<string> {
  if (value === undefined || value === null || value === '')
    return problem(ADAPTER_ERRORS.MISSING_FIELD, `${field} is missing`);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return ok(String(value));
  if (typeof value === 'string') return ok(value);
  return problem(ADAPTER_ERRORS.WRONG_TYPE, `${field} is not an integer or string`);
}

function readSeconds(value: unknown, field: string): Read<number> {
  if (value === undefined || value === null)
    return problem(ADAPTER_ERRORS.MISSING_FIELD, `${field} is missing`);
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    return problem(ADAPTER_ERRORS.WRONG_TYPE, `${field} is not an integer (Unix seconds)`);
  if (value < EARLIEST_SECONDS || value >= LATEST_SECONDS)
    return problem(
      ADAPTER_ERRORS.IMPOSSIBLE_TIME,
      `${field} is outside 2000–2099 as Unix seconds (milliseconds given?)`,
    );
  return ok(value);
}

function readOptionalBoolean(value: unknown, field: string): Read<boolean | undefined> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'boolean') return problem(ADAPTER_ERRORS.WRONG_TYPE, `${field} is not a boolean`);
  return ok(value);
}

/** `startTimeSlot` (a number), else the digits of `startTimeSlotName` ("u2" → 2), else null. */
function readLessonHour(item: JsonObject, at: string): Read<number | null> {
  const slot = item['startTimeSlot'];
  if (slot !== undefined && slot !== null) {
    if (typeof slot !== 'number' || !Number.isSafeInteger(slot) || slot < 0)
      return problem(ADAPTER_ERRORS.WRONG_TYPE, `${at}.startTimeSlot is not a non-negative integer`);
    return ok(slot);
  }
  const name = item['startTimeSlotName'];
  if (name === undefined || name === null) return ok(null);
  if (typeof name !== 'string')
    return problem(ADAPTER_ERRORS.WRONG_TYPE, `${at}.startTimeSlotName is not a string`);
  const match = /^[a-z]*\s*(\d{1,2})$/i.exec(name.trim());
  return ok(match ? Number(match[1]) : null);
}

function readFirstString(value: unknown, field: string): Read<string | undefined> {
  if (value === undefined || value === null) return ok(undefined);
  if (!Array.isArray(value)) return problem(ADAPTER_ERRORS.WRONG_TYPE, `${field} is not an array`);
  const first: unknown = value[0];
  if (first === undefined || first === null) return ok(undefined);
  if (typeof first !== 'string') return problem(ADAPTER_ERRORS.WRONG_TYPE, `${field}[0] is not a string`);
  const trimmed = first.trim();
  return ok(trimmed === '' ? undefined : trimmed);
}

function quarantine(sourceId: string | null, reason: QuarantineReason, detail: string): ItemOutcome {
  return { kind: 'quarantine', sourceId, problem: { reason, detail } };
}

function malformed(detail: string, raw: unknown): AdapterOutput {
  return malformedPayload(SYSTEM, detail, raw);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `2026-01-13T07:30:00Z`: whole seconds, no milliseconds. */
function isoInstant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function amsterdamDate(date: Date): string {
  let year = '';
  let month = '';
  let day = '';
  for (const part of amsterdamDateFormat.formatToParts(date)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year}-${month}-${day}`;
}
