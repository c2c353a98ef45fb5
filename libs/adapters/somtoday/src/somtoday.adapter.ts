import type {
  AdapterOutput,
  Lesson,
  QuarantinedInput,
  QuarantineReason,
  SourceAdapter,
  SourceRecord,
} from '#domain';
import {
  absentiemeldingReport,
  ADAPTER_ERRORS,
  quarantinedInput,
  asAnything,
  asDateTime,
  asFlag,
  asId,
  asLessonHour,
  asText,
  isObject,
  ItemProblem,
  JsonFields,
  localDate,
  malformedPayload,
  streamJsonLists,
  waarnemingTeacherCheck,
  idAt,
} from '#adapter-kit';

// SOMtoday REST lists: `{ items: [...] }`; each item says what it is in `$type` and has its id only in
// `links[0].id`. Free text (`opmerkingen`, `omschrijving`, names) is never read.

type Pupil = SourceRecord['pupil'];

export const somtodayAdapter: SourceAdapter = {
  system: 'somtoday',
  produces: ['records', 'lessons'],
  parse: parseSomtoday,
  parseStream: (chunks, context) =>
    streamJsonLists(chunks, {
      system: 'somtoday',
      lists: ['items'],
      ...(context?.itemMaxBytes === undefined ? {} : { itemMaxBytes: context.itemMaxBytes }),
      readBatch: (envelope, offsets) => readRoot(envelope, envelope, offsets['items'] ?? 0),
    }),
};

function parseSomtoday(payload: string): AdapterOutput {
  let root: unknown;
  try {
    root = JSON.parse(payload.replace(/^\uFEFF/, ''));
  } catch {
    return malformed(payload, 'payload: not valid JSON');
  }
  return readRoot(root, payload, 0);
}

/** The payload's top level (or a streamed batch of it); `first` is the index of its first item. */
function readRoot(root: unknown, raw: unknown, first: number): AdapterOutput {
  if (!isObject(root)) return malformed(raw, 'payload: not a JSON object');
  const items = root['items'];
  if (!Array.isArray(items)) return malformed(raw, 'items: missing or not a list');

  const records: SourceRecord[] = [];
  const lessons: Lesson[] = [];
  const quarantined: QuarantinedInput[] = [];
  (items as readonly unknown[]).forEach((item, i) => {
    try {
      if (isAfspraak(item)) lessons.push(...toLessons(item));
      else records.push(toRecord(item));
    } catch (error) {
      if (!(error instanceof ItemProblem)) throw error;
      quarantined.push(quarantine(error.reason, `items[${first + i}]: ${error.message}`, item));
    }
  });
  return { records, lessons, quarantined };
}

function toRecord(item: unknown): SourceRecord {
  if (!isObject(item)) throw new ItemProblem(ADAPTER_ERRORS.WRONG_TYPE, 'item: not an object');
  const f = new JsonFields(item);
  const type = f.need('$type', asText);
  const entity = type.slice(type.lastIndexOf('.') + 1);
  if (entity !== 'RAbsentieMelding' && entity !== 'RWaarneming') {
    throw new ItemProblem(ADAPTER_ERRORS.UNKNOWN_KIND, '$type: neither an absentiemelding nor a waarneming');
  }
  const sourceId = f.need('links[0].id', asId);
  const pupil = readPupil(f);
  return entity === 'RAbsentieMelding' ? absenceReport(f, sourceId, pupil) : teacherCheck(f, sourceId, pupil);
}

/** The tenant-local numeric id (`links[0].id`), the id the REST API addresses pupils by, also in the overview. */
function readPupil(f: JsonFields): Pupil {
  const localId = f.need('leerling.links[0].id', asId);
  const leerlingnummer = f.read('leerling.leerlingnummer', asId);
  return leerlingnummer === null ? { localId } : { localId, leerlingnummer };
}

/** SOMtoday's ends are exclusive: the minute the absence stopped. */
function absenceReport(f: JsonFields, sourceId: string, pupil: Pupil): SourceRecord {
  return absentiemeldingReport(f, { sourceSystem: 'somtoday', sourceId, pupil }, () => false);
}

function teacherCheck(f: JsonFields, sourceId: string, pupil: Pupil): SourceRecord {
  return waarnemingTeacherCheck(f, { sourceSystem: 'somtoday', sourceId, pupil }, () => ({
    // A handled check may carry the reason it was booked with.
    authorisedFlag: f.read('absentieReden.geoorloofd', asFlag),
    reasonCode: f.read('absentieReden.afkorting', asText),
    lessonRef: linkedId(f, 'afspraak'),
    explainedByRef: linkedId(f, 'absentieMelding') ?? firstLinkedId(f, 'absentieMeldingen'),
  }));
}

