import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SignedXml } from 'xml-crypto';
import { FixedClock } from '#domain';
import { type DevPki, createDevPki } from '#runtime';
import { type DuoRegister, createDuoRegister, isBsn, isOnderwijsnummer } from './index.js';
import {
  CONTRACT,
  DUO_OIN,
  type MessageParts,
  SCHOOL_OIN,
  type SignOptions,
  VALID_BSN,
  bodyOf,
  headerOf,
  melding,
  signMessage,
  unsignedMessage,
} from './duo.test-support.js';

const clock = new FixedClock(new Date('2026-02-02T09:00:00Z'));
let pki: DevPki;
let register: DuoRegister;
let server: Server;
let base: string;

/** A hand-written message, signed with the school's certificate unless said otherwise. */
const message = (
  parts: MessageParts = {},
  sign: SignOptions & { signer?: { key: string; cert: string } } = {},
) => signMessage(unsignedMessage(parts), sign.signer ?? pki.client, { created: clock.now(), ...sign });

async function post(xml: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}/soap`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml' },
    body: xml,
  });
  return { status: res.status, text: await res.text() };
}
async function admin(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}/admin${path}`, {
    method,
    ...(body !== undefined
      ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }
      : {}),
  });
  return { status: res.status, json: await res.json() };
}
const numberOf = (text: string): string =>
  (
    bodyOf(text)['DC0018LeveringNummerMeldingRelatiefVerzuim']?.[
      'identificatieMeldingRelatiefVerzuim'
    ] as Record<string, string>
  )['nummerMeldingRelatiefVerzuim'];
async function registerOne(id: string, kenmerk: string): Promise<string> {
  const { text } = await post(message({ id, content: melding({ kenmerk }) }));
  assert.ok(bodyOf(text)['DC0018LeveringNummerMeldingRelatiefVerzuim'], text);
  return numberOf(text);
}
const foutcode = (text: string): string => bodyOf(text)['DC0002Foutmelding']?.['foutcode'] as string;
const mutation = (number: string, rest: string, kenmerk = 'report-1') =>
  `<v:identificatieMeldingRelatiefVerzuim><v:nummerMeldingRelatiefVerzuim>${number}</v:nummerMeldingRelatiefVerzuim></v:identificatieMeldingRelatiefVerzuim><v:kenmerkMelding>${kenmerk}</v:kenmerkMelding>${rest}`;

