import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  CLOSING_EXPLANATIONS,
  CLOSING_REASONS,
  type ClosingExplanation,
  type ClosingReason,
  type StatusChange,
} from '#domain';
import {
  DUO_ERROR_RETRYABLE,
  type DuoErrorClass,
  type DuoProfile,
  classifyFoutcode,
  keyOf,
} from './profile.js';

/** What DUO answered to one message (docs/duo-rod-message.md §Answers). */
export type DuoAnswer =
  | {
      readonly kind: 'confirmation';
      /** DUO's report number (Meldingnummer). */
      readonly reportNumber: string;
      readonly kenmerk: string | null;
    }
  | {
      readonly kind: 'error';
      /** `DUO_<class>` e.g. DUO_VALIDATION, DUO_UNAVAILABLE, DUO_SOAP_FAULT_SERVER. */
      readonly code: string;
      /** DUO's code (Foutcode, or the SOAP faultcode). */
      readonly duoCode: string;
      /** DUO's own description (carries no personal data by contract; still cut to 300 characters). */
      readonly description: string;
      readonly retryable: boolean;
    }
  | { readonly kind: 'unparseable'; readonly code: 'DUO_UNPARSEABLE_RESPONSE'; readonly detail: string };

type Xml = Readonly<Record<string, unknown>>;

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: false,
  trimValues: true,
  isArray: (name) => name === 'Melding',
});

const isObject = (value: unknown): value is Xml =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const leaf = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;

/** The SOAP Body of an answer, or a reason why there is none. */
function body(xml: string): { ok: true; body: Xml } | { ok: false; detail: string } {
  if (/<!\s*(?:DOCTYPE|ENTITY)/i.test(xml)) return { ok: false, detail: 'answer has a DOCTYPE or ENTITY' };
  if (xml.trim() === '') return { ok: false, detail: 'answer is empty' };
  if (XMLValidator.validate(xml) !== true) return { ok: false, detail: 'answer is not well-formed XML' };
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch {
    return { ok: false, detail: 'answer could not be parsed' };
  }
  const envelope = isObject(document) ? document['Envelope'] : undefined;
  const soapBody = isObject(envelope) ? envelope['Body'] : undefined;
  if (!isObject(soapBody)) return { ok: false, detail: 'answer is not a SOAP envelope with a Body' };
  return { ok: true, body: soapBody };
}

function errorOf(profile: DuoProfile, soapBody: Xml): Extract<DuoAnswer, { kind: 'error' }> | null {
  const fault = soapBody['Fault'];
  // A Fault may carry DUO's Foutmelding in its detail; that is the more precise answer.
  const detail = isObject(fault) && isObject(fault['detail']) ? fault['detail'] : undefined;
  const foutmelding = soapBody['DC0002Foutmelding'] ?? detail?.['DC0002Foutmelding'];
  if (isObject(foutmelding)) {
    const duoCode = leaf(foutmelding['Foutcode']) ?? 'ONBEKEND';
    const errorClass: DuoErrorClass = classifyFoutcode(profile, duoCode);
    return {
      kind: 'error',
      code: `DUO_${errorClass}`,
      duoCode,
      description: (leaf(foutmelding['Omschrijving']) ?? '').slice(0, 300),
      retryable: DUO_ERROR_RETRYABLE[errorClass],
    };
  }
  if (fault !== undefined) {
    const faultcode = isObject(fault) ? (leaf(fault['faultcode']) ?? '') : '';
    // SOAP 1.1: Client = the message is wrong (permanent); Server (or anything else) = try again later.
    const client = /(^|:)Client(\.|$)/.test(faultcode);
    return {
      kind: 'error',
      code: client ? 'DUO_SOAP_FAULT_CLIENT' : 'DUO_SOAP_FAULT_SERVER',
      duoCode: faultcode || 'Fault',
      description: (isObject(fault) ? (leaf(fault['faultstring']) ?? '') : '').slice(0, 300),
      retryable: !client,
    };
  }
  return null;
}

