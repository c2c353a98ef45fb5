import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SignedXml } from 'xml-crypto';
import {
  type AnswerCheck,
  EXC_C14N,
  IBG_VSV_2_PROFILE,
  RSA_SHA256,
  SHA256,
  WSSE_NS,
  WSU_NS,
  X509V3,
  parseDuoAnswer,
  parseStatusAnswer,
} from './index.js';
import { DUO_OIN, fixture } from './duo.test-support.js';

const NS = 'urn:ketenpoort:reconstructed:duo:rod:verzuim:ibg-vsv-2';
const MESSAGE_ID = 'urn:uuid:11111111-2222-5333-8444-555555555555';
const DUO_CA = fixture('ca.cert.pem');
const CHECK: AnswerCheck = { profile: IBG_VSV_2_PROFILE, messageId: MESSAGE_ID, trust: null };
const TRUSTED: AnswerCheck = { ...CHECK, trust: { caPems: [DUO_CA], duoOin: DUO_OIN } };

const head = `<duo:identificatiecodeBedrijfsdocument>0f0e0d0c-0b0a-5908-8706-050403020100</duo:identificatiecodeBedrijfsdocument><duo:verzendendeInstantie>${DUO_OIN}</duo:verzendendeInstantie><duo:ontvangendeInstantie>00000001999999990000</duo:ontvangendeInstantie><duo:datumTijdBedrijfsdocument>2026-02-02T09:00:01.000Z</duo:datumTijdBedrijfsdocument>`;

/** An answer envelope (relatesTo null: no addressing header, as a TLS terminator's refusal). */
function answer(body: string, relatesTo: string | null = MESSAGE_ID, security = ''): string {
  const addressing =
    relatesTo === null
      ? ''
      : `<wsa:Action wsu:Id="a1">x</wsa:Action><wsa:MessageID wsu:Id="m1">urn:uuid:aaaaaaaa-0000-5000-8000-000000000001</wsa:MessageID><wsa:RelatesTo wsu:Id="r1">${relatesTo}</wsa:RelatesTo>`;
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}" xmlns:duo="${NS}"><soapenv:Header>${security}${addressing}</soapenv:Header><soapenv:Body wsu:Id="b1">${body}</soapenv:Body></soapenv:Envelope>`;
}

/** DUO's signature over the answer (Body, RelatesTo, Timestamp), made with `key` and carrying `cert`. */
function signed(xml: string, key: string, cert: string, ids = ['b1', 'r1', 'ts1']): string {
  const token = new X509Certificate(cert).raw.toString('base64');
  const withSecurity = xml.replace(
    '<soapenv:Header>',
    `<soapenv:Header><wsse:Security><wsse:BinarySecurityToken ValueType="${X509V3}" wsu:Id="tok">${token}</wsse:BinarySecurityToken><wsu:Timestamp wsu:Id="ts1"><wsu:Created>2026-02-02T09:00:01Z</wsu:Created><wsu:Expires>2026-02-02T09:10:01Z</wsu:Expires></wsu:Timestamp></wsse:Security>`,
  );
  const signer = new SignedXml({
    privateKey: key,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
    getKeyInfoContent: () =>
      `<wsse:SecurityTokenReference xmlns:wsse="${WSSE_NS}"><wsse:Reference URI="#tok"/></wsse:SecurityTokenReference>`,
  });
  signer.idMode = 'wssecurity';
  for (const id of ids)
    signer.addReference({
      xpath: `//*[@*[local-name(.)='Id' and namespace-uri(.)='${WSU_NS}']='${id}']`,
      transforms: [EXC_C14N],
      digestAlgorithm: SHA256,
    });
  signer.computeSignature(withSecurity, {
    prefix: 'ds',
    location: { reference: "//*[local-name(.)='Security']", action: 'append' },
  });
  return signer.getSignedXml();
}

const dc0018 = `<duo:MeldenRelatiefVerzuimResponse><duo:DC0018LeveringNummerMeldingRelatiefVerzuim>${head}<duo:identificatieMeldingRelatiefVerzuim><duo:nummerMeldingRelatiefVerzuim>100001</duo:nummerMeldingRelatiefVerzuim></duo:identificatieMeldingRelatiefVerzuim><duo:kenmerkMelding>report-1</duo:kenmerkMelding></duo:DC0018LeveringNummerMeldingRelatiefVerzuim></duo:MeldenRelatiefVerzuimResponse>`;
const foutmelding = (code: string, text: string) =>
  `<duo:DC0002Foutmelding>${head}<duo:foutcode>${code}</duo:foutcode><duo:foutomschrijving>${text}</duo:foutomschrijving></duo:DC0002Foutmelding>`;