beforeAll(async () => {
  // Valid from 2019: one test registers a report from before August 2020.
  pki = await createDevPki({ oin: SCHOOL_OIN, notBefore: new Date('2019-01-01T00:00:00Z'), validDays: 3650 });
  register = createDuoRegister({
    duoOin: DUO_OIN,
    clock,
    stepMs: 60_000,
    trustedCa: pki.ca.cert,
    signing: pki.duo,
  });
  server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    if (path === '/soap') register.handle(req, res);
    else register.handleAdmin(req, res, path.slice('/admin'.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  register.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
});
beforeEach(() => {
  register.reset();
  clock.set(new Date('2026-02-02T09:00:00Z'));
});

describe('DUO register stand-in: registration and idempotency', () => {
  it('registers a valid signed message and answers a signed DC0018 with the report number, related to the request', async () => {
    const { status, text } = await post(message({ id: 'urn:uuid:aaaaaaaa-0000-5000-8000-000000000001' }));
    assert.equal(status, 200);
    assert.equal(numberOf(text), '100001');
    const header = headerOf(text);
    assert.equal(header['RelatesTo'], 'urn:uuid:aaaaaaaa-0000-5000-8000-000000000001');
    assert.equal(header['Action'], `${CONTRACT}/MeldenRelatiefVerzuimResponse`);
    // DUO's signature over the answer, checked here with another library than the register's own.
    const verifier = new SignedXml({ publicCert: pki.duo.cert, getCertFromKeyInfo: () => null });
    verifier.loadSignature(/<ds:Signature[\s\S]*<\/ds:Signature>/.exec(text)![0]);
    assert.equal(verifier.checkSignature(text), true);
    const [report] = register.reports();
    assert.equal(report.schoolOin, SCHOOL_OIN);
    assert.equal(report.status, 'REGISTERED');
    const [seen] = register.messages();
    expect([seen.fromOin, seen.signerOin, seen.operation, seen.refusedWith]).toEqual([
      SCHOOL_OIN,
      SCHOOL_OIN,
      'MeldenRelatiefVerzuim',
      null,
    ]);
  });

  it('the same MessageID twice: one registration, the same number, counted as repeated', async () => {
    assert.equal(await registerOne('m-1', 'report-1'), '100001');
    assert.equal(await registerOne('m-1', 'report-1'), '100001');
    expect([register.stats().registered, register.stats().repeatedMessages]).toEqual([1, 1]);
  });

  it('the same kenmerk under a new MessageID is a second registration, counted as duplicate', async () => {
    await registerOne('m-1', 'report-1');
    await registerOne('m-2', 'report-1');
    assert.equal(register.stats().duplicateRegistrations, 1);
  });

  it('accepts an onderwijsnummer instead of a BSN and keeps the education and contact it was told', async () => {
    const { text } = await post(
      message({
        content: melding({
          deelnemer:
            '<v:onderwijsdeelnemer><v:onderwijsnummer>101234567</v:onderwijsnummer></v:onderwijsdeelnemer>',
          extra:
            '<v:contactpersoon><v:aanduidingContactpersoon>A. de Vries</v:aanduidingContactpersoon></v:contactpersoon><v:ccEmailontvanger>BEIDE</v:ccEmailontvanger>',
        }),
      }),
    );
    assert.equal(numberOf(text), '100001', text);
    const [report] = register.reports();
    expect([report.idKind, report.contact, report.copyRecipient]).toEqual([
      'ONDERWIJSNUMMER',
      { aanduidingContactpersoon: 'A. de Vries' },
      'BEIDE',
    ]);
  });
});

describe('DUO register stand-in: WS-Security, checked with its own code (a SOAP Fault, HTTP 500)', () => {
  const refusals: [string, () => Promise<string> | string, string][] = [
    ['an unsigned message', () => unsignedMessage(), 'wsse:InvalidSecurity'],
    [
      'a changed body',
      () => message().replace(`<v:BSN>${VALID_BSN}</v:BSN>`, '<v:BSN>111222333</v:BSN>'),
      'wsse:FailedCheck',
    ],
    [
      'a changed header',
      () => message().replace(`oin=${DUO_OIN}<`, 'oin=00000001800866472999<'),
      'wsse:FailedCheck',
    ],
    [
      'a body the signature leaves out',
      () => message({}, { parts: ['from', 'to', 'act', 'mid', 'ts'] }),
      'wsse:InvalidSecurity',
    ],
    [
      'wsa:MessageID the signature leaves out',
      () => message({}, { parts: ['from', 'to', 'act', 'ts', 'body'] }),
      'wsse:InvalidSecurity',
    ],
    [
      'a timestamp valid for more than 10 minutes',
      () => message({}, { ttlSeconds: 3600 }),
      'wsse:InvalidSecurity',
    ],
    [
      'an expired timestamp',
      () => message({}, { created: new Date('2026-02-02T08:45:00Z') }),
      'wsu:MessageExpired',
    ],
    [
      'a timestamp from the future',
      () => message({}, { created: new Date('2026-02-02T09:30:00Z') }),
      'wsse:InvalidSecurity',
    ],
    [
      'a certificate of another CA',
      async () => message({}, { signer: await pki.foreignClient({ oin: SCHOOL_OIN }) }),
      'wsse:InvalidSecurityToken',
    ],
    [
      'another party’s certificate (its OIN is not wsa:From)',
      async () => message({}, { signer: await pki.issueClient({ oin: '00000001111111110000' }) }),
      'wsse:FailedAuthentication',
    ],
    [
      'a token swapped for another certificate than the key’s',
      async () => message({}, { token: (await pki.issueClient({ oin: SCHOOL_OIN })).cert }),
      'wsse:FailedCheck',
    ],
    [
      'an expired certificate',
      async () =>
        message(
          {},
          {
            signer: await pki.issueClient({
              oin: SCHOOL_OIN,
              notBefore: new Date('2025-01-01T00:00:00Z'),
              notAfter: new Date('2026-01-31T00:00:00Z'),
            }),
          },
        ),
      'wsse:InvalidSecurityToken',
    ],
  ];
  for (const [name, make, faultcode] of refusals)
    it(`refuses ${name}: ${faultcode}, nothing registered`, async () => {
      const { status, text } = await post(await make());
      assert.equal(status, 500);
      assert.equal(bodyOf(text)['Fault']?.['faultcode'], faultcode, text);
      assert.equal(register.stats().registered, 0);
      assert.equal(register.stats().securityFaults, 1);
      assert.equal(headerOf(text)['RelatesTo'], 'urn:uuid:00000000-0000-5000-8000-000000000001');
    });

  it('a refused signature is not remembered: the same MessageID signed properly is registered', async () => {
    assert.equal((await post(message({}, { created: new Date('2026-02-02T08:00:00Z') }))).status, 500);
    assert.equal(numberOf((await post(message())).text), '100001');
  });
});

describe('DUO register stand-in: the reconstructed schema and the rules (DC0002Foutmelding)', () => {
  const bad: [string, MessageParts, string][] = [
    [
      'no BSN and no onderwijsnummer',
      { content: melding({ deelnemer: '<v:onderwijsdeelnemer></v:onderwijsdeelnemer>' }) },
      'F101',
    ],
    ['no beginverzuim', { content: melding({ dates: '', days: '' }) }, 'F101'],
    [
      'verzuimsoort V1 (the law before the 16-hour rule)',
      { content: melding({ verzuimsoort: 'V1' }) },
      'F102',
    ],
    [
      'a date that is not a date',
      { content: melding({ dates: '<v:beginverzuim>5-1-2026</v:beginverzuim>' }) },
      'F103',
    ],
    ['31 February', { content: melding({ dates: '<v:beginverzuim>2026-02-31</v:beginverzuim>' }) }, 'F103'],
    [
      'eindverzuim before beginverzuim',
      {
        content: melding({
          dates: '<v:beginverzuim>2026-01-05</v:beginverzuim><v:eindverzuim>2026-01-04</v:eindverzuim>',
        }),
      },
      'F103',
    ],
    [
      'a verzuimdag outside the period',
      {
        content: melding({
          days: '<v:verzuimdagGespecificeerd>true</v:verzuimdagGespecificeerd><v:verzuimdag><v:datum>2026-01-04</v:datum><v:heleDag>true</v:heleDag></v:verzuimdag>',
        }),
      },
      'F103',
    ],
    [
      'a day listed twice',
      {
        content: melding({
          days: '<v:verzuimdagGespecificeerd>true</v:verzuimdagGespecificeerd><v:verzuimdag><v:datum>2026-01-05</v:datum><v:heleDag>true</v:heleDag></v:verzuimdag><v:verzuimdag><v:datum>2026-01-05</v:datum><v:lesuur>1</v:lesuur></v:verzuimdag>',
        }),
      },
      'F103',
    ],
    [
      'lesson hour 13',
      {
        content: melding({
          days: '<v:verzuimdagGespecificeerd>true</v:verzuimdagGespecificeerd><v:verzuimdag><v:datum>2026-01-05</v:datum><v:lesuur>13</v:lesuur></v:verzuimdag>',
        }),
      },
      'F106',
    ],
    [
      'a lesson hour twice',
      {
        content: melding({
          days: '<v:verzuimdagGespecificeerd>true</v:verzuimdagGespecificeerd><v:verzuimdag><v:datum>2026-01-05</v:datum><v:lesuur>2</v:lesuur><v:lesuur>2</v:lesuur></v:verzuimdag>',
        }),
      },
      'F106',
    ],
    [
      'a whole day and lesson hours at once',
      {
        content: melding({
          days: '<v:verzuimdagGespecificeerd>true</v:verzuimdagGespecificeerd><v:verzuimdag><v:datum>2026-01-05</v:datum><v:heleDag>true</v:heleDag><v:lesuur>2</v:lesuur></v:verzuimdag>',
        }),
      },
      'F100',
    ],
    [
      'a BSN failing the elfproef',
      {
        content: melding({
          deelnemer: '<v:onderwijsdeelnemer><v:BSN>123456789</v:BSN></v:onderwijsdeelnemer>',
        }),
      },
      'F104',
    ],
    [
      'an invalid onderwijsnummer',
      {
        content: melding({
          deelnemer:
            '<v:onderwijsdeelnemer><v:onderwijsnummer>101234568</v:onderwijsnummer></v:onderwijsdeelnemer>',
        }),
      },
      'F105',
    ],
    [
      'a BRIN that is no BRIN',
      {
        content: melding({
          instelling: '<v:onderwijsinstelling><v:BRIN>ABCD</v:BRIN></v:onderwijsinstelling>',
        }),
      },
      'F107',
    ],
    [
      'leerjaar 7',
      {
        content: melding({
          dates: '<v:beginverzuim>2026-01-05</v:beginverzuim>',
          instelling:
            '<v:onderwijsinstelling><v:BRIN>99XX</v:BRIN></v:onderwijsinstelling><v:onderwijsdeelname><v:leerjaarVO>7</v:leerjaarVO></v:onderwijsdeelname>',
        }),
      },
      'F107',
    ],
    [
      'a vermoedelijkeReden over 200 characters',
      { content: melding({ extra: `<v:vermoedelijkeReden>${'x'.repeat(201)}</v:vermoedelijkeReden>` }) },
      'F107',
    ],
    [
      'an element in the wrong place',
      { content: melding({ extra: '<v:verzuimsoort>V3</v:verzuimsoort>' }) },
      'F100',
    ],
    [
      'an e-mail address that is none',
      {
        content: melding({
          extra: '<v:contactpersoon><v:emailadres>geen-adres</v:emailadres></v:contactpersoon>',
        }),
      },
      'F107',
    ],
    [
      'a copy recipient outside the table',
      { content: melding({ extra: '<v:ccEmailontvanger>IEDEREEN</v:ccEmailontvanger>' }) },
      'F102',
    ],
    [
      'wsa:To not DUO',
      { to: 'http://www.w3.org/2005/08/addressing/anonymous?oin=00000001000000000000' },
      'F100',
    ],
    ['wsa:Action of another operation', { action: `${CONTRACT}/MutatieMeldingRelatiefVerzuim` }, 'F100'],
    ['verzendendeInstantie another OIN than wsa:From', { sender: '00000001111111110000' }, 'F200'],
    ['ontvangendeInstantie not DUO', { receiver: '00000001111111110000' }, 'F100'],
    ['an unknown operation', { operation: 'AanvraagGegevens' }, 'F100'],
    [
      'WIJZIGEN that changes nothing',
      {
        operation: 'MutatieMeldingRelatiefVerzuim',
        content: mutation('100001', '<v:soortMutatie>WIJZIGEN</v:soortMutatie>'),
      },
      'F101',
    ],
    [
      'a soortMutatie outside the table',
      {
        operation: 'MutatieMeldingRelatiefVerzuim',
        content: mutation('100001', '<v:soortMutatie>WEG</v:soortMutatie>'),
      },
      'F102',
    ],
  ];
  for (const [name, parts, code] of bad)
    it(`${name} → ${code}, with a reason that quotes no value`, async () => {
      const { status, text } = await post(message(parts));
      assert.equal(status, 200);
      assert.equal(foutcode(text), code, text);
      const reason = bodyOf(text)['DC0002Foutmelding']?.['foutomschrijving'] as string;
      for (const value of ['123456789', '101234568', 'ABCD', 'geen-adres', 'IEDEREEN', '5-1-2026', 'xxxx'])
        assert.ok(!reason.includes(value), reason);
      assert.equal(register.stats().registered, 0);
    });

  it('not SOAP, or with a DOCTYPE → F100', async () => {
    assert.equal(foutcode((await post('<x/>')).text), 'F100');
    assert.equal(foutcode((await post('<!DOCTYPE x [<!ENTITY a "b">]><x/>')).text), 'F100');
    assert.equal(foutcode((await post('niet eens xml')).text), 'F100');
  });

  it('the elfproef: BSNs built to pass are accepted, one changed digit is refused', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }), (digits) => {
        const sum = digits.reduce((acc, d, i) => acc + (9 - i) * d, 0);
        const last = sum % 11;
        fc.pre(last <= 9 && digits.some((d) => d > 0));
        const bsn = digits.join('') + String(last);
        assert.ok(isBsn(bsn));
        const changed = bsn.slice(0, 3) + String((Number(bsn[3]) + 1) % 10) + bsn.slice(4);
        assert.equal(isBsn(changed), false);
      }),
    );
    assert.ok(isOnderwijsnummer('101234567'));
  });
});

