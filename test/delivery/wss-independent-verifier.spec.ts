import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';

/**
 * The signature of ketenpoort's DUO messages checked by an independent verifier: xmlsec1, the reference XML
 * Signature implementation (C, libxml2 + OpenSSL; Debian's `xmlsec1`, installed by .ci/run), not xml-crypto,
 * which signed them. It must accept every golden envelope and reject each kind of tampering. The key is the
 * one in the BinarySecurityToken, as DUO takes it; xmlsec1 is told which attributes are IDs (wsu:Id).
 */

const FIXTURES = fileURLToPath(new URL('../../../libs/connectors/duo-rod/fixtures/', import.meta.url));
const GOLDEN = join(FIXTURES, 'golden');
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const ID_ATTRIBUTES = [
  `${WSU}:Timestamp`,
  'http://schemas.xmlsoap.org/soap/envelope/:Body',
  'http://www.w3.org/2005/08/addressing:From',
  'http://www.w3.org/2005/08/addressing:To',
  'http://www.w3.org/2005/08/addressing:Action',
  'http://www.w3.org/2005/08/addressing:MessageID',
].flatMap((node) => ['--id-attr:Id', node]);

const work = mkdtempSync(join(tmpdir(), 'ketenpoort-xmlsec-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The certificate in the message's BinarySecurityToken, as PEM. */
function tokenOf(xml: string): string {
  const base64 = /<wsse:BinarySecurityToken[^>]*>([^<]+)</.exec(xml)?.[1] ?? '';
  return new X509Certificate(Buffer.from(base64, 'base64')).toString();
}

let counter = 0;
function xmlsec1(xml: string, certificate = tokenOf(xml)): { ok: boolean; output: string } {
  const id = counter++;
  const file = join(work, `message-${id}.xml`);
  const cert = join(work, `cert-${id}.pem`);
  writeFileSync(file, xml);
  writeFileSync(cert, certificate);
  const run = spawnSync('xmlsec1', ['--verify', '--pubkey-cert-pem', cert, ...ID_ATTRIBUTES, file], {
    encoding: 'utf8',
  });
  if (run.error)
    throw new Error(
      `xmlsec1 is needed for this test (apt-get install xmlsec1; .ci/run installs it): ${run.error.message}`,
    );
  return { ok: run.status === 0 && /^OK$/m.test(run.stderr), output: run.stderr };
}

const goldens = readdirSync(GOLDEN).filter((f) => f.endsWith('.xml'));
const melden = readFileSync(join(GOLDEN, 'melden-relatief-verzuim.xml'), 'utf8');

describe('an independent XML signature verifier (xmlsec1) and the signed DUO messages', () => {
  it('there is a golden envelope for every operation', () => {
    expect(goldens.sort()).toEqual([
      'aanvraag-gewijzigde-melding.xml',
      'melden-relatief-verzuim.xml',
      'mutatie-intrekken.xml',
      'mutatie-wijzigen.xml',
    ]);
  });

  for (const file of goldens)
    it(`accepts ${file}: all six references and the signature`, () => {
      const result = xmlsec1(readFileSync(join(GOLDEN, file), 'utf8'));
      assert.ok(result.ok, result.output);
      assert.match(result.output, /SignedInfo References \(ok\/all\): 6\/6/);
    });

  const tampered: [string, string][] = [
    [
      'the body (another BSN)',
      melden.replace('<duo:BSN>123456782</duo:BSN>', '<duo:BSN>123456790</duo:BSN>'),
    ],
    [
      'the body (another verzuimsoort)',
      melden.replace('<duo:verzuimsoort>LRV</duo:verzuimsoort>', '<duo:verzuimsoort>O</duo:verzuimsoort>'),
    ],
    [
      'a header (wsa:To to another OIN)',
      melden.replace('oin=00000001800866472000<', 'oin=00000001800866472999<'),
    ],
    [
      'a header (wsa:From to another sender)',
      melden.replace(/(<wsa:From[^>]*>\s*<wsa:Address>[^<]*oin=)\d{20}/, '$100000001111111110000'),
    ],
    [
      'a header (wsa:Action)',
      melden.replace('/MeldenRelatiefVerzuim</wsa:Action>', '/MutatieMeldingRelatiefVerzuim</wsa:Action>'),
    ],
    [
      'the timestamp (an expired message given a later Expires)',
      melden.replace(/<wsu:Expires>[^<]+</, '<wsu:Expires>2026-02-02T23:59:59.000Z<'),
    ],
    [
      'the signature value',
      melden.replace(
        /<ds:SignatureValue>(.)/,
        (_, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`,
      ),
    ],
  ];
  for (const [what, xml] of tampered)
    it(`rejects a message whose ${what} was changed after signing`, () => {
      assert.notEqual(xml, melden, 'the tampering changed something');
      const result = xmlsec1(xml);
      assert.equal(result.ok, false, result.output);
    });

  it('rejects the wrong certificate: another party’s in the token, or another key to check with', () => {
    const other = readFileSync(join(FIXTURES, 'other.cert.pem'), 'utf8');
    const swapped = melden.replace(
      /(<wsse:BinarySecurityToken[^>]*>)[^<]+</,
      `$1${new X509Certificate(other).raw.toString('base64')}<`,
    );
    assert.equal(xmlsec1(swapped).ok, false, 'the token swapped for another party’s certificate');
    assert.equal(xmlsec1(melden, other).ok, false, 'checked with another party’s certificate');
  });

  it('rejects an unsigned message', () => {
    const unsigned = melden.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    assert.ok(!unsigned.includes('ds:Signature'));
    assert.equal(xmlsec1(unsigned).ok, false);
  });
});
