import { X509Certificate, createHash, createSign, createVerify, randomUUID } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import { XmlC14NMode, XmlDocument, type XmlElement, type XmlNode } from 'libxml2-wasm';

/**
 * WS-Security as DUO's register checks it (Digikoppeling WUS 2W-be-S, duo-interface.md §3), written for the
 * simulator from the standards and NOT with the connector's library (xml-crypto): libxml2's exclusive
 * canonicalisation (WebAssembly) and node:crypto. A stand-in that shared the client's signing code would accept
 * whatever that code produced.
 */

export const NS = {
  soapenv: 'http://schemas.xmlsoap.org/soap/envelope/',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  ec: 'http://www.w3.org/2001/10/xml-exc-c14n#',
} as const;

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const X509V3 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3';
const BASE64_BINARY =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
/** The OIN address of Digikoppeling. */
export const OIN_ADDRESS = 'http://www.w3.org/2005/08/addressing/anonymous?oin=';

/** WSS 1.0 §12 fault codes, as the register answers them (a SOAP Fault, HTTP 500). */
export type SecurityFaultCode =
  | 'wsse:InvalidSecurity'
  | 'wsse:FailedCheck'
  | 'wsse:InvalidSecurityToken'
  | 'wsse:FailedAuthentication'
  | 'wsse:UnsupportedAlgorithm'
  | 'wsu:MessageExpired';

