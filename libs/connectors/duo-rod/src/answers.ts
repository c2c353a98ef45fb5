import { X509Certificate } from 'node:crypto';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { XMLValidator } from 'fast-xml-parser';
import { XML_DECLARATION, safeXmlParser } from '#adapter-kit';
import { SignedXml } from 'xml-crypto';
import {
  CLOSING_EXPLANATIONS,
  CLOSING_REASONS,
  type ClosingExplanation,
  type ClosingReason,
  type StatusChange,
} from '#domain';
import { DS_NS, SOAP_NS, WSA_NS, WSSE_NS, WSU_NS } from './namespaces.js';
import {
  DUO_ERROR_RETRYABLE,
  type DuoErrorClass,
  type DuoProfile,
  classifyFoutcode,
  keyOf,
} from './profile.js';
import { DUO_ROD_ERRORS } from './duo-rod-error-codes.js';

/** What DUO answered to one message (docs/duo-rod-message.md §Answers). */
export type DuoAnswer =
  | {
      readonly kind: 'confirmation';
      /** DC0018 (a registration: the new report number) or DC0001 (a change or withdrawal confirmed). */
      readonly document: 'DC0018LeveringNummerMeldingRelatiefVerzuim' | 'DC0001Bevestiging';
      /** DUO's report number (nummerMeldingRelatiefVerzuim); null when a DC0001 does not repeat it. */
      readonly reportNumber: string | null;
      readonly kenmerk: string | null;
    }
  | {
      readonly kind: 'error';
      /** `DUO_<class>` e.g. DUO_VALIDATION, DUO_UNAVAILABLE, DUO_SOAP_FAULT_SERVER, DUO_SECURITY_… */
      readonly code: string;
      /** DUO's code (foutcode, or the SOAP faultcode). */
      readonly duoCode: string;
      /** DUO's own description (carries no personal data by contract; still cut to 300 characters). */
      readonly description: string;
      readonly retryable: boolean;
    }
  | {
      readonly kind: 'unparseable';
      readonly code: typeof DUO_ROD_ERRORS.DUO_UNPARSEABLE_RESPONSE;
      readonly detail: string;
    }
  /** The answer cannot be trusted (not related to our message, a broken or missing signature): try again. */
  | { readonly kind: 'untrusted'; readonly code: string; readonly detail: string };

/** How answers are checked: against our MessageID, and DUO's signature against its CA and OIN. */
export interface AnswerCheck {
  readonly profile: DuoProfile;
  /** Our wsa:MessageID: DUO's wsa:RelatesTo must name it. */
  readonly messageId: string;
  /** DUO's signing certificate must be issued by one of these and carry `duoOin`; null: integrity only. */
  readonly trust: { readonly caPems: readonly string[]; readonly duoOin: string } | null;
}

type Xml = Readonly<Record<string, unknown>>;

// Entities stay off in the parser (a DOCTYPE is refused below anyway); values decode the predefined ones.
const parser = safeXmlParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  decode: true,
  isArray: (name) => name === 'verzuimgeval',
});

const isObject = (value: unknown): value is Xml =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const leaf = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;
const path = (node: unknown, ...names: string[]): unknown =>
  names.reduce<unknown>((at, name) => (isObject(at) ? at[name] : undefined), node);

interface Parsed {
  readonly header: Xml;
  readonly body: Xml;
}

function parse(xml: string): { ok: true; parsed: Parsed } | { ok: false; detail: string } {
  if (XML_DECLARATION.test(xml)) return { ok: false, detail: 'answer has a DOCTYPE or ENTITY' };
  if (xml.trim() === '') return { ok: false, detail: 'answer is empty' };
  if (XMLValidator.validate(xml) !== true) return { ok: false, detail: 'answer is not well-formed XML' };
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch {
    return { ok: false, detail: 'answer could not be parsed' };
  }
  const envelope = path(document, 'Envelope');
  const body = path(envelope, 'Body');
  if (!isObject(body)) return { ok: false, detail: 'answer is not a SOAP envelope with a Body' };
  const header = path(envelope, 'Header');
  return { ok: true, parsed: { header: isObject(header) ? header : {}, body } };
}

/** The business document in the Body, directly or inside its operation's `…Response` element. */
function businessDocument(body: Xml, name: string): unknown {
  if (body[name] !== undefined) return body[name];
  for (const value of Object.values(body))
    if (isObject(value) && value[name] !== undefined) return value[name];
  return undefined;
}