const fault = (code: string, text: string) =>
  `<soapenv:Fault><faultcode>${code}</faultcode><faultstring>${text}</faultstring></soapenv:Fault>`;

describe('parseDuoAnswer', () => {
  const table: [string, string, unknown][] = [
    [
      'DC0018: the report number DUO issued',
      answer(dc0018),
      {
        kind: 'confirmation',
        document: 'DC0018LeveringNummerMeldingRelatiefVerzuim',
        reportNumber: '100001',
        kenmerk: 'report-1',
      },
    ],
    [
      'DC0001: a change confirmed',
      answer(`<duo:DC0001Bevestiging>${head}</duo:DC0001Bevestiging>`),
      { kind: 'confirmation', document: 'DC0001Bevestiging', reportNumber: null, kenmerk: null },
    ],
    [
      'validation DC0002 (inside the Response element)',
      answer(
        `<duo:MeldenRelatiefVerzuimResponse>${foutmelding('F104', 'BSN onjuist')}</duo:MeldenRelatiefVerzuimResponse>`,
      ),
      {
        kind: 'error',
        code: 'DUO_VALIDATION',
        duoCode: 'F104',
        description: 'BSN onjuist',
        retryable: false,
      },
    ],
    [
      'system DC0002',
      answer(foutmelding('F900', 'Systeem niet beschikbaar')),
      {
        kind: 'error',
        code: 'DUO_UNAVAILABLE',
        duoCode: 'F900',
        description: 'Systeem niet beschikbaar',
        retryable: true,
      },
    ],
    [
      'DC0002 without addressing (the TLS door: F201)',
      answer(foutmelding('F201', 'client certificate missing'), null),
      {
        kind: 'error',
        code: 'DUO_NOT_AUTHORISED',
        duoCode: 'F201',
        description: 'client certificate missing',
        retryable: false,
      },
    ],
    [
      'Fault with a DC0002 in its detail',
      answer(
        `<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>x</faultstring><detail>${foutmelding('F110', 'Onbekend')}</detail></soapenv:Fault>`,
      ),
      { kind: 'error', code: 'DUO_NOT_FOUND', duoCode: 'F110', description: 'Onbekend', retryable: false },
    ],
    [
      'wsse:FailedCheck: our signature was refused (permanent)',
      answer(fault('wsse:FailedCheck', 'digest mismatch')),
      {
        kind: 'error',
        code: 'DUO_SECURITY_FAILED_CHECK',
        duoCode: 'wsse:FailedCheck',
        description: 'digest mismatch',
        retryable: false,
      },
    ],
    [
      'wsu:MessageExpired: sign again and retry',
      answer(fault('wsu:MessageExpired', 'expired')),
      {
        kind: 'error',
        code: 'DUO_SECURITY_MESSAGE_EXPIRED',
        duoCode: 'wsu:MessageExpired',
        description: 'expired',
        retryable: true,
      },
    ],
    [
      'wsse:FailedAuthentication: another party’s certificate (permanent)',
      answer(fault('wsse:FailedAuthentication', 'not the sender')),
      {
        kind: 'error',
        code: 'DUO_SECURITY_FAILED_AUTHENTICATION',
        duoCode: 'wsse:FailedAuthentication',
        description: 'not the sender',
        retryable: false,
      },
    ],
    [
      'Server Fault',
      answer(fault('soapenv:Server', 'busy')),
      {
        kind: 'error',
        code: 'DUO_SOAP_FAULT_SERVER',
        duoCode: 'soapenv:Server',
        description: 'busy',
        retryable: true,
      },
    ],
    [
      'Client Fault',
      answer(fault('soapenv:Client', 'bad')),
      {
        kind: 'error',
        code: 'DUO_SOAP_FAULT_CLIENT',
        duoCode: 'soapenv:Client',
        description: 'bad',
        retryable: false,
      },
    ],
    [
      'an answer to another message',
      answer(dc0018, 'urn:uuid:99999999-2222-5333-8444-555555555555'),
      { kind: 'untrusted', code: 'DUO_ANSWER_NOT_RELATED', detail: 'wsa:RelatesTo names another message' },
    ],
    [
      'a confirmation without RelatesTo',
      answer(dc0018, null),
      { kind: 'untrusted', code: 'DUO_ANSWER_NOT_RELATED', detail: 'the answer has no wsa:RelatesTo' },
    ],
    [
      'not XML',
      'Service Unavailable',
      { kind: 'unparseable', code: 'DUO_UNPARSEABLE_RESPONSE', detail: 'answer is not well-formed XML' },
    ],
    ['empty', '', { kind: 'unparseable', code: 'DUO_UNPARSEABLE_RESPONSE', detail: 'answer is empty' }],
    [
      'DOCTYPE',
      '<!DOCTYPE x [<!ENTITY a "b">]><x/>',
      { kind: 'unparseable', code: 'DUO_UNPARSEABLE_RESPONSE', detail: 'answer has a DOCTYPE or ENTITY' },
    ],
    [
      'no envelope',
      '<x/>',
      {
        kind: 'unparseable',
        code: 'DUO_UNPARSEABLE_RESPONSE',
        detail: 'answer is not a SOAP envelope with a Body',
      },
    ],
    [
      'DC0018 without a number',
      answer(
        `<duo:DC0018LeveringNummerMeldingRelatiefVerzuim>${head}</duo:DC0018LeveringNummerMeldingRelatiefVerzuim>`,
      ),
      {
        kind: 'unparseable',
        code: 'DUO_UNPARSEABLE_RESPONSE',
        detail: 'DC0018 without nummerMeldingRelatiefVerzuim',
      },
    ],
  ];
  for (const [name, xml, expected] of table)
    it(name, () => {
      expect(parseDuoAnswer(xml, CHECK)).toEqual(expected);
    });
});

