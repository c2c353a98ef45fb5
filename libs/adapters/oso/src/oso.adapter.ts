import { XMLValidator } from 'fast-xml-parser';
import type {
  AdapterOutput,
  QuarantinedInput,
  QuarantineReason,
  SourceAdapter,
  SourceAggregate,
  SourceRecord,
} from '#domain';
import {
  ADAPTER_ERRORS,
  type JsonObject,
  type Read,
  XML_DECLARATION,
  isObject,
  ok,
  problem,
  safeXmlParser,
} from '#adapter-kit';
import { redactPgnFromText, withoutPgn } from './pgn-redaction.js';

/**
 * OSO overstapdossier (Edustandaard, `http://www.edustandaard.nl/oso_gegevensset/2019/dossier`) → one aggregate
 * source record per leerling: the 12-month absence totals in `huidigeschool/leerling/verzuim`.
 *
 * The dossier also carries the pupil's BSN or onderwijsnummer: never read, stripped from every quarantined raw.
 * Decisions (README): period = the 12 months before `metadata/datum`, both bounds inclusive; sourceId =
 * `<brincode><vestigingscode>/<leerlingid>/<datum>`; a bare `verzuim` fragment has no pupil → MISSING_FIELD.
 */

const SYSTEM = 'oso' as const;

/** The largest totals 12 months can hold: two day parts or 24 hours on each of 366 days. */
const MAX_DAY_PARTS = 2 * 366;
const MAX_HOURS = 24 * 366;

/** DTDs are never needed in a dossier: refused up front (XML_DECLARATION), and never expanded by the parser. */
const xmlParser = safeXmlParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  isArray: (tagName) => tagName === 'leerling',
});

/** What one dossier says about every leerling in it. */
interface DossierContext {
  readonly datum: string;
  readonly brin: string;
  readonly vestiging: string | undefined;
  readonly from: string;
  readonly to: string;
}

export const osoAdapter: SourceAdapter = {
  system: SYSTEM,
  produces: ['records'],
  parse: parseDossier,
};

function parseDossier(payload: string): AdapterOutput {
  const text = payload.charCodeAt(0) === 0xfeff ? payload.slice(1) : payload;
  if (XML_DECLARATION.test(text))
    return quarantineOnly(
      null,
      ADAPTER_ERRORS.MALFORMED_PAYLOAD,
      'payload has a DOCTYPE or ENTITY declaration',
      redactPgnFromText(text),
    );
  if (text.trim() === '')
    return quarantineOnly(null, ADAPTER_ERRORS.MALFORMED_PAYLOAD, 'payload is empty', '');
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { code, line } = validation.err;
    return quarantineOnly(
      null,
      ADAPTER_ERRORS.MALFORMED_PAYLOAD,
      `payload is not well-formed XML (${code} at line ${line})`,
      redactPgnFromText(text),
    );
  }

  let document: unknown;
  try {
    document = xmlParser.parse(text);
  } catch {
    return quarantineOnly(
      null,
      ADAPTER_ERRORS.MALFORMED_PAYLOAD,
      'payload could not be parsed as XML',
      redactPgnFromText(text),
    );
  }
  const roots = isObject(document) ? Object.keys(document) : [];
  if (!isObject(document) || roots.length !== 1)
    return quarantineOnly(
      null,
      ADAPTER_ERRORS.MALFORMED_PAYLOAD,
      'payload does not have exactly one root element',
      withoutPgn(document),
    );

  const [root] = roots as [string];
  const content = document[root];
  if (root === 'dossier') return readDossier(content);
  // Parts of a dossier without its metadata and school have no pupil or no period to pin the totals on.
  if (root === 'verzuim')
    return quarantineOnly(
      null,
      ADAPTER_ERRORS.MISSING_FIELD,
      'leerlingid is missing: a verzuim fragment has no pupil',
      withoutPgn(document),
    );
  if (root === 'leerling' || root === 'huidigeschool')
    return quarantineOnly(
      null,
      ADAPTER_ERRORS.MISSING_FIELD,
      `metadata/datum is missing: a ${root} fragment has no dossier date`,
      withoutPgn(document),
    );
  return quarantineOnly(
    null,
    ADAPTER_ERRORS.MALFORMED_PAYLOAD,
    'root element is not an OSO dossier',
    withoutPgn(document),
  );
}

function readDossier(dossier: unknown): AdapterOutput {
  if (!isObject(dossier))
    return quarantineOnly(null, ADAPTER_ERRORS.MISSING_FIELD, 'dossier is empty', withoutPgn(dossier));
  const context = readContext(dossier);
  if (!context.ok)
    return quarantineOnly(null, context.problem.reason, context.problem.detail, withoutPgn({ dossier }));

  const school = dossier['huidigeschool'] as JsonObject;
  const pupils = school['leerling'];
  if (pupils === undefined)
    return quarantineOnly(
      null,
      ADAPTER_ERRORS.MISSING_FIELD,
      'huidigeschool/leerling is missing',
      withoutPgn({ dossier }),
    );

  const records: SourceRecord[] = [];
  const quarantined: QuarantinedInput[] = [];
  (pupils as unknown[]).forEach((leerling, index) => {
    // A quarantined leerling keeps its dossier around it (date, school): without them it cannot be replayed.
    const inContext = (item: unknown): unknown =>
      withoutPgn({ dossier: { ...dossier, huidigeschool: { ...school, leerling: [item] } } });
    const result = readLeerling(leerling, `huidigeschool/leerling[${index}]`, context.value, inContext);
    if (result.kind === 'record') records.push(result.record);
    else if (result.kind === 'quarantine') quarantined.push(result.item);
  });
  return { records, lessons: [], quarantined };
}

