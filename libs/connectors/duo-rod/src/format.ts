import { createHash } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import { type OutboundContext, type ReleasedFields, ValidationError } from '#domain';
import type { ReleasedPayload } from '#privacy';
import { type DuoProfile, LEGACY_2010_PROFILE, kindCode } from './profile.js';

/**
 * The DUO ROD message (docs/duo-rod-message.md): SOAP 1.1, WS-Addressing (Edukoppeling), body per operation.
 * Pure: the same context, payload and options always give the same text.
 */

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSA_NS = 'http://www.w3.org/2005/08/addressing';
/** Edukoppeling addresses an organisation by OIN on the anonymous WS-Addressing address. */
export const OIN_ADDRESS_PREFIX = 'http://www.w3.org/2005/08/addressing/anonymous?oin=';

export const DUO_OPERATIONS = {
  REGISTER: 'MeldenRelatiefVerzuim',
  UPDATE: 'MutatieMeldingRelatiefVerzuim',
  WITHDRAW: 'MutatieMeldingRelatiefVerzuim',
  STATUS: 'AanvraagGewijzigdeMeldingRelatiefVerzuim',
} as const;

export interface DuoMessageOptions {
  /** DUO's OIN (20 digits): `wsa:To`. */
  readonly duoOin: string;
  /** The school's (or board's) OIN (20 digits): `wsa:From`; must match its client certificate. */
  readonly schoolOin: string;
  /** Code tables and namespace; default `legacy-2010`. */
  readonly profile?: DuoProfile;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: false,
});

/** `urn:uuid:` + a UUID (version 5 layout) from the SHA-256 of the key: the same key, the same id. */
export function messageIdFor(idempotencyKey: string): string {
  const hex = createHash('sha256').update(`ketenpoort:duo-rod:${idempotencyKey}`).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The message the connector sends for one delivery; the CLI `report duo` prints exactly this. */
export function formatDuoMessage(
  context: OutboundContext,
  payload: ReleasedPayload,
  options: DuoMessageOptions,
): string {
  return formatReleasedFields(context, payload, options);
}

/** `formatDuoMessage` on the structural view of the payload (what the formatter actually reads). */
export function formatReleasedFields(
  context: OutboundContext,
  fields: ReleasedFields,
  options: DuoMessageOptions,
): string {
  const profile = options.profile ?? LEGACY_2010_PROFILE;
  checkOin(options.duoOin, 'duoOin');
  checkOin(options.schoolOin, 'schoolOin');
  const read = reader(fields);
  let body: Record<string, unknown>;
  if (context.operation === 'REGISTER') body = registerBody(context, read, profile);
  else body = mutationBody(context, read, profile);
  return envelope(
    DUO_OPERATIONS[context.operation],
    messageIdFor(context.idempotencyKey),
    body,
    options,
    profile,
  );
}

/** The AanvraagGewijzigdeMeldingRelatiefVerzuim request: changes since `since` (exclusive). */
export function formatStatusRequest(since: Date, messageId: string, options: DuoMessageOptions): string {
  const profile = options.profile ?? LEGACY_2010_PROFILE;
  checkOin(options.duoOin, 'duoOin');
  checkOin(options.schoolOin, 'schoolOin');
  return envelope(
    DUO_OPERATIONS.STATUS,
    messageId,
    { 'rod:VanafTijdstip': since.toISOString() },
    options,
    profile,
  );
}

function envelope(
  operation: string,
  messageId: string,
  body: Record<string, unknown>,
  options: DuoMessageOptions,
  profile: DuoProfile,
): string {
  const xml: string = builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    'soap:Envelope': {
      '@_xmlns:soap': SOAP_NS,
      '@_xmlns:wsa': WSA_NS,
      '@_xmlns:rod': profile.namespace,
      'soap:Header': {
        'wsa:To': OIN_ADDRESS_PREFIX + options.duoOin,
        'wsa:From': { 'wsa:Address': OIN_ADDRESS_PREFIX + options.schoolOin },
        'wsa:MessageID': messageId,
        'wsa:Action': profile.actionBase + operation,
      },
      'soap:Body': { [`rod:${operation}`]: { '@_profiel': profile.id, ...body } },
    },
  });
  return xml;
}

type Reader = ReturnType<typeof reader>;

