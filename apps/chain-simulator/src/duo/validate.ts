import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * The register's own reading of an incoming message, written from docs/duo-rod-message.md and NOT from the
 * connector: a stand-in that shares the client's code would agree with it whether or not either is right.
 */

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSA_NS = 'http://www.w3.org/2005/08/addressing';
export const OIN_ADDRESS = 'http://www.w3.org/2005/08/addressing/anonymous?oin=';

/** The legacy-2010 code tables as the register knows them (docs/duo-rod-message.md §Code tables). */
export const REGISTER_PROFILE = {
  id: 'legacy-2010',
  namespace: 'urn:ketenpoort:duo-rod:legacy-2010',
  actionBase: 'urn:ketenpoort:duo-rod:legacy-2010/',
  kinds: ['V3', 'V4', 'LRV', 'L', 'RMC', 'O'],
  mutations: ['WIJZIGEN', 'INTREKKEN'],
} as const;

export type Operation =
  'MeldenRelatiefVerzuim' | 'MutatieMeldingRelatiefVerzuim' | 'AanvraagGewijzigdeMeldingRelatiefVerzuim';

export interface Header {
  readonly messageId: string;
  readonly fromOin: string;
  readonly action: string;
}

export interface DayEntry {
  readonly date: string;
  readonly hours: number;
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

export type Incoming = { readonly header: Header; readonly body: Registration | Mutation | StatusRequest };

/** A validation failure: DUO's Foutcode and a reason that never quotes a value. */
export class Refusal extends Error {
  constructor(
    readonly foutcode: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

type Node = Readonly<Record<string, unknown>>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
  trimValues: true,
  isArray: (name) => /(^|:)(Dag|Lesuur)$/.test(name),
});

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Element lookup by namespace URI and local name, with the prefixes the Envelope declares. */
class Scope {
  constructor(private readonly prefixes: ReadonlyMap<string, string>) {}

  private names(ns: string, local: string): string[] {
    const names: string[] = [];
    for (const [prefix, uri] of this.prefixes)
      if (uri === ns) names.push(prefix === '' ? local : `${prefix}:${local}`);
    return names;
  }

  child(node: Node, ns: string, local: string): unknown {
    for (const name of this.names(ns, local)) if (node[name] !== undefined) return node[name];
    return undefined;
  }

  node(node: Node, ns: string, local: string, path: string, required: boolean): Node | null {
    const value = this.child(node, ns, local);
    if (value === undefined) {
      if (required) throw new Refusal('F101', `required element ${path} is missing`);
      return null;
    }
    if (value === '') return {};
    if (!isNode(value)) throw new Refusal('F100', `${path} must contain elements`);
    return value;
  }

