import type { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type XmlDocument,
  XmlDocument as Document,
  type XmlElement,
  XmlValidateError,
  XsdValidator,
} from 'libxml2-wasm';
import { NS, OIN_ADDRESS, type SignerIdentity, verifySecurity, withDocument } from './wss.js';

/**
 * The register's own reading of an incoming message, written from docs/duo-rod-message.md, the reconstructed
 * schema (config/duo/ibg-vsv-2.xsd) and the WUS standards, and NOT from the connector: a stand-in that shares
 * the client's code would agree with it whether or not either is right. Order as a service would check:
 * well-formed SOAP, WS-Security (signature, token, timestamp, identity), WS-Addressing, the schema, then the
 * rules a schema cannot say (elfproef, date order, repeated days).
 */

export const SOAP_NS = NS.soapenv;
export const WSA_NS = NS.wsa;
export { OIN_ADDRESS };

/** The ibg-vsv-2 profile as the register knows it (docs/duo-rod-message.md). */
export const REGISTER_PROFILE = {
  id: 'ibg-vsv-2',
  namespace: 'urn:ketenpoort:reconstructed:duo:rod:verzuim:ibg-vsv-2',
  contract: 'urn:ketenpoort:reconstructed:duo:contract:ROD_Verzuim_ibg-vsv-2',
} as const;

/** The reconstructed schema, shipped in the project's config/ (next to dist/). */
export const SCHEMA_FILE = fileURLToPath(new URL('../../../../../config/duo/ibg-vsv-2.xsd', import.meta.url));

export type Operation =
  'MeldenRelatiefVerzuim' | 'MutatieMeldingRelatiefVerzuim' | 'AanvraagGewijzigdeMeldingRelatiefVerzuim';
const OPERATIONS: readonly Operation[] = [
  'MeldenRelatiefVerzuim',
  'MutatieMeldingRelatiefVerzuim',
  'AanvraagGewijzigdeMeldingRelatiefVerzuim',
];

export interface Header {
  readonly messageId: string;
  readonly fromOin: string;
  readonly action: string;
}

export interface DayEntry {
  readonly date: string;
  readonly wholeDay: boolean;
  readonly lessonHours: number[];
}

export interface Registration {
  readonly operation: 'MeldenRelatiefVerzuim';
  readonly kenmerk: string;
  readonly brin: string;
  readonly vestiging: string | null;
  readonly idKind: 'BSN' | 'ONDERWIJSNUMMER';
  readonly kind: string;
  readonly beginDate: string;
  readonly endDate: string | null;
  readonly days: number | null;
  readonly hours: number | null;
  readonly perDay: DayEntry[];
  /** What the message said of the pupil's education and of the school's contact (element → value). */
  readonly education: Readonly<Record<string, string>>;
  readonly contact: Readonly<Record<string, string>>;
  readonly copyRecipient: string | null;
  readonly codeUitvoerderVsv: string | null;
}

export interface Mutation {
  readonly operation: 'MutatieMeldingRelatiefVerzuim';
  readonly reportNumber: string;
  readonly kenmerk: string;
  readonly mutation: 'WIJZIGEN' | 'INTREKKEN';
  readonly endDate: string | null;
  readonly days: number | null;
  readonly hours: number | null;
  readonly perDay: DayEntry[] | null;
}

export interface StatusRequest {
  readonly operation: 'AanvraagGewijzigdeMeldingRelatiefVerzuim';
  readonly since: Date;
}

export interface Incoming {
  readonly header: Header;
  readonly body: Registration | Mutation | StatusRequest;
  /** Who signed (the token's OIN and fingerprint). */
  readonly signer: Omit<SignerIdentity, 'certificate'>;
}

