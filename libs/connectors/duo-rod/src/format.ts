import { createHash } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import { type CopyRecipient, type OutboundContext, type ReleasedFields, ValidationError } from '#domain';
import type { ReleasedPayload } from '#privacy';
import { BASE64_BINARY, OIN_ADDRESS_PREFIX, SOAP_NS, WSA_NS, WSSE_NS, WSU_NS, X509V3 } from './namespaces.js';
import { type DuoProfile, IBG_VSV_2_PROFILE, kindCode } from './profile.js';
import { type DuoSigningKey, type SignedPartIds, signEnvelope, tokenOf } from './wss-sign.js';
import { DUO_ROD_ERRORS } from './duo-rod-error-codes.js';

/**
 * The DUO ROD message (docs/duo-rod-message.md): a SOAP 1.1 envelope with WS-Addressing and WS-Security headers
 * (Digikoppeling WUS 2W-be-S), the body in the profile's vocabulary. Pure: the same context, payload, options
 * and key always give the same text.
 */

export interface DuoMessageOptions {
  /** DUO's OIN (20 digits): `wsa:To`. */
  readonly duoOin: string;
  /** The sending party's OIN (20 digits): `wsa:From`; the certificate of TLS and signature carries the same. */
  readonly senderOin: string;
  /** Vocabulary, codes and rules; default `ibg-vsv-2`. */
  readonly profile?: DuoProfile;
  /** The sending party's key and certificate: the message is signed (2W-be-S). Absent: unsigned (preview). */
  readonly signing?: DuoSigningKey;
  /** The moment of the timestamp and the business document; default the context's `sentAt`. */
  readonly now?: Date;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: false,
});