  text(node: Node, ns: string, local: string, path: string, required: boolean): string | null {
    const value = this.child(node, ns, local);
    const text = isNode(value) && typeof value['#text'] === 'string' ? value['#text'] : value;
    if (value === undefined || text === '') {
      if (required) throw new Refusal('F101', `required element ${path} is missing or empty`);
      if (value !== undefined) throw new Refusal('F101', `element ${path} is present but empty`);
      return null;
    }
    if (typeof text !== 'string') throw new Refusal('F100', `${path} must be a single text element`);
    return text;
  }
}

export function readIncoming(xml: string, expectedDuoOin: string): Incoming {
  if (/<!\s*(?:DOCTYPE|ENTITY)/i.test(xml))
    throw new Refusal('F100', 'DOCTYPE and ENTITY declarations are not allowed');
  if (xml.trim() === '' || XMLValidator.validate(xml) !== true)
    throw new Refusal('F100', 'message is not well-formed XML');
  const document = parser.parse(xml) as unknown;
  if (!isNode(document)) throw new Refusal('F100', 'message has no root element');
  const rootName = Object.keys(document).find((key) => !key.startsWith('?') && !key.startsWith('#'));
  const root = rootName === undefined ? undefined : document[rootName];
  if (rootName === undefined || !isNode(root)) throw new Refusal('F100', 'message has no SOAP Envelope');
  const prefixes = new Map<string, string>();
  for (const [key, value] of Object.entries(root))
    if (key === '@_xmlns' && typeof value === 'string') prefixes.set('', value);
    else if (key.startsWith('@_xmlns:') && typeof value === 'string') prefixes.set(key.slice(8), value);
  const [prefix, local] = rootName.includes(':') ? rootName.split(':', 2) : ['', rootName];
  if (local !== 'Envelope' || prefixes.get(prefix) !== SOAP_NS)
    throw new Refusal('F100', 'root element is not a SOAP 1.1 Envelope (namespaces must be declared on it)');
  const scope = new Scope(prefixes);
  const header = readHeader(scope, scope.node(root, SOAP_NS, 'Header', 'Header', true)!, expectedDuoOin);
  const body = scope.node(root, SOAP_NS, 'Body', 'Body', true)!;
  const ns = REGISTER_PROFILE.namespace;
  const operations: Operation[] = [
    'MeldenRelatiefVerzuim',
    'MutatieMeldingRelatiefVerzuim',
    'AanvraagGewijzigdeMeldingRelatiefVerzuim',
  ];
  const found = operations.filter((op) => scope.child(body, ns, op) !== undefined);
  if (found.length !== 1)
    throw new Refusal('F100', 'Body must hold exactly one known operation in the profile namespace');
  const operation = found[0];
  if (header.action !== REGISTER_PROFILE.actionBase + operation)
    throw new Refusal('F100', 'wsa:Action does not match the operation in the Body');
  const content = scope.node(body, ns, operation, operation, true)!;
  const profile = content['@_profiel'];
  if (profile !== undefined && profile !== REGISTER_PROFILE.id) throw new Refusal('F102', 'unknown profiel');
  const read = new Reader(scope, ns);
  if (operation === 'MeldenRelatiefVerzuim') return { header, body: read.registration(content) };
  if (operation === 'MutatieMeldingRelatiefVerzuim') return { header, body: read.mutation(content) };
  const since = read.text(content, 'VanafTijdstip', `${operation}/VanafTijdstip`, true)!;
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(since) ||
    Number.isNaN(Date.parse(since))
  )
    throw new Refusal('F103', `${operation}/VanafTijdstip is not an ISO 8601 instant`);
  return { header, body: { operation, since: new Date(since) } };
}

function readHeader(scope: Scope, header: Node, expectedDuoOin: string): Header {
  const to = scope.text(header, WSA_NS, 'To', 'Header/wsa:To', true)!;
  if (to !== OIN_ADDRESS + expectedDuoOin) throw new Refusal('F100', 'wsa:To does not address DUO’s OIN');
  const from = scope.node(header, WSA_NS, 'From', 'Header/wsa:From', true)!;
  const address = scope.text(from, WSA_NS, 'Address', 'Header/wsa:From/wsa:Address', true)!;
  if (!address.startsWith(OIN_ADDRESS) || !/^\d{20}$/.test(address.slice(OIN_ADDRESS.length)))
    throw new Refusal('F100', 'wsa:From/wsa:Address is not an OIN address with 20 digits');
  const messageId = scope.text(header, WSA_NS, 'MessageID', 'Header/wsa:MessageID', true)!;
  if (messageId.length > 200) throw new Refusal('F100', 'wsa:MessageID is longer than 200 characters');
  const action = scope.text(header, WSA_NS, 'Action', 'Header/wsa:Action', true)!;
  return { messageId, fromOin: address.slice(OIN_ADDRESS.length), action };
}

class Reader {
  constructor(
    private readonly scope: Scope,
    private readonly ns: string,
  ) {}

  text(node: Node, local: string, path: string, required: boolean): string | null {
    return this.scope.text(node, this.ns, local, path, required);
  }

  node(node: Node, local: string, path: string, required: boolean): Node | null {
    return this.scope.node(node, this.ns, local, path, required);
  }

