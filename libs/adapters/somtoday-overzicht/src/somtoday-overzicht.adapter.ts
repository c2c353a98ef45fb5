import type {
  AdapterOutput,
  GenericKind,
  QuarantinedInput,
  RegisteredVia,
  SourceAdapter,
  SourceRecord,
  QuarantineReason,
} from '#domain';
import {
  ADAPTER_ERRORS,
  quarantinedInput,
  asAnything,
  asDateTime,
  asFlag,
  asId,
  asText,
  endOfLocalDay,
  endsBeforeStart,
  isObject,
  ItemProblem,
  JsonFields,
  type JsonObject,
  localDate,
  malformedPayload,
  idAt,
} from '#adapter-kit';

// SOMtoday's `GET /rest/v1/leerlingen/{id}/registratieOverzicht`: the portal's absence page, already grouped
// into buckets. Every attendance bucket lists its registrations one by one, so each becomes a record of its
// own; the homework and material buckets are not attendance and are not read at all.

export type OverzichtPupil = SourceRecord['pupil'];

interface Bucket {
  readonly via: RegisteredVia;
  readonly kind: GenericKind;
  /** What the bucket says about `geoorloofd` when the entry itself does not. */
  readonly flag: boolean | null;
  readonly recordType: string;
}

const BUCKETS: ReadonlyMap<string, Bucket> = new Map([
  ['ongeoorloofdAfwezig', { via: 'REPORT', kind: 'ABSENT', flag: false, recordType: 'absentiemelding' }],
  ['geoorloofdAfwezig', { via: 'REPORT', kind: 'ABSENT', flag: true, recordType: 'absentiemelding' }],
  ['teLaat', { via: 'REPORT', kind: 'LATE', flag: null, recordType: 'absentiemelding' }],
  ['verwijderd', { via: 'REPORT', kind: 'SENT_OUT', flag: null, recordType: 'absentiemelding' }],
  ['afwezigWaarnemingen', { via: 'TEACHER_CHECK', kind: 'ABSENT', flag: null, recordType: 'waarneming' }],
]);

/** Lists that are no attendance bucket: homework and material remarks (not attendance), REST metadata. */
const NOT_BUCKETS: ReadonlySet<string> = new Set([
  'huiswerkNietGemaakt',
  'materiaalNietInOrde',
  'links',
  'permissions',
]);

/**
 * Reads `{ leerling, registratieOverzicht }`: the overview wrapped with the pupil it was fetched for (the
 * response itself names no pupil). A bare overview is read too, but each entry is quarantined for its
 * missing pupil.
 */
export const somtodayOverzichtAdapter: SourceAdapter = overzichtAdapter(null);

/** For a transport that fetched `/leerlingen/{id}/registratieOverzicht` and so knows the pupil. */
export function createSomtodayOverzichtAdapter(pupil: OverzichtPupil): SourceAdapter {
  return overzichtAdapter({ ...pupil });
}

function overzichtAdapter(boundPupil: OverzichtPupil | null): SourceAdapter {
  return {
    system: 'somtoday-overzicht',
    produces: ['records'],
    parse: (payload, context) =>
      parseOverzicht(
        payload,
        boundPupil ?? (context?.pupilId?.trim() ? { localId: context.pupilId.trim() } : null),
      ),
  };
}

