import { XMLBuilder, XMLValidator } from 'fast-xml-parser';
import type { PupilName, QuarantinedInput, QuarantineReason, RosterReader } from '#domain';
import { ADAPTER_ERRORS, XML_DECLARATION, isObject, safeXmlParser } from '#adapter-kit';

/**
 * ParnasSys (po) SOAP `getLeerlingen` → the school's roster: one `RosterPupil` per leerling, for the pupil
 * registry (`PUT /v1/pupils/:localId`). ParnasSys has no public absence interface, so this reads NO absence:
 * absence comes through the generic CSV export (`csv`) and OSO dossiers (`oso`).
 *
 * Data minimisation: address, phone, birthplace and gender are never read; the registry does not need them.
 * The name (roepnaam, voornamen, tussenvoegsel, achternaam as ParnasSys gives them, not the official spelling)
 * and the group's leerkracht are read for the pupil page (ADR 0019: stored encrypted, shown only to staff of
 * the pupil's school). Only the municipality NAME of the pupil's address is kept (ParnasSys sends no CBS code).
 */

/** ParnasSys is not a `SourceSystemId` (it yields no absence records); its quarantine items say so. */
export type ParnassysQuarantined = Omit<QuarantinedInput, 'sourceSystem'> & {
  readonly sourceSystem: 'parnassys';
};

export interface RosterPupil {
  /** ParnasSys' internal leerling `id`: the pupil's localId in the registry. */
  readonly localId: string;
  readonly leerlingnummer: string | null;
  readonly birthDate: string;
  readonly birthDateUncertain: boolean;
  /** BRIN of the school, when the caller knows it (the response does not carry it; the request does). */
  readonly school?: string;
  /** `inschrijving/datumInschrijving` (the earliest enrolment). */
  readonly enrolledFrom: string | null;
  /** `inschrijving/datumUitschrijving` when present; null while enrolled. */
  readonly enrolledUntil: string | null;
  /** The pupil's name as the school calls the pupil; null when the leerling has no achternaam. */
  readonly name: PupilName | null;
  /** The current group placement (`groepsindeling` → `groep/naam`); null when there is none. */
  readonly group: {
    readonly name: string | null;
    readonly from: string | null;
    readonly until: string | null;
    /**
     * The group's leerkracht (`groep/leerkrachten/leerkracht/medewerker` → `medewerkers/medewerker`, the one
     * marked `hoofdleerkracht`, else the first), as "roepnaam tussenvoegsel achternaam"; null when none.
     * UNCONFIRMED shape (ADR 0019): the shared fixture has no leerkracht.
     */
    readonly teacher: string | null;
  } | null;
  /** Municipality NAME of the pupil's address (`adres/gemeente`, else `plaats`): not a CBS code. */
  readonly municipalityName: string | null;
}

export interface ParnassysRoster {
  readonly pupils: RosterPupil[];
  readonly quarantined: ParnassysQuarantined[];
}

export interface RosterContext {
  /** The BRIN the request asked for (`brinnummer`). */
  readonly school?: string;
}

const SYSTEM = 'parnassys' as const;
const LISTS = new Set([
  'adres',
  'groep',
  'leerling',
  'groepsindeling',
  'inschrijving',
  'leerkracht',
  'medewerker',
]);

const parser = safeXmlParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  // `groep` is also the id reference inside a groepsindeling, `medewerker` inside a leerkracht: only the
  // wrapped `groepen/groep` and `medewerkers/medewerker` are lists.
  isArray: (name, jpath) =>
    LISTS.has(name) &&
    (name !== 'groep' || String(jpath).endsWith('groepen.groep')) &&
    (name !== 'medewerker' || String(jpath).endsWith('medewerkers.medewerker')),
});

type Xml = Readonly<Record<string, unknown>>;