describe('DUO register stand-in: updates, withdrawal and statuses (R → B → G/K, I; D only on old reports)', () => {
  it('stores an end-date update, answered with a signed DC0001', async () => {
    const number = await registerOne('m-1', 'report-1');
    const { text } = await post(
      message({
        id: 'm-2',
        operation: 'MutatieMeldingRelatiefVerzuim',
        content: mutation(
          number,
          '<v:soortMutatie>WIJZIGEN</v:soortMutatie><v:eindverzuim>2026-01-30</v:eindverzuim><v:totaalAantalUren>18</v:totaalAantalUren>',
        ),
      }),
    );
    const bevestiging = bodyOf(text)['DC0001Bevestiging'] as Record<string, Record<string, string>>;
    assert.equal(bevestiging['identificatieMeldingRelatiefVerzuim']['nummerMeldingRelatiefVerzuim'], number);
    const { json } = await admin('GET', `/reports/${number}`);
    const report = json as { endDate: string; hours: number; updates: number };
    expect([report.endDate, report.hours, report.updates]).toEqual(['2026-01-30', 18, 1]);
  });

  it('withdrawal → I; a later change is refused (F111); a closed report cannot be withdrawn', async () => {
    const number = await registerOne('m-1', 'report-1');
    const withdraw = (id: string, n: string, kenmerk = 'report-1') =>
      post(
        message({
          id,
          operation: 'MutatieMeldingRelatiefVerzuim',
          content: mutation(n, '<v:soortMutatie>INTREKKEN</v:soortMutatie>', kenmerk),
        }),
      );
    assert.ok(bodyOf((await withdraw('m-2', number)).text)['DC0001Bevestiging']);
    assert.equal(register.reports()[0].status, 'WITHDRAWN');
    assert.equal(foutcode((await withdraw('m-3', number)).text), 'F111');
    const other = await registerOne('m-4', 'report-2');
    register.setStatus(other, {
      status: 'AFGESLOTEN',
      closingReason: 'TERUG_NAAR_SCHOOL',
      closingExplanation: 'GEEN_ACTIE_MEER',
    });
    assert.equal(foutcode((await withdraw('m-5', other, 'report-2')).text), 'F111');
  });

  it('another sender cannot change a report (F200); an unknown number is F110', async () => {
    const number = await registerOne('m-1', 'report-1');
    const other = await pki.issueClient({ oin: '00000001111111110000' });
    const change = (id: string, n: string) =>
      post(
        message(
          {
            id,
            operation: 'MutatieMeldingRelatiefVerzuim',
            fromOin: '00000001111111110000',
            content: mutation(n, '<v:soortMutatie>INTREKKEN</v:soortMutatie>'),
          },
          { signer: other },
        ),
      );
    assert.equal(foutcode((await change('m-2', number)).text), 'F200');
    assert.equal(foutcode((await change('m-3', '424242')).text), 'F110');
  });

  it('advances on the schedule with the clock: B, then G with reason and explanation or K', async () => {
    for (let i = 1; i <= 3; i++) await registerOne(`m-${i}`, `report-${i}`);
    clock.advanceMs(60_000);
    expect(register.reports().map((r) => r.status)).toEqual([
      'IN_BEHANDELING',
      'IN_BEHANDELING',
      'IN_BEHANDELING',
    ]);
    clock.advanceMs(60_000);
    const reports = register.reports();
    // 100001 % 4 = 1, 100002 % 4 = 2, 100003 % 4 = 3 → Ter kennisgeving aangenomen.
    expect(reports.map((r) => r.status)).toEqual(['AFGESLOTEN', 'AFGESLOTEN', 'TER_KENNISGEVING_AANGENOMEN']);
    expect([reports[0].closingReason, reports[0].closingExplanation]).toEqual([
      'GEEN_VERZUIM_LEGITIEM_AFWEZIG',
      'GEEN_ACTIE_MEER',
    ]);
  });

  it('AanvraagGewijzigdeMeldingRelatiefVerzuim: a DC0011 with each change after the selectieperiode, and where to go on', async () => {
    const number = await registerOne('m-1', 'report-1');
    clock.advanceMs(60_000);
    clock.advanceMs(60_000);
    const ask = async (date: string, time: string) =>
      bodyOf(
        (
          await post(
            message({
              id: `s-${date}-${time}`,
              operation: 'AanvraagGewijzigdeMeldingRelatiefVerzuim',
              content: `<v:selectieperiode><v:datumBeginSelectieperiode>${date}</v:datumBeginSelectieperiode><v:tijdstipBeginSelectieperiode>${time}</v:tijdstipBeginSelectieperiode></v:selectieperiode>`,
            }),
          )
        ).text,
      )['DC0011LeveringMeldingRelatiefVerzuim'];
    const all = await ask('2026-02-02', '08:00:00.000');
    const gevallen = all['verzuimgeval'] as Record<string, Record<string, unknown>>[];
    expect(
      gevallen.map((g) => [
        (g['meldingRelatiefVerzuim']['identificatieMeldingRelatiefVerzuim'] as Record<string, string>)[
          'nummerMeldingRelatiefVerzuim'
        ],
        g['meldingRelatiefVerzuim']['statusMeldingRelatiefVerzuim'],
        g['meldingRelatiefVerzuim']['redenMeldingAfgesloten'],
        g['procesverloop']['tijdstipLaatsteMutatie'],
      ]),
    ).toEqual([
      [number, 'R', undefined, '09:00:00.000'],
      [number, 'B', undefined, '09:01:00.000'],
      [number, 'G', '07', '09:02:00.000'],
    ]);
    expect(all['selectieperiode']).toEqual({
      datumBeginSelectieperiode: '2026-02-02',
      tijdstipBeginSelectieperiode: '09:02:00.000',
    });
    const later = await ask('2026-02-02', '09:02:00.000');
    assert.equal(later['verzuimgeval'], undefined);
  });

  it('overgedragen aan derden (D) may only be set on a report from before 3 August 2020', async () => {
    const now = await registerOne('m-1', 'report-1');
    assert.equal(
      (await admin('POST', `/reports/${now}/status`, { status: 'OVERGEDRAGEN_AAN_DERDEN' })).status,
      400,
    );
    clock.set(new Date('2019-11-04T10:00:00Z'));
    const old = await registerOne('m-2', 'report-old');
    const moved = await admin('POST', `/reports/${old}/status`, { status: 'OVERGEDRAGEN_AAN_DERDEN' });
    assert.equal(moved.status, 200);
    assert.equal(
      register
        .reports()
        .find((r) => r.reportNumber === old)
        ?.history.at(-1)?.status,
      'D',
    );
  });

  it('admin API: status by hand with reason and explanation; bad requests are coded', async () => {
    const number = await registerOne('m-1', 'report-1');
    const done = await admin('POST', `/reports/${number}/status`, {
      status: 'AFGESLOTEN',
      closingReason: 'LEERLING_OVERLEDEN',
      closingExplanation: 'LEERLING_GEZIEN_DOOR_GEMEENTE',
      contact: 'Dhr. B',
    });
    assert.equal(done.status, 200);
    assert.equal((done.json as { status: string }).status, 'AFGESLOTEN');
    assert.equal((await admin('POST', `/reports/${number}/status`, { status: 'AFGESLOTEN' })).status, 400);
    assert.equal((await admin('POST', `/reports/${number}/status`, { status: 'GEWIST' })).status, 400);
    assert.equal((await admin('POST', '/reports/424242/status', { status: 'IN_BEHANDELING' })).status, 404);
    expect((await admin('GET', '/nowhere')).json).toEqual({
      code: 'ADMIN_ROUTE_UNKNOWN',
      message: 'no such admin route',
    });
    expect(
      ((await admin('GET', '/reports')).json as { reportNumber: string }[]).map((r) => r.reportNumber),
    ).toEqual([number]);
    assert.equal(((await admin('GET', '/messages')).json as unknown[]).length, 1);
  });
});