describe("DUO's signature on answers", () => {
  const duoKey = fixture('duo.key.pem');
  const duoCert = fixture('duo.cert.pem');

  it('a signed answer from DUO’s certificate verifies against DUO’s CA and OIN', () => {
    const result = parseDuoAnswer(signed(answer(dc0018), duoKey, duoCert), TRUSTED);
    assert.equal(result.kind, 'confirmation');
  });

  const refused: [string, () => string, AnswerCheck][] = [
    [
      'a changed report number',
      () => signed(answer(dc0018), duoKey, duoCert).replace('>100001<', '>100002<'),
      TRUSTED,
    ],
    [
      'a changed RelatesTo',
      () => signed(answer(dc0018), duoKey, duoCert).replace(MESSAGE_ID, MESSAGE_ID.replace('1111', '1112')),
      { ...TRUSTED, messageId: MESSAGE_ID.replace('1111', '1112') },
    ],
    [
      'a signature that leaves the Body out',
      () => signed(answer(dc0018), duoKey, duoCert, ['r1', 'ts1']),
      TRUSTED,
    ],
    [
      'a signature that leaves RelatesTo out',
      () => signed(answer(dc0018), duoKey, duoCert, ['b1', 'ts1']),
      TRUSTED,
    ],
    [
      'a certificate of another CA',
      () => signed(answer(dc0018), fixture('other.key.pem'), fixture('other.cert.pem')),
      TRUSTED,
    ],
    [
      'a certificate without DUO’s OIN',
      () => signed(answer(dc0018), fixture('sender.key.pem'), fixture('sender.cert.pem')),
      TRUSTED,
    ],
  ];
  for (const [name, make, check] of refused)
    it(`refuses ${name}: untrusted, to be tried again`, () => {
      const result = parseDuoAnswer(make(), check);
      assert.equal(result.kind, 'untrusted', JSON.stringify(result));
      assert.equal(result.kind === 'untrusted' && result.code, 'DUO_ANSWER_SIGNATURE_INVALID');
    });

  it('with answerSignature REQUIRED an unsigned confirmation is not taken', () => {
    const result = parseDuoAnswer(answer(dc0018), {
      ...TRUSTED,
      profile: { ...IBG_VSV_2_PROFILE, answerSignature: 'REQUIRED' },
    });
    expect(result).toEqual({
      kind: 'untrusted',
      code: 'DUO_ANSWER_UNSIGNED',
      detail: 'the answer is not signed',
    });
  });
});