function uuidFrom(label: string): string {
  const hex = createHash('sha256').update(label).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `urn:uuid:` + a UUID (version 5 layout) from the SHA-256 of the key: the same key, the same id. */
export function messageIdFor(idempotencyKey: string): string {
  return `urn:uuid:${uuidFrom(`ketenpoort:duo-rod:${idempotencyKey}`)}`;
}

/** identificatiecodeBedrijfsdocument: the sender's id of the document, stable for one delivery. */
export function documentIdFor(idempotencyKey: string): string {
  return uuidFrom(`ketenpoort:duo-rod:document:${idempotencyKey}`);
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
  const profile = options.profile ?? IBG_VSV_2_PROFILE;
  checkOin(options.duoOin, 'duoOin');
  checkOin(options.senderOin, 'senderOin');
  const read = reader(fields, profile);
  const now = options.now ?? context.sentAt;
  const header = documentHeader(documentIdFor(context.idempotencyKey), now, options, profile, {
    brin: read.text('school.brin') ?? context.school,
    woongemeente: read.text('pupil.woongemeente') ?? null,
  });
  const operation =
    context.operation === 'REGISTER' ? profile.operations.register : profile.operations.mutation;
  const content =
    context.operation === 'REGISTER'
      ? { ...header, 'duo:meldingRelatiefVerzuim': registration(context, read, profile) }
      : { ...header, ...mutation(context, read, profile) };
  return envelope(operation, messageIdFor(context.idempotencyKey), content, now, options, profile);
}

/** The AanvraagGewijzigdeMeldingRelatiefVerzuim request: changes since `since` (exclusive), in UTC. */
export function formatStatusRequest(
  since: Date,
  messageId: string,
  options: DuoMessageOptions & { readonly now: Date },
): string {
  const profile = options.profile ?? IBG_VSV_2_PROFILE;
  checkOin(options.duoOin, 'duoOin');
  checkOin(options.senderOin, 'senderOin');
  const iso = since.toISOString();
  const content = {
    ...documentHeader(messageId.replace(/^urn:uuid:/, ''), options.now, options, profile, {
      brin: null,
      woongemeente: null,
    }),
    'duo:selectieperiode': {
      'duo:datumBeginSelectieperiode': iso.slice(0, 10),
      'duo:tijdstipBeginSelectieperiode': iso.slice(11, 23),
    },
  };
  return envelope(profile.operations.status, messageId, content, options.now, options, profile);
}

/** The business-document header that starts every body (duo-interface.md §3). */
function documentHeader(
  documentId: string,
  now: Date,
  options: DuoMessageOptions,
  profile: DuoProfile,
  historic: { readonly brin: string | null; readonly woongemeente: string | null },
): Record<string, string> {
  const sender =
    profile.documentHeader === 'HISTORIC' && historic.brin !== null ? historic.brin : options.senderOin;
  const receiver =
    profile.documentHeader === 'HISTORIC' && historic.woongemeente !== null
      ? historic.woongemeente
      : options.duoOin;
  return {
    'duo:identificatiecodeBedrijfsdocument': documentId,
    'duo:verzendendeInstantie': sender,
    'duo:ontvangendeInstantie': receiver,
    'duo:datumTijdBedrijfsdocument': now.toISOString(),
  };
}

/** The wsu:Id of each signed part: its name and the message's UUID, unique within the message. */
function partIds(messageId: string): SignedPartIds {
  const suffix = messageId.replace(/^urn:uuid:/, '');
  return {
    token: `X509-${suffix}`,
    timestamp: `TS-${suffix}`,
    from: `From-${suffix}`,
    to: `To-${suffix}`,
    action: `Action-${suffix}`,
    messageId: `MessageID-${suffix}`,
    body: `Body-${suffix}`,
  };
}

function envelope(
  operation: string,
  messageId: string,
  content: Record<string, unknown>,
  now: Date,
  options: DuoMessageOptions,
  profile: DuoProfile,
): string {
  const ids = partIds(messageId);
  const created = now.toISOString();
  const expires = new Date(now.getTime() + profile.timestampTtlSeconds * 1000).toISOString();
  const security =
    options.signing === undefined
      ? {}
      : {
          'wsse:Security': {
            '@_soapenv:mustUnderstand': '1',
            'wsse:BinarySecurityToken': {
              '@_EncodingType': BASE64_BINARY,
              '@_ValueType': X509V3,
              '@_wsu:Id': ids.token,
              '#text': tokenOf(options.signing),
            },
            'wsu:Timestamp': {
              '@_wsu:Id': ids.timestamp,
              'wsu:Created': created,
              'wsu:Expires': expires,
            },
          },
        };
  const xml: string = builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    'soapenv:Envelope': {
      '@_xmlns:soapenv': SOAP_NS,
      '@_xmlns:wsa': WSA_NS,
      '@_xmlns:wsse': WSSE_NS,
      '@_xmlns:wsu': WSU_NS,
      '@_xmlns:duo': profile.namespace,
      'soapenv:Header': {
        ...security,
        'wsa:Action': { '@_wsu:Id': ids.action, '#text': `${profile.contract}/${operation}` },
        'wsa:From': { '@_wsu:Id': ids.from, 'wsa:Address': OIN_ADDRESS_PREFIX + options.senderOin },
        'wsa:MessageID': { '@_wsu:Id': ids.messageId, '#text': messageId },
        'wsa:ReplyTo': { 'wsa:Address': OIN_ADDRESS_PREFIX + options.senderOin },
        'wsa:To': { '@_wsu:Id': ids.to, '#text': OIN_ADDRESS_PREFIX + options.duoOin },
      },
      'soapenv:Body': { '@_wsu:Id': ids.body, [`duo:${operation}`]: content },
    },
  });
  return options.signing === undefined ? xml : signEnvelope(xml, options.signing, ids);
}

type Reader = ReturnType<typeof reader>;

/** Characters XML 1.0 cannot carry (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const XML_FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- the point of this pattern is to find control characters
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The lesson hours one `absence.perDay` entry names: its own, and its day parts through the profile. */
interface DayEntry {
  readonly date: string;
  readonly wholeDay: boolean;
  readonly lessonHours: readonly number[];
}