function readContext(dossier: JsonObject): Read<DossierContext> {
  const metadata = dossier['metadata'];
  if (metadata !== undefined && metadata !== '' && !isObject(metadata))
    return problem(ADAPTER_ERRORS.WRONG_TYPE, 'metadata is not a single element');
  const datumText = readText(isObject(metadata) ? metadata['datum'] : undefined, 'metadata/datum');
  if (!datumText.ok) return datumText;
  if (datumText.value === undefined)
    return problem(ADAPTER_ERRORS.MISSING_FIELD, 'metadata/datum is missing');
  const datum = readDate(datumText.value);
  if (datum === null) return problem(ADAPTER_ERRORS.WRONG_TYPE, 'metadata/datum is not a date (YYYY-MM-DD)');

  const school = dossier['huidigeschool'];
  if (school === undefined || school === '')
    return problem(ADAPTER_ERRORS.MISSING_FIELD, 'huidigeschool is missing');
  if (!isObject(school)) return problem(ADAPTER_ERRORS.WRONG_TYPE, 'huidigeschool is not a single element');
  const brin = readText(school['brincode'], 'huidigeschool/brincode');
  if (!brin.ok) return brin;
  if (brin.value === undefined)
    return problem(ADAPTER_ERRORS.MISSING_FIELD, 'huidigeschool/brincode is missing');
  if (!/^\d{2}[A-Z0-9]{2}$/i.test(brin.value))
    return problem(
      ADAPTER_ERRORS.WRONG_TYPE,
      'huidigeschool/brincode is not a BRIN (2 digits and 2 letters or digits)',
    );
  const vestiging = readText(school['vestigingscode'], 'huidigeschool/vestigingscode');
  if (!vestiging.ok) return vestiging;
  if (vestiging.value !== undefined && !/^\d{2}$/.test(vestiging.value))
    return problem(ADAPTER_ERRORS.WRONG_TYPE, 'huidigeschool/vestigingscode is not 2 digits');

  return ok({
    datum,
    brin: brin.value.toUpperCase(),
    vestiging: vestiging.value,
    from: sameDayAYearEarlier(datum),
    to: dayBefore(datum),
  });
}

type LeerlingOutcome =
  | { readonly kind: 'record'; readonly record: SourceRecord }
  | { readonly kind: 'none' }
  | { readonly kind: 'quarantine'; readonly item: QuarantinedInput };

function readLeerling(
  leerling: unknown,
  at: string,
  context: DossierContext,
  inContext: (item: unknown) => unknown,
): LeerlingOutcome {
  const reject = (
    sourceId: string | null,
    reason: QuarantineReason,
    detail: string,
    raw = inContext(leerling),
  ) => ({
    kind: 'quarantine' as const,
    item: { quarantined: true as const, sourceSystem: SYSTEM, sourceId, reason, detail, raw },
  });
  if (!isObject(leerling)) return reject(null, ADAPTER_ERRORS.MISSING_FIELD, `${at} has no leerlingid`);

  const id = readText(leerling['leerlingid'], `${at}/leerlingid`);
  if (!id.ok) return reject(null, id.problem.reason, id.problem.detail);
  if (id.value === undefined)
    return reject(null, ADAPTER_ERRORS.MISSING_FIELD, `${at}/leerlingid is missing`);
  const leerlingid = id.value;
  // A school that fills leerlingid with the BSN would leak it into every record: refuse, and keep neither.
  if (isPgnOf(leerling, leerlingid)) {
    const { leerlingid: _dropped, ...rest } = leerling;
    return reject(
      null,
      ADAPTER_ERRORS.MISSING_FIELD,
      `${at}/leerlingid is the pupil's bsn or onderwijsnummer; a school-local leerlingid is required`,
      inContext(rest),
    );
  }
  const sourceId = `${context.brin}${context.vestiging ?? ''}/${leerlingid}/${context.datum}`;

  const verzuim = leerling['verzuim'];
  // The verzuim category is optional in a dossier (`cat_verzuim`): no element means nothing was delivered.
  if (verzuim === undefined) return { kind: 'none' };
  if (!isObject(verzuim)) {
    if (verzuim === '') return reject(sourceId, ADAPTER_ERRORS.MISSING_FIELD, `${at}/verzuim has no totals`);
    return reject(sourceId, ADAPTER_ERRORS.WRONG_TYPE, `${at}/verzuim is not a single element`);
  }

  const aggregate = readTotals(verzuim, `${at}/verzuim`, context);
  if (!aggregate.ok) return reject(sourceId, aggregate.problem.reason, aggregate.problem.detail);

  return {
    kind: 'record',
    record: {
      sourceSystem: SYSTEM,
      sourceRecordType: 'aggregate',
      sourceId,
      pupil: { localId: leerlingid },
      school: {
        brin: context.brin,
        ...(context.vestiging === undefined ? {} : { vestiging: context.vestiging }),
      },
      via: 'AGGREGATE',
      kind: 'ABSENT',
      authorisedFlag: null,
      reasonCode: null,
      date: context.datum,
      start: null,
      end: null,
      endInclusive: false,
      lessonHourFrom: null,
      lessonHourTo: null,
      wholeDay: false,
      arrivedAt: null,
      lessonRef: null,
      lesson: null,
      explainedByRef: null,
      aggregate: aggregate.value,
    },
  };
}

