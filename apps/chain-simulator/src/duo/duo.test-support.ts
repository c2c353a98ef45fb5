import { X509Certificate } from 'node:crypto';
import { safeXmlParser } from '#adapter-kit';
import { SignedXml } from 'xml-crypto';
import type { ReleasedPayload } from '#privacy';
import { outboundContextOf, releasedFor } from '#testing';

/** Test helpers for the DUO specs: payloads and contexts, and hand-written signed messages. */

export { TEST_DUO_OIN as DUO_OIN, TEST_SCHOOL_OIN as SCHOOL_OIN } from '#testing';
import { TEST_DUO_OIN, TEST_SCHOOL_OIN } from '#testing';
/** Valid under the elfproef (9·1+8·2+7·3+6·4+5·5+4·6+3·7+2·8 − 2 = 154 = 14·11). */
export const VALID_BSN = '123456782';

/** A genuine ReleasedPayload for these fields (the release-all test policy of #testing). */
export const payloadOf = (fields: Record<string, unknown>): ReleasedPayload => releasedFor(fields);

export function fullFields(): Record<string, unknown> {
  return {
    'pupil.bsn': VALID_BSN,
    'pupil.phone': '0612345678',
    'pupil.woongemeente': '0344',
    'parent.phone': '0201234567',
    'school.brin': '99XX',
    'school.vestiging': '01',
    'school.locationName': 'Hoofdgebouw',
    'education.name': 'Vwo',
    'education.leerjaar': 4,
    'education.soort': 'VO',
    'absence.kind': '16U_MINDERJARIG',
    'absence.beginDate': '2026-01-05',
    'absence.endDate': '2026-01-30',
    'absence.hours': 17.5,
    'absence.days': 2,
    'absence.perDay': [
      { date: '2026-01-05', lessonHours: [1, 2, 3] },
      { date: '2026-01-12', lessonHours: [], wholeDay: true },
    ],
    'absence.allLessonsMissed': false,
    'report.suspectedReason': 'Vermoedelijk spijbelen',
    'report.actionTaken': 'Gesprek met ouders',
    'report.municipalActionWanted': { wanted: true, explanation: 'Graag huisbezoek' },
    'report.copyRecipient': 'BEIDE',
    'reporter.name': 'A. Verzuimcoördinator',
    'reporter.role': 'verzuimcoördinator',
    'reporter.phone': '0201112223',
    'reporter.email': 'verzuim@school.example',
  };
}

export const contextOf = outboundContextOf;

export const PROFILE_NS = 'urn:ketenpoort:reconstructed:duo:rod:verzuim:ibg-vsv-2';
export const CONTRACT = 'urn:ketenpoort:reconstructed:duo:contract:ROD_Verzuim_ibg-vsv-2';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const ADDRESS = 'http://www.w3.org/2005/08/addressing/anonymous?oin=';

export interface MessageParts {
  readonly id?: string;
  readonly operation?: string;
  readonly action?: string;
  readonly to?: string;
  readonly fromOin?: string;
  /** The business document; default: the sender's OIN to DUO's OIN. */
  readonly sender?: string;
  readonly receiver?: string;
  /** The operation's content after the business document. */
  readonly content?: string;
  /** Replaces the whole Body content. */
  readonly body?: string;
}

/**
 * A message written by hand from docs/duo-rod-message.md, with prefixes of its own (s, a, u, o, v) — deliberately
 * not produced by the connector — unsigned. `signMessage` adds the WS-Security header.
 */
export function unsignedMessage(parts: MessageParts = {}): string {
  const operation = parts.operation ?? 'MeldenRelatiefVerzuim';
  const fromOin = parts.fromOin ?? TEST_SCHOOL_OIN;
  const head =
    `<v:identificatiecodeBedrijfsdocument>0f0e0d0c-0b0a-5908-8706-050403020100</v:identificatiecodeBedrijfsdocument>` +
    `<v:verzendendeInstantie>${parts.sender ?? fromOin}</v:verzendendeInstantie>` +
    `<v:ontvangendeInstantie>${parts.receiver ?? TEST_DUO_OIN}</v:ontvangendeInstantie>` +
    `<v:datumTijdBedrijfsdocument>2026-02-02T09:00:00Z</v:datumTijdBedrijfsdocument>`;
  const body = parts.body ?? `<v:${operation}>${head}${parts.content ?? melding({})}</v:${operation}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="http://www.w3.org/2005/08/addressing" xmlns:u="${WSU}" xmlns:o="${WSSE}" xmlns:v="${PROFILE_NS}">
  <s:Header>
    <a:Action u:Id="act">${parts.action ?? `${CONTRACT}/${operation}`}</a:Action>
    <a:MessageID u:Id="mid">${parts.id ?? 'urn:uuid:00000000-0000-5000-8000-000000000001'}</a:MessageID>
    <a:To u:Id="to">${parts.to ?? `${ADDRESS}${TEST_DUO_OIN}`}</a:To>
    <a:From u:Id="from"><a:Address>${ADDRESS}${fromOin}</a:Address></a:From>
  </s:Header>
  <s:Body u:Id="body">${body}</s:Body>
</s:Envelope>`;
}