class Problem extends Error {
  constructor(
    readonly reason: QuarantineReason,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export function parseParnassysRoster(xml: string, context: RosterContext = {}): ParnassysRoster {
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  if (XML_DECLARATION.test(text))
    return only(ADAPTER_ERRORS.MALFORMED_PAYLOAD, 'payload has a DOCTYPE or ENTITY declaration', text);
  if (text.trim() === '') return only(ADAPTER_ERRORS.MALFORMED_PAYLOAD, 'payload is empty', '');
  const validation = XMLValidator.validate(text);
  if (validation !== true)
    return only(
      ADAPTER_ERRORS.MALFORMED_PAYLOAD,
      `payload is not well-formed XML (${validation.err.code} at line ${validation.err.line})`,
      text,
    );
  let document: unknown;
  try {
    document = parser.parse(text);
  } catch {
    return only(ADAPTER_ERRORS.MALFORMED_PAYLOAD, 'payload could not be parsed as XML', text);
  }
  const body =
    isObject(document) && isObject(document['Envelope']) ? document['Envelope']['Body'] : undefined;
  if (!isObject(body))
    return only(ADAPTER_ERRORS.MALFORMED_PAYLOAD, 'payload is not a SOAP envelope with a Body', document);
  if (body['Fault'] !== undefined)
    return only(ADAPTER_ERRORS.MALFORMED_PAYLOAD, 'payload is a SOAP Fault', document);
  const response = body['getLeerlingenResponse'];
  if (response === undefined)
    return only(ADAPTER_ERRORS.MALFORMED_PAYLOAD, 'Body is not a getLeerlingenResponse', document);
  const result = isObject(response) ? response['return'] : undefined;
  if (!isObject(result))
    return only(ADAPTER_ERRORS.MISSING_FIELD, 'getLeerlingenResponse/return is missing', document);

  const groups = index(list(result['groepen'], 'groep'));
  const addresses = index(list(result['adressen'], 'adres'));
  const staff = index(list(result['medewerkers'], 'medewerker'));
  const pupils: RosterPupil[] = [];
  const quarantined: ParnassysQuarantined[] = [];
  list(result['leerlingen'], 'leerling').forEach((leerling, at) => {
    try {
      pupils.push(readPupil(leerling, `leerlingen/leerling[${at}]`, groups, addresses, staff, context));
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      const id = isObject(leerling) ? leaf(leerling['id']) : null;
      quarantined.push(item(id, error.reason, error.detail, minimised(leerling)));
    }
  });
  return { pupils, quarantined };
}

function readPupil(
  leerling: unknown,
  at: string,
  groups: ReadonlyMap<string, Xml>,
  addresses: ReadonlyMap<string, Xml>,
  staff: ReadonlyMap<string, Xml>,
  context: RosterContext,
): RosterPupil {
  if (!isObject(leerling)) throw new Problem(ADAPTER_ERRORS.MISSING_FIELD, `${at}/id is missing`);
  const localId = leaf(leerling['id']);
  if (localId === null) throw new Problem(ADAPTER_ERRORS.MISSING_FIELD, `${at}/id is missing`);
  const birth = leaf(leerling['geboortedatum']);
  if (birth === null) throw new Problem(ADAPTER_ERRORS.MISSING_FIELD, `${at}/geboortedatum is missing`);
  const birthDate = date(birth, `${at}/geboortedatum`);
  const uncertain = leaf(leerling['geboortedatumOnzeker']);
  if (uncertain !== null && uncertain !== 'true' && uncertain !== 'false')
    throw new Problem(ADAPTER_ERRORS.WRONG_TYPE, `${at}/geboortedatumOnzeker is not true or false`);

  const enrolments = list(leerling['inschrijvingen'], 'inschrijving').filter(isObject);
  const froms = enrolments.map((e, i) =>
    optionalDate(e['datumInschrijving'], `${at}/inschrijving[${i}]/datumInschrijving`),
  );
  const untils = enrolments.map((e, i) =>
    optionalDate(e['datumUitschrijving'], `${at}/inschrijving[${i}]/datumUitschrijving`),
  );
  const enrolledFrom = froms.filter((d): d is string => d !== null).sort()[0] ?? null;
  // Enrolled until the latest enrolment ends; an open enrolment (no datumUitschrijving) means still enrolled.
  const enrolledUntil =
    untils.length === 0 || untils.includes(null) ? null : ([...untils].sort().at(-1) ?? null);

  const placements = list(leerling['groepsindelingen'], 'groepsindeling').filter(isObject);
  const placement = placements
    .map((p, i) => ({
      groep: leaf(p['groep']),
      from: optionalDate(p['vanafDatum'], `${at}/groepsindeling[${i}]/vanafDatum`),
      until: optionalDate(p['totDatum'], `${at}/groepsindeling[${i}]/totDatum`),
    }))
    .sort((a, b) => (a.from ?? '').localeCompare(b.from ?? ''))
    .at(-1);
  const placed = placement?.groep == null ? undefined : groups.get(placement.groep);
  const group =
    placement === undefined
      ? null
      : {
          name: leaf(placed?.['naam']),
          from: placement.from,
          until: placement.until,
          teacher: teacherOf(placed, staff),
        };

  const addressId = leaf(leerling['leerlingAdres']);
  const address = addressId === null ? undefined : addresses.get(addressId);
  const municipalityName =
    address === undefined ? null : (leaf(address['gemeente']) ?? leaf(address['plaats']));

  const achternaam = leaf(leerling['achternaam']);
  const name: PupilName | null =
    achternaam === null
      ? null
      : {
          ...optional('roepnaam', leaf(leerling['roepNaam'])),
          ...optional('voornamen', leaf(leerling['voornamen'])),
          ...optional('tussenvoegsel', leaf(leerling['tussenvoegsel'])),
          achternaam,
        };

  return {
    localId,
    leerlingnummer: leaf(leerling['leerlingNummer']),
    name,
    birthDate,
    birthDateUncertain: uncertain === 'true',
    ...(context.school === undefined ? {} : { school: context.school }),
    enrolledFrom,
    enrolledUntil,
    group,
    municipalityName,
  };
}

/** The group's (head) leerkracht as one display name; null when the group names none we can resolve. */
function teacherOf(group: Xml | undefined, staff: ReadonlyMap<string, Xml>): string | null {
  if (group === undefined) return null;
  const teachers = list(group['leerkrachten'], 'leerkracht').filter(isObject);
  const head = teachers.find((t) => leaf(t['hoofdleerkracht']) === 'true') ?? teachers[0];
  const id = head === undefined ? null : leaf(head['medewerker']);
  const person = id === null ? undefined : staff.get(id);
  if (person === undefined) return null;
  const parts = [leaf(person['roepnaam']), leaf(person['tussenvoegsel']), leaf(person['achternaam'])];
  const text = parts.filter((p): p is string => p !== null).join(' ');
  return text === '' ? null : text;
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}

/** The elements of a wrapper list (`<leerlingen><leerling/>…</leerlingen>`); empty when absent. */
function list(wrapper: unknown, name: string): unknown[] {
  if (!isObject(wrapper)) return [];
  const items = wrapper[name];
  return Array.isArray(items) ? items : [];
}

function index(items: unknown[]): Map<string, Xml> {
  const byId = new Map<string, Xml>();
  for (const entry of items) {
    if (!isObject(entry)) continue;
    const id = leaf(entry['id']);
    if (id !== null) byId.set(id, entry);
  }
  return byId;
}

function leaf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text === '' ? null : text;
}

function optionalDate(value: unknown, field: string): string | null {
  const text = leaf(value);
  return text === null ? null : date(text, field);
}

/** `YYYY-MM-DD` (an xs:date; a zone suffix is dropped); WRONG_TYPE when not a real date. */
function date(text: string, field: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$/.exec(text);
  const iso = match ? `${match[1]}-${match[2]}-${match[3]}` : '';
  if (!match || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso)
    throw new Problem(ADAPTER_ERRORS.WRONG_TYPE, `${field} is not a date (YYYY-MM-DD)`);
  return iso;
}

/**
 * The quarantined leerling without names, birthplace and gender: a quarantine item is seen by more people than
 * the pupil page (ADR 0019), so it never holds a name.
 */
function minimised(leerling: unknown): unknown {
  if (!isObject(leerling)) return leerling;
  const kept = [
    'id',
    'leerlingNummer',
    'geboortedatum',
    'geboortedatumOnzeker',
    'leerlingAdres',
    'groepsindelingen',
    'inschrijvingen',
  ];
  return Object.fromEntries(Object.entries(leerling).filter(([name]) => kept.includes(name)));
}

function item(
  sourceId: string | null,
  reason: QuarantineReason,
  detail: string,
  raw: unknown,
): ParnassysQuarantined {
  return { quarantined: true, sourceSystem: SYSTEM, sourceId, reason, detail, raw };
}

function only(reason: QuarantineReason, detail: string, raw: unknown): ParnassysRoster {
  return { pupils: [], quarantined: [item(null, reason, detail, raw)] };
}

export interface GetLeerlingenRequest {
  readonly leveranciernaam: string;
  readonly leveranciersleutel: string;
  readonly brinnummer: string;
  readonly schooljaar: string;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
});