/** A validation failure: DUO's foutcode and a reason that never quotes a value. */
export class Refusal extends Error {
  constructor(
    readonly foutcode: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface ReadOptions {
  readonly duoOin: string;
  readonly now: Date;
  /** CAs whose certificates may sign (those of TLS). */
  readonly trusted: readonly X509Certificate[];
  /** OIN of the TLS client certificate; null when not over TLS (admin tests). */
  readonly tlsOin: string | null;
}

let validator: XsdValidator | null = null;
function schema(): XsdValidator {
  if (validator === null) {
    const xsd = Document.fromString(readFileSync(SCHEMA_FILE, 'utf8'));
    validator = XsdValidator.fromDoc(xsd);
  }
  return validator;
}

const MAX_ID = 200;
const scoped = { ...NS, duo: REGISTER_PROFILE.namespace };

/** The MessageID of a message, if it can be read at all (for wsa:RelatesTo on a refusal). */
export function messageIdOf(xml: string): string | null {
  if (/<!\s*(?:DOCTYPE|ENTITY)/i.test(xml)) return null;
  try {
    return withDocument(xml, (doc) => {
      const id = doc.get('/soapenv:Envelope/soapenv:Header/wsa:MessageID', NS)?.content ?? '';
      return id !== '' && id.length <= MAX_ID ? id : null;
    });
  } catch {
    return null;
  }
}

/** Reads and checks one message; throws a Refusal (a DC0002Foutmelding) or a SecurityFault (a SOAP Fault). */
export function readIncoming(xml: string, options: ReadOptions): Incoming {
  if (/<!\s*(?:DOCTYPE|ENTITY)/i.test(xml))
    throw new Refusal('F100', 'DOCTYPE and ENTITY declarations are not allowed');
  if (xml.trim() === '') throw new Refusal('F100', 'message is empty');
  let doc: XmlDocument;
  try {
    doc = Document.fromString(xml);
  } catch {
    throw new Refusal('F100', 'message is not well-formed XML');
  }
  try {
    return read(doc, options);
  } finally {
    doc.dispose();
  }
}

function read(doc: XmlDocument, options: ReadOptions): Incoming {
  if (doc.get('/soapenv:Envelope', NS) === null)
    throw new Refusal('F100', 'root element is not a SOAP 1.1 Envelope');
  if (doc.get('/soapenv:Envelope/soapenv:Header', NS) === null)
    throw new Refusal('F101', 'required element Header is missing');
  const body = doc.get('/soapenv:Envelope/soapenv:Body', NS) as XmlElement | null;
  if (body === null) throw new Refusal('F101', 'required element Body is missing');
  const headerText = (local: string): string => {
    const found = doc.find(`/soapenv:Envelope/soapenv:Header/wsa:${local}`, NS);
    if (found.length !== 1 || found[0].content.trim() === '')
      throw new Refusal('F101', `required element Header/wsa:${local} is missing, empty or repeated`);
    return found[0].content.trim();
  };
  const address = (() => {
    const found = doc.find('/soapenv:Envelope/soapenv:Header/wsa:From/wsa:Address', NS);
    return found.length === 1 ? found[0].content.trim() : '';
  })();
  if (!address.startsWith(OIN_ADDRESS) || !/^\d{20}$/.test(address.slice(OIN_ADDRESS.length)))
    throw new Refusal('F100', 'wsa:From/wsa:Address is not an OIN address with 20 digits');
  const fromOin = address.slice(OIN_ADDRESS.length);

  const signer = verifySecurity(doc, {
    now: options.now,
    trusted: options.trusted,
    tlsOin: options.tlsOin,
    fromOin,
  });

  if (headerText('To') !== OIN_ADDRESS + options.duoOin)
    throw new Refusal('F100', 'wsa:To does not address DUO’s OIN');
  const messageId = headerText('MessageID');
  if (messageId.length > MAX_ID) throw new Refusal('F100', 'wsa:MessageID is longer than 200 characters');
  const action = headerText('Action');

  const children = body.find('*') as XmlElement[];
  if (children.length !== 1) throw new Refusal('F100', 'Body must hold exactly one operation');
  const content = children[0];
  const operation = OPERATIONS.find(
    (op) => content.namespaceUri === REGISTER_PROFILE.namespace && content.name === op,
  );
  if (operation === undefined)
    throw new Refusal('F100', 'Body holds no known operation of the profile namespace');
  if (action !== `${REGISTER_PROFILE.contract}/${operation}`)
    throw new Refusal('F100', 'wsa:Action is not the contract followed by the operation in the Body');
  validateSchema(content);

  const text = (xpath: string): string | null => {
    const node = content.get(xpath, scoped);
    return node === null ? null : node.content;
  };
  const sender = text('duo:verzendendeInstantie')!;
  const receiver = text('duo:ontvangendeInstantie')!;
  // OIN form (today's RIO meaning): the sender is wsa:From, the receiver DUO. BRIN / municipality form (2009): as is.
  if (/^\d{20}$/.test(sender) && sender !== fromOin)
    throw new Refusal('F200', 'verzendendeInstantie is not the OIN of wsa:From');
  if (/^\d{20}$/.test(receiver) && receiver !== options.duoOin)
    throw new Refusal('F100', 'ontvangendeInstantie is not DUO’s OIN');
  const header: Header = { messageId, fromOin, action };
  const signerOut = { oin: signer.oin, fingerprint: signer.fingerprint };
  if (operation === 'MeldenRelatiefVerzuim')
    return { header, body: registration(content), signer: signerOut };
  if (operation === 'MutatieMeldingRelatiefVerzuim')
    return { header, body: mutation(content), signer: signerOut };
  const since = new Date(
    `${text('duo:selectieperiode/duo:datumBeginSelectieperiode')}T${text('duo:selectieperiode/duo:tijdstipBeginSelectieperiode')}Z`,
  );
  if (Number.isNaN(since.getTime())) throw new Refusal('F103', 'selectieperiode is not a moment');
  return { header, body: { operation, since }, signer: signerOut };
}

/**
 * The schema's verdict as DUO's codes: F101 a required element missing, F102 a value outside a code table, F103
 * not a date, F106 a lesson hour outside 1..12, F107 any other malformed value, F100 an element out of place.
 * The reason names the element and the kind of problem, never the value (libxml2's message quotes it).
 */
function validateSchema(content: XmlElement): void {
  try {
    schema().validate(content);
  } catch (error) {
    if (!(error instanceof XmlValidateError)) throw error;
    const message = error.details[0]?.message ?? error.message;
    const element = /Element '(?:\{[^}]*\})?([^']+)'/.exec(message)?.[1] ?? 'element';
    const [code, what] = /Missing child element/.test(message)
      ? ['F101', 'a required element is missing']
      : /not expected/.test(message)
        ? ['F100', 'an element is not expected here']
        : /facet 'enumeration'/.test(message)
          ? ['F102', 'the value is not in the code table']
          : /xs:date|xs:dateTime|UtcMoment|Tijdstip/.test(message)
            ? ['F103', 'not a valid date or moment']
            : element === 'lesuur'
              ? ['F106', 'a lesson hour must be 1..12']
              : ['F107', 'the value is malformed, too long or out of range'];
    throw new Refusal(code, `schema ibg-vsv-2: ${element}: ${what}`);
  }
}