  date(node: Node, local: string, path: string, required: boolean): string | null {
    const text = this.text(node, local, path, required);
    if (text !== null && !isCalendarDate(text)) throw new Refusal('F103', `${path} is not a date YYYY-MM-DD`);
    return text;
  }

  number(node: Node, local: string, path: string, integer: boolean): number | null {
    const text = this.text(node, local, path, false);
    if (text === null) return null;
    const pattern = integer ? /^\d{1,5}$/ : /^\d{1,5}(\.\d{1,2})?$/;
    if (!pattern.test(text))
      throw new Refusal('F107', `${path} is not a ${integer ? 'whole' : 'decimal'} number ≥ 0`);
    return Number(text);
  }

  flag(node: Node, local: string, path: string, required: boolean): void {
    const text = this.text(node, local, path, required);
    if (text !== null && text !== 'J' && text !== 'N') throw new Refusal('F102', `${path} must be J or N`);
  }

  perDay(node: Node, path: string): DayEntry[] | null {
    const perDay = this.node(node, 'VerzuimPerDag', path, false);
    if (perDay === null) return null;
    const days = this.scope.child(perDay, this.ns, 'Dag');
    if (!Array.isArray(days) || days.length === 0) throw new Refusal('F101', `${path}/Dag is missing`);
    const seen = new Set<string>();
    return days.map((day: unknown, at) => {
      const where = `${path}/Dag[${at + 1}]`;
      if (!isNode(day)) throw new Refusal('F101', `${where} has no content`);
      const date = this.date(day, 'Datum', `${where}/Datum`, true)!;
      if (seen.has(date)) throw new Refusal('F103', `${where}/Datum repeats an earlier day`);
      seen.add(date);
      const hours = this.number(day, 'AantalUren', `${where}/AantalUren`, true);
      if (hours === null) throw new Refusal('F101', `required element ${where}/AantalUren is missing`);
      const raw = this.scope.child(day, this.ns, 'Lesuur');
      const lessonHours = (Array.isArray(raw) ? raw : []).map((value: unknown) => {
        if (typeof value !== 'string' || !/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > 12)
          throw new Refusal('F106', `${where}/Lesuur must be a lesson hour 1..12`);
        return Number(value);
      });
      if (new Set(lessonHours).size !== lessonHours.length)
        throw new Refusal('F106', `${where}/Lesuur repeats a lesson hour`);
      if (hours > 12 || (lessonHours.length > 0 && hours !== lessonHours.length))
        throw new Refusal(
          'F107',
          `${where}/AantalUren must be at most 12 and equal the number of Lesuur elements`,
        );
      return { date, hours, lessonHours };
    });
  }