/** Characters XML 1.0 cannot carry (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const XML_FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- the point of this pattern is to find control characters
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function reader(fields: ReleasedFields) {
  const value = (path: string): unknown => (fields.has(path) ? fields.get(path) : undefined);
  const invalid = (path: string, expected: string): never => {
    throw new ValidationError('DUO_FIELD_INVALID', `released field ${path} is not ${expected}`, [
      { field: path, code: 'INVALID_VALUE', message: `expected ${expected}` },
    ]);
  };
  return {
    /** A non-empty text, or undefined when withheld / null / empty. */
    text(path: string): string | undefined {
      const v = value(path);
      if (v === undefined || v === null || v === '') return undefined;
      if (typeof v === 'string') return XML_FORBIDDEN.test(v) ? invalid(path, 'text XML 1.0 can carry') : v;
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
      return invalid(path, 'a text');
    },
    date(path: string): string | undefined {
      const v = value(path);
      if (v === undefined || v === null || v === '') return undefined;
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
      return invalid(path, 'a date YYYY-MM-DD');
    },
    number(path: string): number | undefined {
      const v = value(path);
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
      return invalid(path, 'a non-negative number');
    },
    flag(path: string): 'J' | 'N' | undefined {
      const v = value(path);
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'boolean') return v ? 'J' : 'N';
      return invalid(path, 'true or false');
    },
    /** `report.municipalActionWanted`: a boolean, or `{ wanted, explanation? }`. */
    wanted(path: string): Record<string, unknown> | undefined {
      const v = value(path);
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'boolean') return { 'rod:Gewenst': v ? 'J' : 'N' };
      if (typeof v === 'object' && typeof (v as { wanted?: unknown }).wanted === 'boolean') {
        const { wanted, explanation } = v as { wanted: boolean; explanation?: unknown };
        if (explanation !== undefined && explanation !== null && typeof explanation !== 'string')
          return invalid(path, '{ wanted: boolean, explanation?: text }');
        return {
          'rod:Gewenst': wanted ? 'J' : 'N',
          ...(typeof explanation === 'string' && explanation !== ''
            ? { 'rod:Toelichting': explanation }
            : {}),
        };
      }
      return invalid(path, 'true, false or { wanted, explanation }');
    },
    perDay(path: string): Record<string, unknown> | undefined {
      const v = value(path);
      if (v === undefined || v === null) return undefined;
      if (!Array.isArray(v)) return invalid(path, 'a list of days');
      const days = v.map((day: unknown, at) => {
        const d = day as { date?: unknown; lessonHours?: unknown };
        if (
          typeof d !== 'object' ||
          d === null ||
          typeof d.date !== 'string' ||
          !/^\d{4}-\d{2}-\d{2}$/.test(d.date)
        )
          return invalid(`${path}[${at}].date`, 'a date YYYY-MM-DD');
        const hours = d.lessonHours ?? [];
        if (!Array.isArray(hours) || !hours.every((h) => Number.isInteger(h) && h >= 1 && h <= 12))
          return invalid(`${path}[${at}].lessonHours`, 'lesson hours 1..12');
        const unique = [...new Set(hours as number[])].sort((a, b) => a - b);
        return { 'rod:Datum': d.date, 'rod:AantalUren': unique.length, 'rod:Lesuur': unique };
      });
      return days.length === 0 ? undefined : { 'rod:Dag': days };
    },
  };
}

/** Adds `key: value` only when value is not undefined (a withheld field is absent, never empty). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)
    return;
  target[key] = value;
}

function group(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of entries) put(result, key, value);
  return result;
}

function registerBody(context: OutboundContext, read: Reader, profile: DuoProfile): Record<string, unknown> {
  const bsn = read.text('pupil.bsn');
  const onderwijsnummer = bsn === undefined ? read.text('pupil.onderwijsnummer') : undefined;
  const kind = read.text('absence.kind') ?? context.reportKind;
  return group([
    ['rod:Kenmerk', context.reportId],
    [
      'rod:Instelling',
      group([
        ['rod:Brin', read.text('school.brin')],
        ['rod:Vestiging', read.text('school.vestiging')],
        ['rod:Lesplaats', read.text('school.locationName')],
      ]),
    ],
    [
      'rod:Leerling',
      group([
        ['rod:Bsn', bsn],
        ['rod:Onderwijsnummer', onderwijsnummer],
        ['rod:Telefoon', read.text('pupil.phone')],
      ]),
    ],
    ['rod:Ouder', group([['rod:Telefoon', read.text('parent.phone')]])],
    [
      'rod:Verzuim',
      group([
        ['rod:Soort', kindCode(profile, kind)],
        ['rod:Begindatum', read.date('absence.beginDate')],
        ['rod:Einddatum', read.date('absence.endDate')],
        ['rod:AlleLessenGemist', read.flag('absence.allLessonsMissed')],
        ['rod:AantalDagen', read.number('absence.days')],
        ['rod:AantalUren', read.number('absence.hours')],
        ['rod:VerzuimPerDag', read.perDay('absence.perDay')],
      ]),
    ],
    ['rod:VermoedeReden', read.text('report.suspectedReason')],
    ['rod:OndernomenActie', read.text('report.actionTaken')],
    ['rod:ActieGemeente', read.wanted('report.municipalActionWanted')],
    [
      'rod:Melder',
      group([
        ['rod:Naam', read.text('reporter.name')],
        ['rod:Functie', read.text('reporter.role')],
        ['rod:Telefoon', read.text('reporter.phone')],
        ['rod:Email', read.text('reporter.email')],
      ]),
    ],
  ]);
}

function mutationBody(context: OutboundContext, read: Reader, profile: DuoProfile): Record<string, unknown> {
  if (context.externalRef === null || context.externalRef === '')
    throw new ValidationError(
      'DUO_REPORT_NUMBER_MISSING',
      'an update or withdrawal needs DUO’s report number',
      [
        {
          field: 'externalRef',
          code: 'REQUIRED',
          message: 'the report number from the registration is required',
        },
      ],
    );
  const head: [string, unknown][] = [
    ['rod:Meldingnummer', context.externalRef],
    ['rod:Kenmerk', context.reportId],
  ];
  if (context.operation === 'WITHDRAW')
    return group([...head, ['rod:Mutatiesoort', profile.mutations.withdraw]]);
  return group([
    ...head,
    ['rod:Mutatiesoort', profile.mutations.update],
    ['rod:Einddatum', read.date('absence.endDate')],
    ['rod:AantalDagen', read.number('absence.days')],
    ['rod:AantalUren', read.number('absence.hours')],
    ['rod:VerzuimPerDag', read.perDay('absence.perDay')],
  ]);
}

function checkOin(oin: string, name: string): void {
  if (!/^\d{20}$/.test(oin))
    throw new ValidationError('DUO_OIN_INVALID', `${name} is not a 20-digit OIN`, [
      { field: name, code: 'INVALID_OIN', message: 'an OIN has 20 digits' },
    ]);
}