export interface MeldingParts {
  readonly kenmerk?: string;
  readonly deelnemer?: string;
  readonly instelling?: string;
  readonly verzuimsoort?: string;
  readonly dates?: string;
  readonly days?: string;
  readonly extra?: string;
}

/** A meldingRelatiefVerzuim, element by element in the schema's order. */
export function melding(p: MeldingParts): string {
  return (
    `<v:meldingRelatiefVerzuim><v:kenmerkMelding>${p.kenmerk ?? 'report-1'}</v:kenmerkMelding>` +
    `<v:verzuimsoort>${p.verzuimsoort ?? 'V3'}</v:verzuimsoort>` +
    (p.deelnemer ?? `<v:onderwijsdeelnemer><v:BSN>${VALID_BSN}</v:BSN></v:onderwijsdeelnemer>`) +
    (p.instelling ?? '<v:onderwijsinstelling><v:BRIN>99XX</v:BRIN></v:onderwijsinstelling>') +
    (p.dates ?? '<v:beginverzuim>2026-01-05</v:beginverzuim>') +
    (p.days ??
      '<v:verzuimdagGespecificeerd>true</v:verzuimdagGespecificeerd><v:verzuimdag><v:datum>2026-01-05</v:datum><v:lesuur>1</v:lesuur><v:lesuur>12</v:lesuur></v:verzuimdag>') +
    (p.extra ?? '') +
    `</v:meldingRelatiefVerzuim>`
  );
}

export interface Signer {
  readonly key: string;
  readonly cert: string;
}

export interface SignOptions {
  /** Created of the timestamp; default 2026-02-02T09:00:00Z. */
  readonly created?: Date;
  /** Expires − Created in seconds; default 600. */
  readonly ttlSeconds?: number;
  /** The parts signed (wsu:Ids); default all six. */
  readonly parts?: readonly string[];
  /** A certificate other than the signer's in the BinarySecurityToken. */
  readonly token?: string;
}

/** WS-Security over a hand-written message, signed in the test with xml-crypto (the register checks its own way). */
export function signMessage(xml: string, signer: Signer, options: SignOptions = {}): string {
  const created = options.created ?? new Date('2026-02-02T09:00:00Z');
  const expires = new Date(created.getTime() + (options.ttlSeconds ?? 600) * 1000);
  const token = new X509Certificate(options.token ?? signer.cert).raw.toString('base64');
  const withSecurity = xml.replace(
    '<s:Header>',
    `<s:Header><o:Security s:mustUnderstand="1"><o:BinarySecurityToken ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3" EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary" u:Id="tok">${token}</o:BinarySecurityToken><u:Timestamp u:Id="ts"><u:Created>${created.toISOString()}</u:Created><u:Expires>${expires.toISOString()}</u:Expires></u:Timestamp></o:Security>`,
  );
  const exc = 'http://www.w3.org/2001/10/xml-exc-c14n#';
  // Lower-case prefixes only: xml-crypto orders namespace declarations with localeCompare, not by code point as
  // c14n requires, so a mixed-case set (S before a) would canonicalise differently (see docs/duo-spec-gaps.md).
  const prefixes = ['a', 'o', 's', 'u', 'v'];
  const sig = new SignedXml({
    privateKey: signer.key,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: exc,
    inclusiveNamespacesPrefixList: prefixes,
    getKeyInfoContent: () =>
      `<o:SecurityTokenReference xmlns:o="${WSSE}"><o:Reference URI="#tok" ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"/></o:SecurityTokenReference>`,
  });
  sig.idMode = 'wssecurity';
  for (const id of options.parts ?? ['from', 'to', 'act', 'mid', 'ts', 'body'])
    sig.addReference({
      xpath: `//*[@*[local-name(.)='Id' and namespace-uri(.)='${WSU}']='${id}']`,
      transforms: [exc],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      inclusiveNamespacesPrefixList: prefixes,
    });
  sig.computeSignature(withSecurity, {
    prefix: 'ds',
    location: { reference: `//*[local-name(.)='Security']`, action: 'append' },
  });
  return sig.getSignedXml();
}

/** The register's answers, read without namespaces. */
const answers = safeXmlParser({
  removeNSPrefix: true,
  decode: true,
  isArray: (name) => name === 'verzuimgeval',
});
export type Tree = Record<string, Record<string, unknown>>;
export function bodyOf(xml: string): Tree {
  const body = (answers.parse(xml) as { Envelope: { Body: Tree } }).Envelope.Body;
  const [first] = Object.entries(body).filter(([key]) => !key.startsWith('@'));
  // Unwrap the operation's …Response element; a Fault or a bare document stays as it is.
  return first && first[0].endsWith('Response') ? (first[1] as Tree) : body;
}
export function headerOf(xml: string): Record<string, unknown> {
  return (answers.parse(xml) as { Envelope: { Header: Record<string, unknown> } }).Envelope.Header;
}