export class SecurityFault extends Error {
  constructor(
    readonly faultcode: SecurityFaultCode,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface SecurityCheck {
  readonly now: Date;
  /** CAs whose certificates may sign (the same trust as for TLS client certificates). */
  readonly trusted: readonly X509Certificate[];
  /** The OIN of the TLS client certificate, when the message came over TLS. */
  readonly tlsOin: string | null;
  /** The OIN in wsa:From/wsa:Address. */
  readonly fromOin: string;
  /** Timestamp: allowed clock skew, and the longest lifetime accepted (DUO: 10 minutes). */
  readonly skewSeconds?: number;
  readonly maxTtlSeconds?: number;
}

export interface SignerIdentity {
  readonly oin: string;
  readonly fingerprint: string;
  readonly certificate: X509Certificate;
}

const ID = /^[A-Za-z_][A-Za-z0-9._-]{0,199}$/;

const one = (nodes: XmlNode[]): XmlElement | null => (nodes.length === 1 ? (nodes[0] as XmlElement) : null);
const prefixList = (node: XmlNode | null): string[] =>
  node === null ? [] : node.content.split(/\s+/).filter((p) => p !== '');

/**
 * Exclusive c14n of one element's subtree, in the context of its document (ancestors' namespaces in scope for
 * the prefix list). Selected as a node set: libxml2 then decides visibility by pointer, without a JavaScript
 * object per node of the document (ten times faster than a visibility callback).
 */
function c14n(node: XmlNode, prefixes: readonly string[]): string {
  return node.doc.canonicalizeToString({
    mode: XmlC14NMode.XML_C14N_EXCLUSIVE_1_0,
    inclusiveNamespacePrefixes: [...prefixes],
    withComments: false,
    nodeSet: new Set([node]),
  });
}

/** The OIN in a certificate's subject serialNumber. */
export function oinOfCertificate(certificate: X509Certificate): string | null {
  const match = /(?:^|\n)serialNumber=(\d{20})(?:\n|$)/.exec(certificate.subject);
  return match ? match[1] : null;
}

/**
 * Verifies the message's security header: one signature over wsa:From, wsa:To, wsa:Action, wsa:MessageID,
 * wsu:Timestamp and the Body (each referenced by wsu:Id, exc-c14n, SHA-256), RSA-SHA256 with the key of the
 * BinarySecurityToken; the token issued by a trusted CA, valid now, its OIN that of wsa:From and of the TLS
 * certificate; the timestamp current and at most 10 minutes long. Throws a SecurityFault.
 */
export function verifySecurity(doc: XmlDocument, check: SecurityCheck): SignerIdentity {
  const header = one(doc.find('/soapenv:Envelope/soapenv:Header', NS));
  const security = header === null ? null : one(header.find('wsse:Security', NS));
  if (security === null)
    throw new SecurityFault('wsse:InvalidSecurity', 'the message carries no wsse:Security header');
  const signature = one(security.find('ds:Signature', NS));
  if (signature === null) throw new SecurityFault('wsse:InvalidSecurity', 'the message is not signed');
  const signedInfo = one(signature.find('ds:SignedInfo', NS));
  if (signedInfo === null) throw new SecurityFault('wsse:InvalidSecurity', 'the signature has no SignedInfo');
  const c14nMethod = signedInfo.get('ds:CanonicalizationMethod/@Algorithm', NS)?.content;
  const signatureMethod = signedInfo.get('ds:SignatureMethod/@Algorithm', NS)?.content;
  if (c14nMethod !== EXC_C14N || signatureMethod !== RSA_SHA256)
    throw new SecurityFault('wsse:UnsupportedAlgorithm', 'expected exclusive c14n and rsa-sha256');

  // Each reference: the element with that wsu:Id (exactly one), exc-c14n with its prefix list, SHA-256.
  const referenced = new Set<string>();
  const references = signedInfo.find('ds:Reference', NS) as XmlElement[];
  for (const reference of references) {
    const uri = reference.attr('URI')?.value ?? '';
    const id = uri.startsWith('#') ? uri.slice(1) : '';
    if (!ID.test(id)) throw new SecurityFault('wsse:FailedCheck', 'a reference does not point at a wsu:Id');
    const transforms = reference.find('ds:Transforms/ds:Transform', NS) as XmlElement[];
    if (transforms.length !== 1 || transforms[0].attr('Algorithm')?.value !== EXC_C14N)
      throw new SecurityFault('wsse:UnsupportedAlgorithm', 'a reference is not exc-c14n transformed');
    if (reference.get('ds:DigestMethod/@Algorithm', NS)?.content !== SHA256)
      throw new SecurityFault('wsse:UnsupportedAlgorithm', 'a reference is not digested with SHA-256');
    const targets = doc.find(`//*[@wsu:Id='${id}']`, NS);
    if (targets.length !== 1)
      throw new SecurityFault('wsse:FailedCheck', 'a wsu:Id is missing or not unique');
    const prefixes = prefixList(transforms[0].get('ec:InclusiveNamespaces/@PrefixList', NS));
    const digest = createHash('sha256').update(c14n(targets[0], prefixes)).digest('base64');
    const expected = (reference.get('ds:DigestValue', NS)?.content ?? '').replace(/\s+/g, '');
    if (digest !== expected)
      throw new SecurityFault('wsse:FailedCheck', 'a signed part was changed after signing');
    referenced.add(id);
  }

  // Every part Digikoppeling's 2W-be-S profile signs must be among them.
  const parts: [string, string][] = [
    ['wsa:From', '/soapenv:Envelope/soapenv:Header/wsa:From'],
    ['wsa:To', '/soapenv:Envelope/soapenv:Header/wsa:To'],
    ['wsa:Action', '/soapenv:Envelope/soapenv:Header/wsa:Action'],
    ['wsa:MessageID', '/soapenv:Envelope/soapenv:Header/wsa:MessageID'],
    ['wsu:Timestamp', '/soapenv:Envelope/soapenv:Header/wsse:Security/wsu:Timestamp'],
    ['soapenv:Body', '/soapenv:Envelope/soapenv:Body'],
  ];
  for (const [name, xpath] of parts) {
    const element = one(doc.find(xpath, NS));
    const id = element?.get('@wsu:Id', NS)?.content;
    if (element === null || id === undefined || !referenced.has(id))
      throw new SecurityFault('wsse:InvalidSecurity', `${name} is not signed`);
  }

  // The key: the BinarySecurityToken the SecurityTokenReference names.
  const tokenUri =
    signature.get('ds:KeyInfo/wsse:SecurityTokenReference/wsse:Reference/@URI', NS)?.content ?? '';
  const tokenId = tokenUri.startsWith('#') ? tokenUri.slice(1) : '';
  const token = ID.test(tokenId)
    ? one(security.find(`wsse:BinarySecurityToken[@wsu:Id='${tokenId}']`, NS))
    : null;
  if (token === null || token.attr('ValueType')?.value !== X509V3)
    throw new SecurityFault('wsse:InvalidSecurityToken', 'no X509v3 BinarySecurityToken is referenced');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(token.content.replace(/\s+/g, ''), 'base64'));
  } catch {
    throw new SecurityFault('wsse:InvalidSecurityToken', 'the BinarySecurityToken is not a certificate');
  }
  const signatureValue = (signature.get('ds:SignatureValue', NS)?.content ?? '').replace(/\s+/g, '');
  const infoPrefixes = prefixList(
    signedInfo.get('ds:CanonicalizationMethod/ec:InclusiveNamespaces/@PrefixList', NS),
  );
  const verified = createVerify('RSA-SHA256')
    .update(c14n(signedInfo, infoPrefixes))
    .verify(certificate.publicKey, signatureValue, 'base64');
  if (!verified) throw new SecurityFault('wsse:FailedCheck', 'the signature does not verify with the token');