function parseOverzicht(payload: string, boundPupil: OverzichtPupil | null): AdapterOutput {
  let root: unknown;
  try {
    root = JSON.parse(payload.replace(/^\uFEFF/, ''));
  } catch {
    return malformed(payload, 'payload: not valid JSON');
  }
  if (!isObject(root)) return malformed(payload, 'payload: not a JSON object');
  let overview: JsonObject = root;
  let pupil: OverzichtPupil | ItemProblem =
    boundPupil ??
    new ItemProblem(
      ADAPTER_ERRORS.MISSING_FIELD,
      'leerling: missing (wrap the overview as { leerling, registratieOverzicht })',
    );
  if (Object.hasOwn(root, 'registratieOverzicht')) {
    const inner = root['registratieOverzicht'];
    if (!isObject(inner)) return malformed(payload, 'registratieOverzicht: not an object');
    overview = inner;
    pupil = envelopePupil(root) ?? pupil;
  }

  const records: SourceRecord[] = [];
  const quarantined: QuarantinedInput[] = [];
  for (const [name, bucket] of BUCKETS) {
    const entries = overview[name];
    if (entries === undefined || entries === null) continue;
    if (!Array.isArray(entries)) {
      quarantined.push(quarantine(ADAPTER_ERRORS.WRONG_TYPE, `${name}: not a list`, entries));
      continue;
    }
    (entries as readonly unknown[]).forEach((entry, i) => {
      try {
        records.push(toRecord(entry, bucket, pupil));
      } catch (error) {
        if (!(error instanceof ItemProblem)) throw error;
        quarantined.push(quarantine(error.reason, `${name}[${i}]: ${error.message}`, entry));
      }
    });
  }
  // A list under a key this adapter does not know is a bucket SOMtoday added: its entries are kept in
  // quarantine (UNKNOWN_KIND) rather than silently skipped. Not-attendance buckets and REST metadata are not.
  for (const [name, entries] of Object.entries(overview)) {
    if (BUCKETS.has(name) || NOT_BUCKETS.has(name) || !Array.isArray(entries)) continue;
    (entries as readonly unknown[]).forEach((entry, i) => {
      quarantined.push(quarantine(ADAPTER_ERRORS.UNKNOWN_KIND, `${name}[${i}]: an unknown bucket`, entry));
    });
  }
  return { records, lessons: [], quarantined };
}

/** The envelope's pupil: SOMtoday's leerling primer, its numeric `links[0].id` as in the other endpoints. */
function envelopePupil(root: JsonObject): OverzichtPupil | ItemProblem | null {
  const f = new JsonFields(root);
  try {
    if (f.read('leerling', asAnything) === null) return null;
    const localId = f.need('leerling.links[0].id', asId);
    const leerlingnummer = f.read('leerling.leerlingnummer', asId);
    return leerlingnummer === null ? { localId } : { localId, leerlingnummer };
  } catch (error) {
    if (error instanceof ItemProblem) return error;
    throw error;
  }
}

function toRecord(entry: unknown, bucket: Bucket, pupil: OverzichtPupil | ItemProblem): SourceRecord {
  if (!isObject(entry)) throw new ItemProblem(ADAPTER_ERRORS.WRONG_TYPE, 'entry: not an object');
  const f = new JsonFields(entry);
  const sourceId = f.need('registratieId', asId);
  if (pupil instanceof ItemProblem) throw pupil;
  const start = f.need('begin', asDateTime);
  const end = f.read('eind', asDateTime);
  if (end !== null && endsBeforeStart(start, end)) {
    throw new ItemProblem(ADAPTER_ERRORS.IMPOSSIBLE_TIME, 'eind: before begin');
  }
  return {
    sourceSystem: 'somtoday-overzicht',
    sourceRecordType: f.read('registratieSoort', asText)?.toLowerCase() ?? bucket.recordType,
    sourceId,
    pupil,
    school: null,
    via: bucket.via,
    kind: bucket.kind,
    // As the school booked the reason; the bucket's own meaning only when the entry is silent.
    authorisedFlag: f.read('geoorloofd', asFlag) ?? bucket.flag,
    // The overview gives no reason code, only the school's own name for the reason ("Tandarts").
    reasonCode: f.read('omschrijving', asText),
    date: localDate(start),
    start: start.text,
    // No end: open-ended; it covers the rest of its first local day until SOMtoday gives an end.
    end: end?.text ?? endOfLocalDay(start),
    endInclusive: false,
    lessonHourFrom: null,
    lessonHourTo: null,
    wholeDay: false,
    arrivedAt: bucket.kind === 'LATE' && end !== null ? end.text : null,
    lessonRef: null,
    lesson: null,
    explainedByRef: null,
    aggregate: null,
  };
}

/** The whole payload, kept as raw so it can be replayed once the sender is fixed. */
function malformed(payload: string, detail: string): AdapterOutput {
  return malformedPayload('somtoday-overzicht', detail, payload);
}

/** One somtoday-overzicht item set aside, under the source id it carries when it has one. */
function quarantine(reason: QuarantineReason, detail: string, raw: unknown): QuarantinedInput {
  return quarantinedInput('somtoday-overzicht', idAt(raw, 'registratieId'), reason, detail, raw);
}