/** The SOAP 1.1 `getLeerlingen` request (values are escaped by the builder). */
export function buildGetLeerlingenRequest(request: GetLeerlingenRequest): string {
  const field = (value: string) => ({ '#text': value, '@_xmlns': '' });
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    'soap:Envelope': {
      '@_xmlns:soap': 'http://schemas.xmlsoap.org/soap/envelope/',
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
      'soap:Body': {
        getLeerlingen: {
          '@_xmlns': 'http://www.topicus.nl/parnassys',
          leveranciernaam: field(request.leveranciernaam),
          leveranciersleutel: field(request.leveranciersleutel),
          brinnummer: field(request.brinnummer),
          schooljaar: field(request.schooljaar),
        },
      },
    },
  });
}

/** ParnasSys as a roster source (`PUT /v1/schools/:brin/roster/parnassys`, ADR 0019). */
export const parnassysRosterReader: RosterReader = {
  system: SYSTEM,
  format: 'xml',
  read(payload, context) {
    const roster = parseParnassysRoster(payload, { school: context.school });
    return {
      pupils: roster.pupils.map((pupil) => ({
        localId: pupil.localId,
        entry: { name: pupil.name, group: pupil.group?.name ?? null, mentor: pupil.group?.teacher ?? null },
      })),
      problems: roster.quarantined.map((q) => ({ sourceId: q.sourceId, reason: q.reason, detail: q.detail })),
    };
  },
};