  const trustedBy = check.trusted.some(
    (ca) => certificate.checkIssued(ca) && certificate.verify(ca.publicKey),
  );
  if (!trustedBy)
    throw new SecurityFault('wsse:InvalidSecurityToken', 'the signing certificate is not trusted');
  const now = check.now.getTime();
  if (Date.parse(certificate.validFrom) > now || Date.parse(certificate.validTo) < now)
    throw new SecurityFault('wsse:InvalidSecurityToken', 'the signing certificate is not valid now');

  const created = Date.parse(security.get('wsu:Timestamp/wsu:Created', NS)?.content ?? '');
  const expires = Date.parse(security.get('wsu:Timestamp/wsu:Expires', NS)?.content ?? '');
  const skew = (check.skewSeconds ?? 60) * 1000;
  if (Number.isNaN(created) || Number.isNaN(expires) || expires <= created)
    throw new SecurityFault('wsse:InvalidSecurity', 'the timestamp needs Created and a later Expires');
  if (expires - created > (check.maxTtlSeconds ?? 600) * 1000)
    throw new SecurityFault('wsse:InvalidSecurity', 'the timestamp is valid for more than 10 minutes');
  if (created > now + skew)
    throw new SecurityFault('wsse:InvalidSecurity', 'the timestamp lies in the future');
  if (expires <= now) throw new SecurityFault('wsu:MessageExpired', 'the message has expired');

  const oin = oinOfCertificate(certificate);
  if (oin === null || oin !== check.fromOin)
    throw new SecurityFault(
      'wsse:FailedAuthentication',
      'the signing certificate does not carry the OIN of wsa:From',
    );
  if (check.tlsOin !== null && check.tlsOin !== oin)
    throw new SecurityFault(
      'wsse:FailedAuthentication',
      'the message is signed by another party than the TLS client',
    );
  return { oin, fingerprint: certificate.fingerprint256, certificate };
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: false });
const ENVELOPE_PREFIXES = ['duo', 'soapenv', 'wsa', 'wsse', 'wsu'];

export interface AnswerSigning {
  /** DUO's signing certificate and key (PEM). */
  readonly cert: string;
  readonly key: string;
}

export interface AnswerEnvelope {
  /** The body's namespace (prefix `duo`). */
  readonly namespace: string;
  /** wsa:Action of the answer. */
  readonly action: string;
  /** The request's MessageID; null when it could not be read. */
  readonly relatesTo: string | null;
  readonly duoOin: string;
  readonly now: Date;
  /** The Body's children, as fast-xml-parser builder input. */
  readonly body: Record<string, unknown>;
  /** Signs the answer (WS-Security, the same profile as requests); absent: unsigned. */
  readonly signing?: AnswerSigning;
}