/** A timetable item (`GET /rest/v1/afspraken`): any `$type` naming an afspraak (`rooster.RAfspraakPrimer`, …). */
function isAfspraak(item: unknown): item is Readonly<Record<string, unknown>> {
  if (!isObject(item)) return false;
  const type = item['$type'];
  return typeof type === 'string' && type.includes('Afspraak');
}

/** `afspraakType.categorie` of a lesson; an afspraak of another category (an activity, …) is no lesson. */
const LESSON_CATEGORY = 'Rooster';
/** `afspraakStatus` of a lesson that takes place; any other status is read as cancelled (UNCONFIRMED). */
const ACTIVE_STATUS = 'ACTIEF';

/**
 * An afspraak → its lessons: one per pupil in `additionalObjects.leerlingen` (`?additional=leerlingen`), or
 * one without a pupil. Another category than "Rooster" is skipped (not a lesson, not a problem). Times stay
 * as given; `omschrijving` (free text naming room, group and teacher) is never read.
 */
function toLessons(item: Readonly<Record<string, unknown>>): Lesson[] {
  const f = new JsonFields(item);
  const sourceId = f.need('links[0].id', asId);
  const category = f.read('afspraakType.categorie', asText);
  if (category !== null && category !== LESSON_CATEGORY) return [];
  const start = f.need('beginDatumTijd', asDateTime);
  const end = f.need('eindDatumTijd', asDateTime);
  const startMs = start.instantMs !== null && end.instantMs !== null ? start.instantMs : start.wallMs;
  const endMs = start.instantMs !== null && end.instantMs !== null ? end.instantMs : end.wallMs;
  if (endMs <= startMs)
    throw new ItemProblem(ADAPTER_ERRORS.IMPOSSIBLE_TIME, 'eindDatumTijd: not after beginDatumTijd');
  const lessonHour = f.read('beginLesuur', asLessonHour);
  const status = f.read('afspraakStatus', asText);
  const subject = f.read('additionalObjects.vak.afkorting', asText);
  const pupils = readLessonPupils(f);
  const lesson = (pupil: string | undefined): Lesson => ({
    lessonId: sourceId,
    ...(pupil === undefined ? {} : { pupil }),
    date: localDate(start),
    start: start.text,
    end: end.text,
    lessonHour,
    durationMinutes: Math.round((endMs - startMs) / 60_000),
    cancelled: status !== null && status !== ACTIVE_STATUS,
    ...(subject === null ? {} : { subject }),
    sourceSystem: 'somtoday',
    sourceId,
  });
  return pupils === null ? [lesson(undefined)] : pupils.map(lesson);
}

/** The pupils' `links[0].id` from `additionalObjects.leerlingen.items`; null when the payload names none. */
function readLessonPupils(f: JsonFields): string[] | null {
  if (f.read('additionalObjects.leerlingen', asAnything) === null) return null;
  const list = f.need('additionalObjects.leerlingen.items', asAnything);
  if (!Array.isArray(list))
    throw new ItemProblem(ADAPTER_ERRORS.WRONG_TYPE, 'additionalObjects.leerlingen.items: not a list');
  const ids = list.map((_, i) => f.need(`additionalObjects.leerlingen.items[${i}].links[0].id`, asId));
  return [...new Set(ids)];
}

/** `links[0].id` of an embedded entity; an entity that is there but has no id is a problem, not a null. */
function linkedId(f: JsonFields, field: string): string | null {
  return f.read(field, asAnything) === null ? null : f.need(`${field}.links[0].id`, asId);
}

function firstLinkedId(f: JsonFields, field: string): string | null {
  const list = f.read(field, asAnything);
  if (list === null) return null;
  if (!Array.isArray(list)) throw new ItemProblem(ADAPTER_ERRORS.WRONG_TYPE, `${field}: not a list`);
  return list.length === 0 ? null : f.need(`${field}[0].links[0].id`, asId);
}

/** The whole payload, kept as raw so it can be replayed once the sender is fixed. */
function malformed(payload: unknown, detail: string): AdapterOutput {
  return malformedPayload('somtoday', detail, payload);
}

/** One somtoday item set aside, under the source id it carries when it has one. */
function quarantine(reason: QuarantineReason, detail: string, raw: unknown): QuarantinedInput {
  return quarantinedInput('somtoday', idAt(raw, 'links[0].id'), reason, detail, raw);
}