function reader(fields: ReleasedFields, profile: DuoProfile) {
  const value = (path: string): unknown => (fields.has(path) ? fields.get(path) : undefined);
  const invalid = (path: string, expected: string): never => {
    throw new ValidationError(DUO_ROD_ERRORS.DUO_FIELD_INVALID, `released field ${path} is not ${expected}`, [
      { field: path, code: DUO_ROD_ERRORS.INVALID_VALUE, message: `expected ${expected}` },
    ]);
  };
  const text = (path: string): string | undefined => {
    const v = value(path);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'string') return XML_FORBIDDEN.test(v) ? invalid(path, 'text XML 1.0 can carry') : v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    return invalid(path, 'a text');
  };
  const oneOf = (path: string, allowed: readonly string[]): string | undefined => {
    const v = text(path);
    if (v === undefined) return undefined;
    return allowed.includes(v) ? v : invalid(path, `one of ${allowed.join(', ')}`);
  };
  return {
    text,
    oneOf,
    /** A text of at most `max` characters: longer is refused (DUO would refuse it; a person shortens it). */
    limited(path: string, max: number): string | undefined {
      const v = text(path);
      if (v === undefined) return undefined;
      return [...v].length <= max ? v : invalid(path, `a text of at most ${max} characters`);
    },
    date(path: string): string | undefined {
      const v = value(path);
      if (v === undefined || v === null || v === '') return undefined;
      if (typeof v === 'string' && DATE.test(v)) return v;
      return invalid(path, 'a date YYYY-MM-DD');
    },
    number(path: string): string | undefined {
      const v = value(path);
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return String(Math.round(v * 100) / 100);
      return invalid(path, 'a non-negative number');
    },
    integer(path: string, min: number, max: number): string | undefined {
      const v = value(path);
      if (v === undefined || v === null || v === '') return undefined;
      const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
      if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return String(n);
      return invalid(path, `a whole number ${min}..${max}`);
    },
    flag(path: string): 'true' | 'false' | undefined {
      const v = value(path);
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      return invalid(path, 'true or false');
    },
    /** `report.municipalActionWanted`: a boolean, or `{ wanted, explanation? }`. */
    wanted(path: string): { wanted: 'true' | 'false'; explanation?: string } | undefined {
      const v = value(path);
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'boolean') return { wanted: v ? 'true' : 'false' };
      if (typeof v === 'object' && typeof (v as { wanted?: unknown }).wanted === 'boolean') {
        const { wanted, explanation } = v as { wanted: boolean; explanation?: unknown };
        if (explanation !== undefined && explanation !== null && typeof explanation !== 'string')
          return invalid(path, '{ wanted: boolean, explanation?: text }');
        if (typeof explanation === 'string' && XML_FORBIDDEN.test(explanation))
          return invalid(path, 'text XML 1.0 can carry');
        return {
          wanted: wanted ? 'true' : 'false',
          ...(typeof explanation === 'string' && explanation !== '' ? { explanation } : {}),
        };
      }
      return invalid(path, 'true, false or { wanted, explanation }');
    },
    /** `absence.perDay`: per day a whole day, or its lesson hours (day parts mapped by the profile). */
    perDay(path: string): DayEntry[] | undefined {
      const v = value(path);
      if (v === undefined || v === null) return undefined;
      if (!Array.isArray(v)) return invalid(path, 'a list of days');
      const seen = new Set<string>();
      return v.map((day: unknown, at): DayEntry => {
        const d = day as { date?: unknown; lessonHours?: unknown; wholeDay?: unknown; dayParts?: unknown };
        if (typeof d !== 'object' || d === null || typeof d.date !== 'string' || !DATE.test(d.date))
          return invalid(`${path}[${at}].date`, 'a date YYYY-MM-DD');
        if (seen.has(d.date)) return invalid(`${path}[${at}].date`, 'a day not listed before');
        seen.add(d.date);
        const hours = d.lessonHours ?? [];
        if (!Array.isArray(hours) || !hours.every((h) => Number.isInteger(h) && h >= 1 && h <= 12))
          return invalid(`${path}[${at}].lessonHours`, 'lesson hours 1..12');
        const parts = d.dayParts ?? [];
        if (!Array.isArray(parts) || !parts.every((p) => p === 'ochtend' || p === 'middag'))
          return invalid(`${path}[${at}].dayParts`, 'day parts ochtend / middag');
        if (d.wholeDay !== undefined && typeof d.wholeDay !== 'boolean')
          return invalid(`${path}[${at}].wholeDay`, 'true or false');
        const all = new Set<number>(hours as number[]);
        for (const part of parts as ('ochtend' | 'middag')[])
          for (const h of profile.dayParts[part]) all.add(h);
        const lessonHours = [...all].sort((a, b) => a - b);
        // DUO knows a whole day or lesson hours. A day without either was a whole-day record of a school
        // without a timetable (the drafts before `wholeDay` existed): a whole day.
        return { date: d.date, wholeDay: d.wholeDay === true || lessonHours.length === 0, lessonHours };
      });
    },
  };
}

