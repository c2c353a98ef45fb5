import { type KeyObject, X509Certificate, createPrivateKey } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import {
  ENVELOPE_PREFIXES,
  EXC_C14N,
  RSA_SHA256,
  SHA256,
  SOAP_NS,
  WSA_NS,
  WSSE_NS,
  WSU_NS,
  X509V3,
} from './namespaces.js';

/**
 * The WS-Security signature of Digikoppeling WUS 2W-be-S as DUO accepts it (duo-interface.md §3), made with
 * xml-crypto: one `ds:Reference` per signed part (wsa:From, wsa:To, wsa:Action, wsa:MessageID, wsu:Timestamp,
 * soapenv:Body), each found by its wsu:Id, exclusive canonicalisation with an InclusiveNamespaces prefix list,
 * SHA-256 digests, RSA-SHA256, and a SecurityTokenReference to the BinarySecurityToken.
 */

export interface DuoSigningKey {
  /** The sending party's private key (PEM; RSA: the profile signs with rsa-sha256). */
  readonly key: string;
  /** Its certificate (PEM); with a chain, the first certificate is the signer's. */
  readonly certificate: string;
  readonly passphrase?: string;
}

export interface SignedPartIds {
  readonly token: string;
  readonly timestamp: string;
  readonly from: string;
  readonly to: string;
  readonly action: string;
  readonly messageId: string;
  readonly body: string;
}

interface Prepared {
  readonly key: KeyObject;
  readonly token: string;
}

const prepared = new WeakMap<DuoSigningKey, Prepared>();

/** The first certificate of a PEM text (the leaf of a chain). */
export function leafPem(pem: string): string {
  const match = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!match) throw new TypeError('no PEM certificate found');
  return `${match[0]}\n`;
}

/**
 * Checks the key once: RSA (rsa-sha256), and the public half of the certificate. Throws a TypeError naming the
 * problem, never the material.
 */
export function prepareSigningKey(signing: DuoSigningKey): Prepared {
  const cached = prepared.get(signing);
  if (cached) return cached;
  const certificate = new X509Certificate(leafPem(signing.certificate));
  let key: KeyObject;
  try {
    key = createPrivateKey(
      signing.passphrase === undefined
        ? signing.key
        : { key: signing.key, format: 'pem', passphrase: signing.passphrase },
    );
  } catch {
    throw new TypeError('the signing key cannot be read (PEM, or a wrong passphrase)');
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new TypeError('the signing key is not RSA (rsa-sha256 needs RSA)');
  if (!certificate.checkPrivateKey(key))
    throw new TypeError('the signing key does not belong to the certificate');
  const result: Prepared = { key, token: certificate.raw.toString('base64') };
  prepared.set(signing, result);
  return result;
}

/** The BinarySecurityToken's content: the signer's certificate, DER in Base64. */
export function tokenOf(signing: DuoSigningKey): string {
  return prepareSigningKey(signing).token;
}

/**
 * Each signed part by its place in the envelope we built (a descendant search per part costs more than the
 * signature itself); the reference URI is still the part's wsu:Id.
 */
const step = (ns: string, local: string): string =>
  `*[local-name(.)='${local}' and namespace-uri(.)='${ns}']`;
const HEADER = `/${step(SOAP_NS, 'Envelope')}/${step(SOAP_NS, 'Header')}`;
const PART_PATHS: Readonly<Record<keyof Omit<SignedPartIds, 'token'>, string>> = {
  from: `${HEADER}/${step(WSA_NS, 'From')}`,
  to: `${HEADER}/${step(WSA_NS, 'To')}`,
  action: `${HEADER}/${step(WSA_NS, 'Action')}`,
  messageId: `${HEADER}/${step(WSA_NS, 'MessageID')}`,
  timestamp: `${HEADER}/${step(WSSE_NS, 'Security')}/${step(WSU_NS, 'Timestamp')}`,
  body: `/${step(SOAP_NS, 'Envelope')}/${step(SOAP_NS, 'Body')}`,
};

/** Signs an envelope whose header already holds wsse:Security with the token and the timestamp. */
export function signEnvelope(xml: string, signing: DuoSigningKey, ids: SignedPartIds): string {
  const { key } = prepareSigningKey(signing);
  const prefixes = [...ENVELOPE_PREFIXES];
  const signer = new SignedXml({
    privateKey: key,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
    inclusiveNamespacesPrefixList: prefixes,
    getKeyInfoContent: () =>
      `<wsse:SecurityTokenReference xmlns:wsse="${WSSE_NS}"><wsse:Reference URI="#${ids.token}" ValueType="${X509V3}"/></wsse:SecurityTokenReference>`,
  });
  signer.idMode = 'wssecurity';
  for (const part of ['from', 'to', 'action', 'messageId', 'timestamp', 'body'] as const) {
    signer.addReference({
      xpath: PART_PATHS[part],
      transforms: [EXC_C14N],
      digestAlgorithm: SHA256,
      inclusiveNamespacesPrefixList: prefixes,
    });
  }
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: {
      reference: `${HEADER}/${step(WSSE_NS, 'Security')}`,
      action: 'append',
    },
  });
  return signer.getSignedXml();
}