describe('parseStatusAnswer (DC0011LeveringMeldingRelatiefVerzuim)', () => {
  const geval = (number: string, status: string, at: string, extra = '') =>
    `<duo:verzuimgeval><duo:meldingRelatiefVerzuim><duo:identificatieMeldingRelatiefVerzuim><duo:nummerMeldingRelatiefVerzuim>${number}</duo:nummerMeldingRelatiefVerzuim></duo:identificatieMeldingRelatiefVerzuim><duo:statusMeldingRelatiefVerzuim>${status}</duo:statusMeldingRelatiefVerzuim>${extra}</duo:meldingRelatiefVerzuim><duo:procesverloop><duo:datumLaatsteMutatie>${at.slice(0, 10)}</duo:datumLaatsteMutatie><duo:tijdstipLaatsteMutatie>${at.slice(11)}</duo:tijdstipLaatsteMutatie></duo:procesverloop></duo:verzuimgeval>`;
  const levering = (gevallen: string, until = '2026-02-03T00:00:00.000') =>
    answer(
      `<duo:AanvraagGewijzigdeMeldingRelatiefVerzuimResponse><duo:DC0011LeveringMeldingRelatiefVerzuim>${head}<duo:selectieperiode><duo:datumBeginSelectieperiode>${until.slice(0, 10)}</duo:datumBeginSelectieperiode><duo:tijdstipBeginSelectieperiode>${until.slice(11)}</duo:tijdstipBeginSelectieperiode></duo:selectieperiode>${gevallen}</duo:DC0011LeveringMeldingRelatiefVerzuim></duo:AanvraagGewijzigdeMeldingRelatiefVerzuimResponse>`,
    );

  it('maps R, B, G, K, I (and D of old reports), closing reason and explanation; oldest first; duplicates once', () => {
    const closed = geval(
      '3',
      'G',
      '2026-02-02T12:00:00.000',
      '<duo:redenMeldingAfgesloten>02</duo:redenMeldingAfgesloten><duo:toelichtingAfsluiting>3</duo:toelichtingAfsluiting><duo:contactpersoonGemeente>Mevr. Jansen</duo:contactpersoonGemeente>',
    );
    const result = parseStatusAnswer(
      levering(
        [
          closed,
          geval('1', 'R', '2026-02-02T09:00:00.000'),
          geval('1', 'B', '2026-02-02T10:00:00.000'),
          geval('2', 'K', '2026-02-02T11:00:00.000'),
          closed,
          geval('4', 'I', '2026-02-02T13:00:00.000'),
          geval('5', 'D', '2026-02-02T14:00:00.000'),
        ].join(''),
      ),
      CHECK,
    );
    expect(result).toEqual({
      kind: 'changes',
      until: new Date('2026-02-03T00:00:00.000Z'),
      changes: [
        { externalRef: '1', status: 'REGISTERED', at: '2026-02-02T09:00:00.000Z' },
        { externalRef: '1', status: 'IN_BEHANDELING', at: '2026-02-02T10:00:00.000Z' },
        { externalRef: '2', status: 'TER_KENNISGEVING_AANGENOMEN', at: '2026-02-02T11:00:00.000Z' },
        {
          externalRef: '3',
          status: 'AFGESLOTEN',
          at: '2026-02-02T12:00:00.000Z',
          closingReason: 'INSCHRIJVING_BEEINDIGD_ANDERE_OPLEIDING',
          closingExplanation: 'GEEN_ACTIE_MEER',
          contact: 'Mevr. Jansen',
        },
        { externalRef: '4', status: 'WITHDRAWN', at: '2026-02-02T13:00:00.000Z' },
        // Overgedragen aan derden (before August 2020): still being handled.
        { externalRef: '5', status: 'IN_BEHANDELING', at: '2026-02-02T14:00:00.000Z' },
      ],
    });
  });

  it('an empty levering answers no changes and its selectieperiode', () => {
    expect(parseStatusAnswer(levering(''), CHECK)).toEqual({
      kind: 'changes',
      changes: [],
      until: new Date('2026-02-03T00:00:00.000Z'),
    });
  });

  const broken: [string, string][] = [
    ['an unknown status', levering(geval('1', 'X', '2026-02-02T09:00:00.000'))],
    ['W, the sender’s own state', levering(geval('1', 'W', '2026-02-02T09:00:00.000'))],
    [
      'an unknown closing reason',
      levering(
        geval(
          '1',
          'G',
          '2026-02-02T09:00:00.000',
          '<duo:redenMeldingAfgesloten>09</duo:redenMeldingAfgesloten>',
        ),
      ),
    ],
    [
      'an unknown closing explanation',
      levering(
        geval(
          '1',
          'G',
          '2026-02-02T09:00:00.000',
          '<duo:toelichtingAfsluiting>9</duo:toelichtingAfsluiting>',
        ),
      ),
    ],
    ['a bad last change', levering(geval('1', 'R', '2026-02-02Tgisteren'))],
    [
      'no selectieperiode',
      answer(`<duo:DC0011LeveringMeldingRelatiefVerzuim>${head}</duo:DC0011LeveringMeldingRelatiefVerzuim>`),
    ],
    ['another answer', answer(dc0018)],
  ];
  for (const [name, xml] of broken)
    it(`${name} → DUO_UNPARSEABLE_RESPONSE (nothing skipped silently)`, () => {
      const result = parseStatusAnswer(xml, CHECK);
      assert.equal(result.kind, 'unparseable');
      assert.equal(result.kind === 'unparseable' && result.code, 'DUO_UNPARSEABLE_RESPONSE');
    });

  it('a DC0002 is a classified error', () => {
    expect(parseStatusAnswer(answer(foutmelding('F901', 'Onderhoud')), CHECK)).toEqual({
      kind: 'error',
      code: 'DUO_UNAVAILABLE',
      duoCode: 'F901',
      description: 'Onderhoud',
      retryable: true,
    });
  });
});