function values(content: XmlElement, xpath: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const node of content.find(xpath, scoped) as XmlElement[]) out[node.name] = node.content;
  return out;
}

function days(content: XmlElement, where: string, begin: string | null, end: string | null): DayEntry[] {
  const seen = new Set<string>();
  return (content.find('duo:verzuimdag', scoped) as XmlElement[]).map((day, at) => {
    const date = day.get('duo:datum', scoped)!.content;
    const path = `${where}/verzuimdag[${at + 1}]`;
    if (!isCalendarDate(date)) throw new Refusal('F103', `${path}/datum is not a calendar date`);
    if (seen.has(date)) throw new Refusal('F103', `${path}/datum repeats an earlier day`);
    seen.add(date);
    if ((begin !== null && date < begin) || (end !== null && date > end))
      throw new Refusal('F103', `${path} lies outside beginverzuim..eindverzuim`);
    const lessonHours = (day.find('duo:lesuur', scoped) as XmlElement[]).map((h) => Number(h.content));
    if (new Set(lessonHours).size !== lessonHours.length)
      throw new Refusal('F106', `${path}/lesuur repeats a lesson hour`);
    return { date, wholeDay: lessonHours.length === 0, lessonHours };
  });
}

function registration(content: XmlElement): Registration {
  const where = 'MeldenRelatiefVerzuim/meldingRelatiefVerzuim';
  const melding = content.get('duo:meldingRelatiefVerzuim', scoped) as XmlElement;
  const text = (xpath: string): string | null => melding.get(xpath, scoped)?.content ?? null;
  const bsn = text('duo:onderwijsdeelnemer/duo:BSN');
  const onderwijsnummer = text('duo:onderwijsdeelnemer/duo:onderwijsnummer');
  if (bsn !== null && !isBsn(bsn))
    throw new Refusal('F104', `${where}/onderwijsdeelnemer/BSN fails the elfproef`);
  if (onderwijsnummer !== null && !isOnderwijsnummer(onderwijsnummer))
    throw new Refusal('F105', `${where}/onderwijsdeelnemer/onderwijsnummer is not a valid onderwijsnummer`);
  const beginDate = text('duo:beginverzuim')!;
  const endDate = text('duo:eindverzuim');
  if (!isCalendarDate(beginDate) || (endDate !== null && !isCalendarDate(endDate)))
    throw new Refusal('F103', `${where}: beginverzuim or eindverzuim is not a calendar date`);
  if (endDate !== null && endDate < beginDate)
    throw new Refusal('F103', `${where}/eindverzuim lies before beginverzuim`);
  const number = (xpath: string): number | null => {
    const value = text(xpath);
    return value === null ? null : Number(value);
  };
  return {
    operation: 'MeldenRelatiefVerzuim',
    kenmerk: text('duo:kenmerkMelding')!,
    brin: text('duo:onderwijsinstelling/duo:BRIN')!,
    vestiging: text('duo:onderwijsinstelling/duo:vestigingsnummer'),
    idKind: bsn !== null ? 'BSN' : 'ONDERWIJSNUMMER',
    kind: text('duo:verzuimsoort')!,
    beginDate,
    endDate,
    days: number('duo:aantalVerzuimdagen'),
    hours: number('duo:totaalAantalUren'),
    perDay: days(melding, where, beginDate, endDate),
    education: values(melding, 'duo:onderwijsdeelname/*'),
    contact: values(melding, 'duo:contactpersoon/*'),
    copyRecipient: text('duo:ccEmailontvanger'),
    codeUitvoerderVsv: text('duo:codeUitvoerderVSV'),
  };
}