/** DC0001Bevestiging → the report number; DC0002Foutmelding / SOAP Fault → coded, classified error. */
export function parseDuoAnswer(xml: string, profile: DuoProfile): DuoAnswer {
  const parsed = body(xml);
  if (!parsed.ok) return { kind: 'unparseable', code: 'DUO_UNPARSEABLE_RESPONSE', detail: parsed.detail };
  const error = errorOf(profile, parsed.body);
  if (error) return error;
  const confirmation = parsed.body['DC0001Bevestiging'];
  const reportNumber = isObject(confirmation) ? leaf(confirmation['Meldingnummer']) : null;
  if (!isObject(confirmation) || reportNumber === null)
    return {
      kind: 'unparseable',
      code: 'DUO_UNPARSEABLE_RESPONSE',
      detail: 'answer is neither DC0001Bevestiging with a Meldingnummer nor an error',
    };
  return { kind: 'confirmation', reportNumber, kenmerk: leaf(confirmation['Kenmerk']) };
}

export type StatusAnswer =
  | { readonly kind: 'changes'; readonly changes: StatusChange[]; readonly until: Date }
  | Exclude<DuoAnswer, { kind: 'confirmation' }>;

/**
 * The answer to AanvraagGewijzigdeMeldingRelatiefVerzuim: GewijzigdeMeldingenRelatiefVerzuim with
 * TotTijdstip and Melding*. Changes are returned oldest first and deduplicated (DUO may repeat one).
 * A Melding with an unknown status or closing code makes the whole answer unparseable: skipping it would lose
 * a change for good, because the next request starts at TotTijdstip.
 */
export function parseStatusAnswer(xml: string, profile: DuoProfile): StatusAnswer {
  const parsed = body(xml);
  if (!parsed.ok) return { kind: 'unparseable', code: 'DUO_UNPARSEABLE_RESPONSE', detail: parsed.detail };
  const error = errorOf(profile, parsed.body);
  if (error) return error;
  const unparseable = (detail: string): StatusAnswer => ({
    kind: 'unparseable',
    code: 'DUO_UNPARSEABLE_RESPONSE',
    detail,
  });
  const response = parsed.body['GewijzigdeMeldingenRelatiefVerzuim'];
  if (!isObject(response) && response !== '')
    return unparseable('answer is not GewijzigdeMeldingenRelatiefVerzuim');
  const root: Xml = isObject(response) ? response : {};
  const until = instant(leaf(root['TotTijdstip']));
  if (until === null) return unparseable('TotTijdstip is missing or not an instant');
  const changes: StatusChange[] = [];
  const seen = new Set<string>();
  const meldingen = Array.isArray(root['Melding']) ? (root['Melding'] as unknown[]) : [];
  for (const [at, melding] of meldingen.entries()) {
    if (!isObject(melding)) return unparseable(`Melding[${at}] is empty`);
    const externalRef = leaf(melding['Meldingnummer']);
    const statusCode = leaf(melding['Status']) ?? '';
    const status = Object.hasOwn(profile.statuses, statusCode)
      ? profile.statuses[statusCode]
      : Object.hasOwn(profile.legacyStatuses, statusCode)
        ? profile.legacyStatuses[statusCode]
        : undefined;
    const changedAt = instant(leaf(melding['Tijdstip']));
    if (externalRef === null || status === undefined || changedAt === null)
      return unparseable(`Melding[${at}] lacks a Meldingnummer, a known Status or a Tijdstip`);
    const reasonCode = leaf(melding['RedenAfsluiting']);
    const explanationCode = leaf(melding['ToelichtingAfsluiting']);
    const closingReason: ClosingReason | undefined =
      reasonCode === null ? undefined : keyOf(profile.closingReasons, reasonCode);
    const closingExplanation: ClosingExplanation | undefined =
      explanationCode === null ? undefined : keyOf(profile.closingExplanations, explanationCode);
    if (
      (reasonCode !== null && closingReason === undefined) ||
      (explanationCode !== null && closingExplanation === undefined)
    )
      return unparseable(`Melding[${at}] has an unknown closing code`);
    const contact = leaf(melding['Contactpersoon']);
    const change: StatusChange = {
      externalRef,
      status,
      at: changedAt.toISOString(),
      ...(closingReason && CLOSING_REASONS.includes(closingReason) ? { closingReason } : {}),
      ...(closingExplanation && CLOSING_EXPLANATIONS.includes(closingExplanation)
        ? { closingExplanation }
        : {}),
      ...(contact !== null ? { contact } : {}),
    };
    const key = JSON.stringify(change);
    if (seen.has(key)) continue;
    seen.add(key);
    changes.push(change);
  }
  changes.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { kind: 'changes', changes, until };
}

function instant(text: string | null): Date | null {
  if (text === null || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text))
    return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}