function readTotals(verzuim: JsonObject, at: string, context: DossierContext): Read<SourceAggregate> {
  const dayParts = readPair(verzuim, at, 'dagdelengeoorloofd', 'dagdelenongeoorloofd', /^\d+$/);
  if (!dayParts.ok) return dayParts;
  const hours = readPair(verzuim, at, 'urengeoorloofd', 'urenongeoorloofd', /^\d+(?:\.\d+)?$/);
  if (!hours.ok) return hours;

  if (dayParts.value && hours.value)
    return problem(
      ADAPTER_ERRORS.WRONG_TYPE,
      `${at} has both dagdelen* (po) and uren* (vo) totals; one unit expected`,
    );
  const totals = dayParts.value ?? hours.value;
  if (!totals)
    return problem(
      ADAPTER_ERRORS.MISSING_FIELD,
      `${at} has none of dagdelen(on)geoorloofd, uren(on)geoorloofd`,
    );

  const unit = dayParts.value ? 'DAY_PART' : 'HOUR';
  const sum = (totals.authorised ?? 0) + (totals.unauthorised ?? 0);
  if (sum > (unit === 'DAY_PART' ? MAX_DAY_PARTS : MAX_HOURS))
    return problem(ADAPTER_ERRORS.IMPOSSIBLE_TIME, `${at} totals exceed what 12 months can hold`);

  return ok({ unit, ...totals, from: context.from, to: context.to });
}

interface Totals {
  readonly authorised: number | null;
  readonly unauthorised: number | null;
}

/** The authorised/unauthorised pair of one unit; undefined when neither is given. */
function readPair(
  verzuim: JsonObject,
  at: string,
  authorisedName: string,
  unauthorisedName: string,
  format: RegExp,
): Read<Totals | undefined> {
  const authorised = readCount(verzuim[authorisedName], `${at}/${authorisedName}`, format);
  if (!authorised.ok) return authorised;
  const unauthorised = readCount(verzuim[unauthorisedName], `${at}/${unauthorisedName}`, format);
  if (!unauthorised.ok) return unauthorised;
  if (authorised.value === null && unauthorised.value === null) return ok(undefined);
  return ok({ authorised: authorised.value, unauthorised: unauthorised.value });
}

function readCount(value: unknown, field: string, format: RegExp): Read<number | null> {
  const text = readText(value, field);
  if (!text.ok) return text;
  if (text.value === undefined) return ok(null);
  if (!format.test(text.value))
    return problem(ADAPTER_ERRORS.WRONG_TYPE, `${field} is not a non-negative number`);
  return ok(Number(text.value));
}

/** The text of a leaf element (entities decoded); undefined when absent or empty; WRONG_TYPE when not a leaf. */
function readText(value: unknown, field: string): Read<string | undefined> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'string')
    return problem(ADAPTER_ERRORS.WRONG_TYPE, `${field} is not a single text element`);
  const text = decodeXmlEntities(value).trim();
  return ok(text === '' ? undefined : text);
}

function isPgnOf(leerling: JsonObject, id: string): boolean {
  return ['bsn', 'onderwijsnummer'].some((name) => {
    const value = leerling[name];
    return typeof value === 'string' && decodeXmlEntities(value).trim() === id;
  });
}

/** The five predefined XML entities and character references; anything else stays as written. */
function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-f]{1,6});/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'amp') return '&';
    if (lower === 'quot') return '"';
    if (lower === 'apos') return "'";
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** `YYYY-MM-DD` (an xs:date, optionally with a zone suffix, which is dropped); null when not a real date. */
function readDate(text: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!match) return null;
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const iso = date.toISOString().slice(0, 10);
  return iso === `${year}-${month}-${day}` ? iso : null;
}

function dayBefore(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day - 1)).toISOString().slice(0, 10);
}

/** The same calendar day one year earlier; 29 February becomes 1 March, so the span stays exactly a year. */
function sameDayAYearEarlier(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year - 1, month - 1, day)).toISOString().slice(0, 10);
}

function quarantineOnly(
  sourceId: string | null,
  reason: QuarantineReason,
  detail: string,
  raw: unknown,
): AdapterOutput {
  return {
    records: [],
    lessons: [],
    quarantined: [{ quarantined: true, sourceSystem: SYSTEM, sourceId, reason, detail, raw }],
  };
}