function errorOf(profile: DuoProfile, body: Xml): Extract<DuoAnswer, { kind: 'error' }> | null {
  const fault = body['Fault'];
  const detail = isObject(path(fault, 'detail')) ? (path(fault, 'detail') as Xml) : {};
  const foutmelding =
    businessDocument(body, 'DC0002Foutmelding') ?? businessDocument(detail, 'DC0002Foutmelding');
  if (isObject(foutmelding)) {
    const duoCode = leaf(foutmelding['foutcode']) ?? 'ONBEKEND';
    const errorClass: DuoErrorClass = classifyFoutcode(profile, duoCode);
    return {
      kind: 'error',
      code: `DUO_${errorClass}`,
      duoCode,
      description: (leaf(foutmelding['foutomschrijving']) ?? '').slice(0, 300),
      retryable: DUO_ERROR_RETRYABLE[errorClass],
    };
  }
  if (fault === undefined) return null;
  const faultcode = leaf(path(fault, 'faultcode')) ?? '';
  const description = (leaf(path(fault, 'faultstring')) ?? '').slice(0, 300);
  const local = faultcode.includes(':') ? faultcode.slice(faultcode.indexOf(':') + 1) : faultcode;
  if (Object.hasOwn(profile.securityFaults, local)) {
    // WS-Security's own faults (wsse:FailedCheck, wsu:MessageExpired, …): DUO refused the security header.
    const errorClass = profile.securityFaults[local];
    return {
      kind: 'error',
      code: `DUO_SECURITY_${local.replace(/[A-Z]/g, (c, at: number) => (at > 0 ? '_' : '') + c).toUpperCase()}`,
      duoCode: faultcode,
      description,
      retryable: DUO_ERROR_RETRYABLE[errorClass],
    };
  }
  // SOAP 1.1: Client = the message is wrong (permanent); Server (or anything else) = try again later.
  const client = /(^|:)Client(\.|$)/.test(faultcode);
  return {
    kind: 'error',
    code: client ? DUO_ROD_ERRORS.DUO_SOAP_FAULT_CLIENT : DUO_ROD_ERRORS.DUO_SOAP_FAULT_SERVER,
    duoCode: faultcode || 'Fault',
    description,
    retryable: !client,
  };
}

const untrusted = (code: string, detail: string): Extract<DuoAnswer, { kind: 'untrusted' }> => ({
  kind: 'untrusted',
  code,
  detail,
});

/**
 * DUO's addressing and signature. A success answer must name our MessageID in wsa:RelatesTo; an error without
 * addressing headers (a TLS terminator's refusal) is taken as it is. A signature, where present (or required by
 * the profile), must verify, cover the Body, and come from a certificate of DUO's CA carrying DUO's OIN.
 */
function checkAnswer(
  xml: string,
  parsed: Parsed,
  check: AnswerCheck,
  success: boolean,
): Extract<DuoAnswer, { kind: 'untrusted' }> | null {
  const relatesTo = leaf(parsed.header['RelatesTo']);
  if (relatesTo !== null && relatesTo !== check.messageId)
    return untrusted(DUO_ROD_ERRORS.DUO_ANSWER_NOT_RELATED, 'wsa:RelatesTo names another message');
  if (success && relatesTo === null)
    return untrusted(DUO_ROD_ERRORS.DUO_ANSWER_NOT_RELATED, 'the answer has no wsa:RelatesTo');
  const security = parsed.header['Security'];
  const signed = isObject(security) && security['Signature'] !== undefined;
  if (!signed) {
    return success && check.profile.answerSignature === 'REQUIRED'
      ? untrusted(DUO_ROD_ERRORS.DUO_ANSWER_UNSIGNED, 'the answer is not signed')
      : null;
  }
  return verifySignature(xml, check);
}