describe('DUO register stand-in: misbehaviour', () => {
  it('http500 at rate 0.5 is reproducible with the same seed and counted', async () => {
    const run = async () => {
      register.reset();
      await admin('PUT', '/misbehaviour', { http500: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++)
        statuses.push(
          (await post(message({ id: `m-${i}`, content: melding({ kenmerk: `r-${i}` }) }))).status,
        );
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    assert.ok(first.includes(500) && first.includes(200));
    const stats = (await admin('GET', '/stats')).json as {
      injected: { http500: number };
      registered: number;
    };
    assert.equal(stats.injected.http500, first.filter((s) => s === 500).length);
    assert.equal(stats.registered, first.filter((s) => s === 200).length);
  });

  it('validation: an injected Foutmelding, nothing registered', async () => {
    await admin('POST', '/misbehaviour', { validation: 1 });
    assert.equal(foutcode((await post(message())).text), 'F101');
    expect([register.stats().registered, register.stats().injected.validation]).toEqual([0, 1]);
  });

  it('slow and timeout-after-N answer late but answer; maxInjections limits the failures', async () => {
    await admin('PUT', '/misbehaviour', { slowMs: 5 });
    assert.equal((await post(message({ id: 'a' }))).status, 200);
    await admin('PUT', '/misbehaviour', { timeout: 5, maxInjections: 1 });
    assert.equal((await post(message({ id: 'b', content: melding({ kenmerk: 'b' }) }))).status, 200);
    assert.equal((await post(message({ id: 'c', content: melding({ kenmerk: 'c' }) }))).status, 200);
    const stats = register.stats();
    expect([stats.injected.slow, stats.injected.timeout, stats.registered]).toEqual([1, 1, 3]);
  });

  it('lose-response (http500): registered, answer lost, the retry gets the stored DC0018 in a fresh envelope', async () => {
    await admin('PUT', '/misbehaviour', { loseResponse: 1, maxInjections: 1 });
    assert.equal((await post(message())).status, 500);
    const again = await post(message({}, { created: new Date('2026-02-02T09:00:30Z') }));
    assert.equal(numberOf(again.text), '100001');
    expect([register.stats().registered, register.stats().repeatedMessages]).toEqual([1, 1]);
  });

  it('refuses an invalid misbehaviour config (400) and keeps the old one', async () => {
    assert.equal((await admin('PUT', '/misbehaviour', { http500: 2 })).status, 400);
    assert.equal((await admin('PUT', '/misbehaviour', { nonsense: true })).status, 400);
    assert.equal(((await admin('GET', '/misbehaviour')).json as { http500: number }).http500, 0);
  });

  it('reset clears reports, messages, stats and misbehaviour', async () => {
    await registerOne('m-1', 'report-1');
    await admin('POST', '/misbehaviour', { http500: 1 });
    assert.equal((await admin('POST', '/reset')).status, 200);
    expect([
      register.reports().length,
      register.messages().length,
      register.stats().received,
      register.misbehaviour().http500,
    ]).toEqual([0, 0, 0, 0]);
  });
});