function mutation(content: XmlElement): Mutation {
  const where = 'MutatieMeldingRelatiefVerzuim';
  const text = (xpath: string): string | null => content.get(xpath, scoped)?.content ?? null;
  const mutationKind = text('duo:soortMutatie') as 'WIJZIGEN' | 'INTREKKEN';
  const endDate = text('duo:eindverzuim');
  if (endDate !== null && !isCalendarDate(endDate))
    throw new Refusal('F103', `${where}/eindverzuim is not a calendar date`);
  const hours = text('duo:totaalAantalUren');
  const dayCount = text('duo:aantalVerzuimdagen');
  const listed =
    content.find('duo:verzuimdag', scoped).length > 0 ? days(content, where, null, endDate) : null;
  if (
    mutationKind === 'WIJZIGEN' &&
    endDate === null &&
    hours === null &&
    dayCount === null &&
    listed === null
  )
    throw new Refusal('F101', `${where} WIJZIGEN changes nothing (eindverzuim, uren, dagen or verzuimdag)`);
  return {
    operation: 'MutatieMeldingRelatiefVerzuim',
    reportNumber: text('duo:identificatieMeldingRelatiefVerzuim/duo:nummerMeldingRelatiefVerzuim')!,
    kenmerk: text('duo:kenmerkMelding')!,
    mutation: mutationKind,
    endDate,
    days: dayCount === null ? null : Number(dayCount),
    hours: hours === null ? null : Number(hours),
    perDay: listed,
  };
}

export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** BSN: 9 digits, 9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11, not all zeros. */
export function isBsn(text: string): boolean {
  if (!/^\d{9}$/.test(text) || /^0+$/.test(text)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(text[i]);
  sum -= Number(text[8]);
  return sum % 11 === 0;
}

/** Onderwijsnummer: 9 digits starting with 10; 9·d1 + … + 2·d8 + 1·d9 leaves remainder 5 when divided by 11. */
export function isOnderwijsnummer(text: string): boolean {
  if (!/^10\d{7}$/.test(text)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (9 - i) * Number(text[i]);
  return sum % 11 === 5;
}