  registration(content: Node): Registration {
    const op = 'MeldenRelatiefVerzuim';
    const kenmerk = this.text(content, 'Kenmerk', `${op}/Kenmerk`, true)!;
    if (kenmerk.length > 100) throw new Refusal('F107', `${op}/Kenmerk is longer than 100 characters`);
    const instelling = this.node(content, 'Instelling', `${op}/Instelling`, true)!;
    const brin = this.text(instelling, 'Brin', `${op}/Instelling/Brin`, true)!;
    if (!/^\d{2}[A-Z0-9]{2}$/.test(brin))
      throw new Refusal('F102', `${op}/Instelling/Brin is not a BRIN (2 digits, 2 letters or digits)`);
    const vestiging = this.text(instelling, 'Vestiging', `${op}/Instelling/Vestiging`, false);
    this.text(instelling, 'Lesplaats', `${op}/Instelling/Lesplaats`, false);
    const leerling = this.node(content, 'Leerling', `${op}/Leerling`, true)!;
    const bsn = this.text(leerling, 'Bsn', `${op}/Leerling/Bsn`, false);
    const onderwijsnummer = this.text(leerling, 'Onderwijsnummer', `${op}/Leerling/Onderwijsnummer`, false);
    if ((bsn === null) === (onderwijsnummer === null))
      throw new Refusal('F101', `${op}/Leerling needs exactly one of Bsn and Onderwijsnummer`);
    if (bsn !== null && !isBsn(bsn)) throw new Refusal('F104', `${op}/Leerling/Bsn fails the elfproef`);
    if (onderwijsnummer !== null && !isOnderwijsnummer(onderwijsnummer))
      throw new Refusal('F105', `${op}/Leerling/Onderwijsnummer is not a valid onderwijsnummer`);
    const verzuim = this.node(content, 'Verzuim', `${op}/Verzuim`, true)!;
    const kind = this.text(verzuim, 'Soort', `${op}/Verzuim/Soort`, true)!;
    if (!(REGISTER_PROFILE.kinds as readonly string[]).includes(kind))
      throw new Refusal('F102', `${op}/Verzuim/Soort is not in the verzuimsoort table`);
    const beginDate = this.date(verzuim, 'Begindatum', `${op}/Verzuim/Begindatum`, true)!;
    const endDate = this.date(verzuim, 'Einddatum', `${op}/Verzuim/Einddatum`, false);
    if (endDate !== null && endDate < beginDate)
      throw new Refusal('F103', `${op}/Verzuim/Einddatum lies before Begindatum`);
    this.flag(verzuim, 'AlleLessenGemist', `${op}/Verzuim/AlleLessenGemist`, false);
    const days = this.number(verzuim, 'AantalDagen', `${op}/Verzuim/AantalDagen`, true);
    const hours = this.number(verzuim, 'AantalUren', `${op}/Verzuim/AantalUren`, false);
    const perDay = this.perDay(verzuim, `${op}/Verzuim/VerzuimPerDag`) ?? [];
    for (const day of perDay)
      if (day.date < beginDate || (endDate !== null && day.date > endDate))
        throw new Refusal('F103', `${op}/Verzuim/VerzuimPerDag has a day outside Begindatum..Einddatum`);
    const actie = this.node(content, 'ActieGemeente', `${op}/ActieGemeente`, false);
    if (actie !== null) this.flag(actie, 'Gewenst', `${op}/ActieGemeente/Gewenst`, true);
    const melder = this.node(content, 'Melder', `${op}/Melder`, false);
    const email = melder === null ? null : this.text(melder, 'Email', `${op}/Melder/Email`, false);
    if (email !== null && !/^[^@\s]+@[^@\s]+$/.test(email))
      throw new Refusal('F107', `${op}/Melder/Email is not an e-mail address`);
    return {
      operation: op,
      kenmerk,
      brin,
      vestiging,
      idKind: bsn !== null ? 'BSN' : 'ONDERWIJSNUMMER',
      kind,
      beginDate,
      endDate,
      days,
      hours,
      perDay,
    };
  }

  mutation(content: Node): Mutation {
    const op = 'MutatieMeldingRelatiefVerzuim';
    const reportNumber = this.text(content, 'Meldingnummer', `${op}/Meldingnummer`, true)!;
    const kenmerk = this.text(content, 'Kenmerk', `${op}/Kenmerk`, true)!;
    const mutation = this.text(content, 'Mutatiesoort', `${op}/Mutatiesoort`, true)!;
    if (mutation !== 'WIJZIGEN' && mutation !== 'INTREKKEN')
      throw new Refusal('F102', `${op}/Mutatiesoort must be WIJZIGEN or INTREKKEN`);
    const endDate = this.date(content, 'Einddatum', `${op}/Einddatum`, false);
    const days = this.number(content, 'AantalDagen', `${op}/AantalDagen`, true);
    const hours = this.number(content, 'AantalUren', `${op}/AantalUren`, false);
    const perDay = this.perDay(content, `${op}/VerzuimPerDag`);
    if (mutation === 'WIJZIGEN' && endDate === null && days === null && hours === null && perDay === null)
      throw new Refusal(
        'F101',
        `${op} WIJZIGEN changes nothing (Einddatum, AantalDagen, AantalUren or VerzuimPerDag)`,
      );
    return { operation: op, reportNumber, kenmerk, mutation, endDate, days, hours, perDay };
  }
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