/** An answer envelope with WS-Addressing (RelatesTo), signed with DUO's certificate by the register's own code. */
export function answerEnvelope(answer: AnswerEnvelope): string {
  const suffix = randomUUID();
  const ids = {
    token: `X509-${suffix}`,
    timestamp: `TS-${suffix}`,
    action: `Action-${suffix}`,
    from: `From-${suffix}`,
    messageId: `MessageID-${suffix}`,
    relatesTo: `RelatesTo-${suffix}`,
    body: `Body-${suffix}`,
  };
  const certificate = answer.signing ? new X509Certificate(answer.signing.cert) : null;
  const created = answer.now.toISOString();
  const expires = new Date(answer.now.getTime() + 600_000).toISOString();
  const xml: string = builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    'soapenv:Envelope': {
      '@_xmlns:soapenv': NS.soapenv,
      '@_xmlns:wsa': NS.wsa,
      '@_xmlns:wsse': NS.wsse,
      '@_xmlns:wsu': NS.wsu,
      '@_xmlns:duo': answer.namespace,
      'soapenv:Header': {
        ...(certificate
          ? {
              'wsse:Security': {
                '@_soapenv:mustUnderstand': '1',
                'wsse:BinarySecurityToken': {
                  '@_EncodingType': BASE64_BINARY,
                  '@_ValueType': X509V3,
                  '@_wsu:Id': ids.token,
                  '#text': certificate.raw.toString('base64'),
                },
                'wsu:Timestamp': {
                  '@_wsu:Id': ids.timestamp,
                  'wsu:Created': created,
                  'wsu:Expires': expires,
                },
              },
            }
          : {}),
        'wsa:Action': { '@_wsu:Id': ids.action, '#text': answer.action },
        'wsa:From': { '@_wsu:Id': ids.from, 'wsa:Address': OIN_ADDRESS + answer.duoOin },
        'wsa:MessageID': { '@_wsu:Id': ids.messageId, '#text': `urn:uuid:${suffix}` },
        ...(answer.relatesTo !== null
          ? { 'wsa:RelatesTo': { '@_wsu:Id': ids.relatesTo, '#text': answer.relatesTo } }
          : {}),
      },
      'soapenv:Body': { '@_wsu:Id': ids.body, ...answer.body },
    },
  });
  if (!answer.signing) return xml;
  const signed = [ids.timestamp, ids.action, ids.from, ids.messageId, ids.body];
  if (answer.relatesTo !== null) signed.push(ids.relatesTo);
  return sign(xml, answer.signing.key, ids.token, signed);
}

/** Inserts a ds:Signature over the given wsu:Ids at the end of wsse:Security (libxml2 c14n, node:crypto). */
function sign(xml: string, key: string, tokenId: string, ids: readonly string[]): string {
  const prefixes = ENVELOPE_PREFIXES.join(' ');
  const digests = withDocument(xml, (doc) =>
    ids.map((id) => {
      const target = doc.get(`//*[@wsu:Id='${id}']`, NS);
      if (target === null) throw new Error(`nothing to sign with wsu:Id ${id}`);
      return createHash('sha256').update(c14n(target, ENVELOPE_PREFIXES)).digest('base64');
    }),
  );
  const references = ids
    .map(
      (id, at) =>
        `<ds:Reference URI="#${id}"><ds:Transforms><ds:Transform Algorithm="${EXC_C14N}">` +
        `<ec:InclusiveNamespaces xmlns:ec="${NS.ec}" PrefixList="${prefixes}"/></ds:Transform></ds:Transforms>` +
        `<ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue>${digests[at]}</ds:DigestValue></ds:Reference>`,
    )
    .join('');
  const signature =
    `<ds:Signature xmlns:ds="${NS.ds}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${EXC_C14N}">` +
    `<ec:InclusiveNamespaces xmlns:ec="${NS.ec}" PrefixList="${prefixes}"/></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${RSA_SHA256}"/>${references}</ds:SignedInfo>` +
    `<ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><wsse:SecurityTokenReference>` +
    `<wsse:Reference URI="#${tokenId}" ValueType="${X509V3}"/></wsse:SecurityTokenReference></ds:KeyInfo>` +
    `</ds:Signature>`;
  const withSignature = xml.replace('</wsse:Security>', `${signature}</wsse:Security>`);
  const value = withDocument(withSignature, (doc) => {
    const signedInfo = doc.get('//ds:Signature/ds:SignedInfo', NS);
    if (signedInfo === null) throw new Error('the signature was not placed');
    return createSign('RSA-SHA256').update(c14n(signedInfo, ENVELOPE_PREFIXES)).sign(key, 'base64');
  });
  return withSignature.replace(
    '<ds:SignatureValue></ds:SignatureValue>',
    `<ds:SignatureValue>${value}</ds:SignatureValue>`,
  );
}

/** Parses (no network, no external entities), runs `use`, and frees the document. */
export function withDocument<T>(xml: string, use: (doc: XmlDocument) => T): T {
  const doc = XmlDocument.fromString(xml);
  try {
    return use(doc);
  } finally {
    doc.dispose();
  }
}