/** Adds `key: value` only when value is not undefined (a withheld field is absent, never empty). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)
    return;
  if (Array.isArray(value) && value.length === 0) return;
  target[key] = value;
}

function group(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of entries) put(result, key, value);
  return result;
}

function verzuimdagen(days: readonly DayEntry[] | undefined): (readonly [string, unknown])[] {
  if (days === undefined || days.length === 0) return [];
  return [
    ['duo:verzuimdagGespecificeerd', 'true'],
    [
      'duo:verzuimdag',
      days.map((day) =>
        day.wholeDay
          ? { 'duo:datum': day.date, 'duo:heleDag': 'true' }
          : { 'duo:datum': day.date, 'duo:lesuur': day.lessonHours.map(String) },
      ),
    ],
  ];
}

function registration(context: OutboundContext, read: Reader, profile: DuoProfile): Record<string, unknown> {
  const bsn = read.text('pupil.bsn');
  const onderwijsnummer = bsn === undefined ? read.text('pupil.onderwijsnummer') : undefined;
  const kind = read.text('absence.kind') ?? context.reportKind;
  const woongemeente = read.text('pupil.woongemeente');
  if (woongemeente !== undefined && !/^\d{4}$/.test(woongemeente))
    throw new ValidationError(
      DUO_ROD_ERRORS.DUO_FIELD_INVALID,
      'released field pupil.woongemeente is not a CBS code',
      [{ field: 'pupil.woongemeente', code: DUO_ROD_ERRORS.INVALID_VALUE, message: 'expected four digits' }],
    );
  const niveau = read.integer('education.niveau', 1, 4);
  const name = read.text('education.name');
  const wanted = read.wanted('report.municipalActionWanted');
  const copy = read.oneOf('report.copyRecipient', Object.keys(profile.copyRecipients));
  return group([
    ['duo:kenmerkMelding', context.reportId],
    ['duo:verzuimsoort', kindCode(profile, kind)],
    [
      'duo:onderwijsdeelnemer',
      group([
        ['duo:BSN', bsn],
        ['duo:onderwijsnummer', onderwijsnummer],
        ['duo:telefoonnummer', read.text('pupil.phone')],
        ['duo:telefoonnummerOuder', read.text('parent.phone')],
        ['duo:afwijkendAdres', group([['duo:adresregel', read.text('pupil.address')]])],
      ]),
    ],
    [
      'duo:onderwijsinstelling',
      group([
        ['duo:BRIN', read.text('school.brin') ?? context.school],
        ['duo:vestigingsnummer', read.text('school.vestiging')],
      ]),
    ],
    ['duo:onderwijslocatie', group([['duo:onderwijslocatienaam', read.text('school.locationName')]])],
    [
      'duo:onderwijsdeelname',
      group([
        [
          'duo:naamOpleiding',
          name === undefined ? undefined : [...name].slice(0, profile.maxLengths.naamOpleiding).join(''),
        ],
        ['duo:leerjaarVO', read.integer('education.leerjaar', 1, 6)],
        ['duo:niveauOpleiding', niveau === undefined ? undefined : profile.niveaus[niveau]],
        ['duo:leerweg', read.oneOf('education.leerweg', profile.leerwegen)],
        ['duo:soortOpleiding', read.oneOf('education.soort', ['VO', 'BVE'])],
        ['duo:vormOpleiding', read.oneOf('education.vorm', ['VT', 'DT'])],
      ]),
    ],
    [
      'duo:codeUitvoerderVSV',
      profile.codeUitvoerderVsv === 'WOONGEMEENTE' && woongemeente !== undefined
        ? `00${woongemeente}`
        : undefined,
    ],
    ['duo:beginverzuim', read.date('absence.beginDate')],
    ['duo:eindverzuim', read.date('absence.endDate')],
    ['duo:alleLessenGemist', read.flag('absence.allLessonsMissed')],
    ['duo:totaalAantalUren', read.number('absence.hours')],
    ['duo:aantalVerzuimdagen', read.integer('absence.days', 0, 99_999)],
    ...verzuimdagen(read.perDay('absence.perDay')),
    ['duo:vermoedelijkeReden', read.limited('report.suspectedReason', profile.maxLengths.vermoedelijkeReden)],
    ['duo:toelichting', read.text('report.explanation')],
    ['duo:toelichtingOndernomenActie', read.text('report.actionTaken')],
    ['duo:actieGemeenteGewenst', wanted?.wanted],
    ['duo:toelichtingActieGewenst', wanted?.explanation],
    [
      'duo:contactpersoon',
      group([
        ['duo:aanduidingContactpersoon', read.text('reporter.name')],
        ['duo:functie', read.text('reporter.role')],
        ['duo:telefoonnummer', read.text('reporter.phone')],
        ['duo:emailadres', read.text('reporter.email')],
      ]),
    ],
    ['duo:ccEmailontvanger', copy === undefined ? undefined : profile.copyRecipients[copy as CopyRecipient]],
  ]);
}

function mutation(context: OutboundContext, read: Reader, profile: DuoProfile): Record<string, unknown> {
  if (context.externalRef === null || context.externalRef === '')
    throw new ValidationError(
      DUO_ROD_ERRORS.DUO_REPORT_NUMBER_MISSING,
      'an update or withdrawal needs DUO’s report number',
      [
        {
          field: 'externalRef',
          code: DUO_ROD_ERRORS.REQUIRED,
          message: 'the report number from the registration is required',
        },
      ],
    );
  const head: [string, unknown][] = [
    ['duo:identificatieMeldingRelatiefVerzuim', { 'duo:nummerMeldingRelatiefVerzuim': context.externalRef }],
    ['duo:kenmerkMelding', context.reportId],
  ];
  if (context.operation === 'WITHDRAW')
    return group([...head, ['duo:soortMutatie', profile.mutations.withdraw]]);
  return group([
    ...head,
    ['duo:soortMutatie', profile.mutations.update],
    ['duo:eindverzuim', read.date('absence.endDate')],
    ['duo:totaalAantalUren', read.number('absence.hours')],
    ['duo:aantalVerzuimdagen', read.integer('absence.days', 0, 99_999)],
    ...verzuimdagen(read.perDay('absence.perDay')),
  ]);
}

function checkOin(oin: string, name: string): void {
  if (!/^\d{20}$/.test(oin))
    throw new ValidationError(DUO_ROD_ERRORS.DUO_OIN_INVALID, `${name} is not a 20-digit OIN`, [
      { field: name, code: DUO_ROD_ERRORS.INVALID_OIN, message: 'an OIN has 20 digits' },
    ]);
}