function verifySignature(xml: string, check: AnswerCheck): Extract<DuoAnswer, { kind: 'untrusted' }> | null {
  const invalid = (detail: string) => untrusted(DUO_ROD_ERRORS.DUO_ANSWER_SIGNATURE_INVALID, detail);
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level, message) => errors.push(`${level}: ${message}`),
  }).parseFromString(xml, 'text/xml');
  if (errors.length > 0 || doc.documentElement === null) return invalid('the answer could not be read');
  const signatures = doc.getElementsByTagNameNS(DS_NS, 'Signature');
  const tokens = doc.getElementsByTagNameNS(WSSE_NS, 'BinarySecurityToken');
  if (signatures.length !== 1 || tokens.length !== 1)
    return invalid('expected one signature and one BinarySecurityToken');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(
      Buffer.from((tokens[0].textContent ?? '').replace(/\s+/g, ''), 'base64'),
    );
  } catch {
    return invalid('the BinarySecurityToken is not a certificate');
  }
  const verifier = new SignedXml({ publicCert: certificate.toString(), getCertFromKeyInfo: () => null });
  let valid: boolean;
  try {
    verifier.loadSignature(signatures[0]);
    valid = verifier.checkSignature(xml);
  } catch {
    valid = false;
  }
  if (!valid) return invalid('the signature does not verify');
  // Signature wrapping: the Body that was read must be the element the signature covers, and be the only one.
  const bodies = doc.getElementsByTagNameNS(SOAP_NS, 'Body');
  const bodyId = bodies.length === 1 ? bodies[0].getAttributeNS(WSU_NS, 'Id') : null;
  const referenced = new Set(verifier.getReferences().map((r) => r.uri.replace(/^#/, '')));
  if (!bodyId || !referenced.has(bodyId) || countIds(doc.documentElement, bodyId) !== 1)
    return invalid('the signature does not cover the Body');
  const relates = doc.getElementsByTagNameNS(WSA_NS, 'RelatesTo');
  if (relates.length === 1) {
    const id = relates[0].getAttributeNS(WSU_NS, 'Id');
    if (!id || !referenced.has(id)) return invalid('the signature does not cover wsa:RelatesTo');
  }
  if (check.trust !== null) {
    const issued = check.trust.caPems.some((pem) => {
      const ca = certificateOf(pem);
      return ca !== null && certificate.checkIssued(ca) && certificate.verify(ca.publicKey);
    });
    if (!issued) return invalid("the signing certificate is not issued by DUO's CA");
    if (oinOf(certificate) !== check.trust.duoOin)
      return invalid("the signing certificate does not carry DUO's OIN");
    const now = Date.now();
    if (Date.parse(certificate.validFrom) > now || Date.parse(certificate.validTo) < now)
      return invalid('the signing certificate is not valid now');
  }
  return null;
}

/** DUO's CA certificates, parsed once (every answer is checked against them). */
const parsedCas = new Map<string, X509Certificate | null>();
function certificateOf(pem: string): X509Certificate | null {
  if (!parsedCas.has(pem)) {
    let parsed: X509Certificate | null;
    try {
      parsed = new X509Certificate(pem);
    } catch {
      parsed = null;
    }
    if (parsedCas.size > 100) parsedCas.clear();
    parsedCas.set(pem, parsed);
  }
  return parsedCas.get(pem) ?? null;
}

function countIds(root: XmlElement, id: string): number {
  let count = root.getAttributeNS(WSU_NS, 'Id') === id ? 1 : 0;
  for (let child = root.firstChild; child !== null; child = child.nextSibling)
    if (child.nodeType === 1) count += countIds(child as XmlElement, id);
  return count;
}

/** The OIN in a certificate's subject serialNumber (PKIoverheid organisation certificates). */
export function oinOf(certificate: X509Certificate): string | null {
  const match = /(?:^|\n)serialNumber=(\d{20})(?:\n|$)/.exec(certificate.subject);
  return match ? match[1] : null;
}

/** The certificates of a PEM bundle (a CA file may hold several). */
export function pemCertificates(bundle: string): string[] {
  return [...bundle.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map(
    (m) => `${m[0]}\n`,
  );
}

/** DC0018 (REGISTER) or DC0001 (UPDATE, WITHDRAW) → confirmation; DC0002 / SOAP Fault → classified error. */
export function parseDuoAnswer(xml: string, check: AnswerCheck): DuoAnswer {
  const read = parse(xml);
  if (!read.ok)
    return { kind: 'unparseable', code: DUO_ROD_ERRORS.DUO_UNPARSEABLE_RESPONSE, detail: read.detail };
  const { body } = read.parsed;
  const error = errorOf(check.profile, body);
  if (error) return checkAnswer(xml, read.parsed, check, false) ?? error;
  const dc0018 = businessDocument(body, 'DC0018LeveringNummerMeldingRelatiefVerzuim');
  const dc0001 = businessDocument(body, 'DC0001Bevestiging');
  const document = isObject(dc0018) ? dc0018 : isObject(dc0001) ? dc0001 : null;
  if (document === null)
    return {
      kind: 'unparseable',
      code: DUO_ROD_ERRORS.DUO_UNPARSEABLE_RESPONSE,
      detail: 'answer is neither DC0018, DC0001 nor an error',
    };
  const reportNumber = leaf(
    path(document, 'identificatieMeldingRelatiefVerzuim', 'nummerMeldingRelatiefVerzuim'),
  );
  if (document === dc0018 && reportNumber === null)
    return {
      kind: 'unparseable',
      code: DUO_ROD_ERRORS.DUO_UNPARSEABLE_RESPONSE,
      detail: 'DC0018 without nummerMeldingRelatiefVerzuim',
    };
  const trust = checkAnswer(xml, read.parsed, check, true);
  if (trust) return trust;
  return {
    kind: 'confirmation',
    document: document === dc0018 ? 'DC0018LeveringNummerMeldingRelatiefVerzuim' : 'DC0001Bevestiging',
    reportNumber,
    kenmerk: leaf(document['kenmerkMelding']),
  };
}

export type StatusAnswer =
  | { readonly kind: 'changes'; readonly changes: StatusChange[]; readonly until: Date }
  | Exclude<DuoAnswer, { kind: 'confirmation' }>;

/**
 * The answer to AanvraagGewijzigdeMeldingRelatiefVerzuim: DC0011LeveringMeldingRelatiefVerzuim with its
 * selectieperiode (where the next request starts) and its verzuimgevallen. Changes are returned oldest first and
 * deduplicated (DUO may repeat one). A verzuimgeval with an unknown status or closing code makes the whole answer
 * unparseable: skipping it would lose a change for good, because the next request starts after it.
 */
export function parseStatusAnswer(xml: string, check: AnswerCheck): StatusAnswer {
  const read = parse(xml);
  if (!read.ok)
    return { kind: 'unparseable', code: DUO_ROD_ERRORS.DUO_UNPARSEABLE_RESPONSE, detail: read.detail };
  const { profile } = check;
  const { body } = read.parsed;
  const error = errorOf(profile, body);
  if (error) return checkAnswer(xml, read.parsed, check, false) ?? error;
  const unparseable = (detail: string): StatusAnswer => ({
    kind: 'unparseable',
    code: DUO_ROD_ERRORS.DUO_UNPARSEABLE_RESPONSE,
    detail,
  });
  const levering = businessDocument(body, 'DC0011LeveringMeldingRelatiefVerzuim');
  if (!isObject(levering)) return unparseable('answer is not DC0011LeveringMeldingRelatiefVerzuim');
  const until = instant(
    leaf(path(levering, 'selectieperiode', 'datumBeginSelectieperiode')),
    leaf(path(levering, 'selectieperiode', 'tijdstipBeginSelectieperiode')),
  );
  if (until === null) return unparseable('selectieperiode is missing or not a moment');
  const trust = checkAnswer(xml, read.parsed, check, true);
  if (trust) return trust;
  const changes: StatusChange[] = [];
  const seen = new Set<string>();
  const gevallen = Array.isArray(levering['verzuimgeval']) ? (levering['verzuimgeval'] as unknown[]) : [];
  for (const [at, geval] of gevallen.entries()) {
    const melding = path(geval, 'meldingRelatiefVerzuim');
    if (!isObject(melding)) return unparseable(`verzuimgeval[${at}] has no meldingRelatiefVerzuim`);
    const externalRef = leaf(
      path(melding, 'identificatieMeldingRelatiefVerzuim', 'nummerMeldingRelatiefVerzuim'),
    );
    const statusCode = leaf(melding['statusMeldingRelatiefVerzuim']) ?? '';
    const status = Object.hasOwn(profile.statuses, statusCode)
      ? profile.statuses[statusCode]
      : Object.hasOwn(profile.legacyStatuses, statusCode)
        ? profile.legacyStatuses[statusCode]
        : undefined;
    const changedAt = instant(
      leaf(path(geval, 'procesverloop', 'datumLaatsteMutatie')),
      leaf(path(geval, 'procesverloop', 'tijdstipLaatsteMutatie')),
    );
    if (externalRef === null || status === undefined || changedAt === null)
      return unparseable(`verzuimgeval[${at}] lacks a report number, a known status or its last change`);
    const reasonCode = leaf(melding['redenMeldingAfgesloten']);
    const explanationCode = leaf(melding['toelichtingAfsluiting']);
    const closingReason: ClosingReason | undefined =
      reasonCode === null ? undefined : keyOf(profile.closingReasons, reasonCode);
    const closingExplanation: ClosingExplanation | undefined =
      explanationCode === null ? undefined : keyOf(profile.closingExplanations, explanationCode);
    if (
      (reasonCode !== null && closingReason === undefined) ||
      (explanationCode !== null && closingExplanation === undefined)
    )
      return unparseable(`verzuimgeval[${at}] has an unknown closing code`);
    const contact = leaf(melding['contactpersoonGemeente']);
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

/** A date and a time of day (UTC, `HH:mm:ss` with optional fraction) as one moment, or null. */
function instant(date: string | null, time: string | null): Date | null {
  if (
    date === null ||
    time === null ||
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    !/^\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/.test(time)
  )
    return null;
  const moment = new Date(`${date}T${time}Z`);
  return Number.isNaN(moment.getTime()) ? null : moment;
}
