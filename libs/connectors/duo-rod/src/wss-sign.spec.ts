import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import {
  DS_NS,
  EXC_C14N,
  RSA_SHA256,
  SHA256,
  WSSE_NS,
  WSU_NS,
  X509V3,
  formatDuoMessage,
  formatStatusRequest,
  messageIdFor,
  prepareSigningKey,
} from './index.js';
import { FULL, OPTIONS, SENDER, fixture, golden } from './duo.test-support.js';
import { outboundContextOf as contextOf, releasedFor as payloadOf } from '#testing';

/** A fixed clock, key and message id per operation: the signed envelope is byte for byte the golden file. */
const AT = new Date('2026-02-02T09:00:00Z');
const SIGNED = { ...OPTIONS, signing: SENDER, now: AT };

const operations: [string, () => string][] = [
  ['melden-relatief-verzuim.xml', () => formatDuoMessage(contextOf({ sentAt: AT }), payloadOf(FULL), SIGNED)],
  [
    'mutatie-wijzigen.xml',
    () =>
      formatDuoMessage(
        contextOf({
          operation: 'UPDATE',
          idempotencyKey: 'kp-duo-update-report-2',
          externalRef: '100001',
          sentAt: AT,
        }),
        payloadOf({ 'absence.endDate': '2026-02-06', 'absence.hours': 20, 'absence.days': 3 }),
        SIGNED,
      ),
  ],
  [
    'mutatie-intrekken.xml',
    () =>
      formatDuoMessage(
        contextOf({
          operation: 'WITHDRAW',
          idempotencyKey: 'kp-duo-withdraw-report-3',
          externalRef: '100001',
          sentAt: AT,
        }),
        payloadOf({ 'absence.kind': 'LRV' }),
        SIGNED,
      ),
  ],
  [
    'aanvraag-gewijzigde-melding.xml',
    () => formatStatusRequest(new Date('2026-02-01T23:00:00Z'), messageIdFor('status:golden'), SIGNED),
  ],
];

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
const child = (parent: XmlElement, ns: string, local: string): XmlElement[] =>
  Array.from(parent.childNodes).filter(
    (n): n is XmlElement =>
      n.nodeType === 1 && (n as XmlElement).namespaceURI === ns && (n as XmlElement).localName === local,
  );

describe('the WS-Security signature (Digikoppeling WUS 2W-be-S)', () => {
  for (const [file, make] of operations)
    it(`golden file ${file}: the same clock, key and message id give the same signed envelope`, () => {
      const xml = make();
      assert.equal(xml, golden(file, xml));
      assert.equal(make(), xml, 'signing is deterministic (RSA PKCS#1 v1.5)');
    });

  it('the header as DUO accepts it: token, a 10-minute timestamp, one reference per signed part', () => {
    const xml = operations[0][1]();
    const doc = parse(xml);
    const header = doc.getElementsByTagNameNS('http://schemas.xmlsoap.org/soap/envelope/', 'Header')[0];
    const [security] = child(header, WSSE_NS, 'Security');
    assert.equal(security.getAttributeNS('http://schemas.xmlsoap.org/soap/envelope/', 'mustUnderstand'), '1');
    const [token] = child(security, WSSE_NS, 'BinarySecurityToken');
    assert.equal(token.getAttribute('ValueType'), X509V3);
    assert.equal(
      token.textContent,
      new X509Certificate(fixture('sender.cert.pem')).raw.toString('base64'),
      'the token is the sending party’s certificate',
    );
    const [timestamp] = child(security, WSU_NS, 'Timestamp');
    const created = child(timestamp, WSU_NS, 'Created')[0].textContent;
    const expires = child(timestamp, WSU_NS, 'Expires')[0].textContent;
    assert.equal(created, '2026-02-02T09:00:00.000Z');
    assert.equal(Date.parse(expires ?? '') - Date.parse(created ?? ''), 10 * 60_000);

    const [signature] = child(security, DS_NS, 'Signature');
    const [signedInfo] = child(signature, DS_NS, 'SignedInfo');
    const [method] = child(signedInfo, DS_NS, 'CanonicalizationMethod');
    assert.equal(method.getAttribute('Algorithm'), EXC_C14N);
    assert.equal(
      child(method, EXC_C14N, 'InclusiveNamespaces')[0].getAttribute('PrefixList'),
      'duo soapenv wsa wsse wsu',
    );
    assert.equal(child(signedInfo, DS_NS, 'SignatureMethod')[0].getAttribute('Algorithm'), RSA_SHA256);
    const idOf = (local: string): string => {
      const [element] = Array.from(doc.getElementsByTagName('*')).filter((e) => e.localName === local);
      return `#${element.getAttributeNS(WSU_NS, 'Id')}`;
    };
    const references = child(signedInfo, DS_NS, 'Reference');
    expect(references.map((r) => r.getAttribute('URI'))).toEqual(
      ['From', 'To', 'Action', 'MessageID', 'Timestamp', 'Body'].map(idOf),
    );
    for (const reference of references) {
      const transforms = child(child(reference, DS_NS, 'Transforms')[0], DS_NS, 'Transform');
      expect(transforms.map((t) => t.getAttribute('Algorithm'))).toEqual([EXC_C14N]);
      assert.equal(
        child(transforms[0], EXC_C14N, 'InclusiveNamespaces')[0].getAttribute('PrefixList'),
        'duo soapenv wsa wsse wsu',
      );
      assert.equal(child(reference, DS_NS, 'DigestMethod')[0].getAttribute('Algorithm'), SHA256);
    }
    const str = child(child(signature, DS_NS, 'KeyInfo')[0], WSSE_NS, 'SecurityTokenReference')[0];
    assert.equal(
      child(str, WSSE_NS, 'Reference')[0].getAttribute('URI'),
      `#${token.getAttributeNS(WSU_NS, 'Id')}`,
    );
  });

  it('every golden envelope verifies with the sending party’s certificate (and fails with another)', () => {
    for (const [, make] of operations) {
      const xml = make();
      const check = (cert: string): boolean => {
        const verifier = new SignedXml({ publicCert: cert, getCertFromKeyInfo: () => null });
        verifier.loadSignature(parse(xml).getElementsByTagNameNS(DS_NS, 'Signature')[0]);
        try {
          return verifier.checkSignature(xml);
        } catch {
          return false;
        }
      };
      assert.equal(check(fixture('sender.cert.pem')), true);
      assert.equal(check(fixture('other.cert.pem')), false);
    }
  });

  it('refuses a key that cannot sign rsa-sha256, or that is not the certificate’s', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    assert.throws(
      () => prepareSigningKey({ key: ec.toString(), certificate: SENDER.certificate }),
      /not RSA/,
    );
    assert.throws(
      () => prepareSigningKey({ key: fixture('other.key.pem'), certificate: SENDER.certificate }),
      /does not belong/,
    );
    assert.throws(
      () => prepareSigningKey({ key: 'geen sleutel', certificate: SENDER.certificate }),
      /cannot be read/,
    );
  });
});
