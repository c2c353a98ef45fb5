import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { FixedClock } from '#domain';
import { type DuoRegister, createDuoRegister, isBsn, isOnderwijsnummer } from './index.js';
import { DUO_OIN, SCHOOL_OIN, VALID_BSN } from './duo.test-support.js';

/** A hand-written message per docs/duo-rod-message.md (deliberately not produced by the connector). */
function message(
  parts: { id?: string; action?: string; to?: string; from?: string; body?: string; soapNs?: string } = {},
): string {
  const body = parts.body ?? registration({});
  return `<?xml version="1.0" encoding="UTF-8"?>
<S:Envelope xmlns:S="${parts.soapNs ?? 'http://schemas.xmlsoap.org/soap/envelope/'}" xmlns:a="http://www.w3.org/2005/08/addressing" xmlns:v="urn:ketenpoort:duo-rod:legacy-2010">
  <S:Header>
    <a:To>${parts.to ?? `http://www.w3.org/2005/08/addressing/anonymous?oin=${DUO_OIN}`}</a:To>
    <a:From><a:Address>${parts.from ?? `http://www.w3.org/2005/08/addressing/anonymous?oin=${SCHOOL_OIN}`}</a:Address></a:From>
    <a:MessageID>${parts.id ?? 'urn:uuid:00000000-0000-5000-8000-000000000001'}</a:MessageID>
    <a:Action>${parts.action ?? 'urn:ketenpoort:duo-rod:legacy-2010/MeldenRelatiefVerzuim'}</a:Action>
  </S:Header>
  <S:Body>${body}</S:Body>
</S:Envelope>`;
}

interface RegistrationParts {
  kenmerk?: string;
  instelling?: string;
  leerling?: string;
  verzuim?: string;
  extra?: string;
}
function registration(p: RegistrationParts): string {
  return `<v:MeldenRelatiefVerzuim profiel="legacy-2010">
    <v:Kenmerk>${p.kenmerk ?? 'report-1'}</v:Kenmerk>
    ${p.instelling ?? '<v:Instelling><v:Brin>99XX</v:Brin></v:Instelling>'}
    ${p.leerling ?? `<v:Leerling><v:Bsn>${VALID_BSN}</v:Bsn></v:Leerling>`}
    ${p.verzuim ?? '<v:Verzuim><v:Soort>V3</v:Soort><v:Begindatum>2026-01-05</v:Begindatum><v:VerzuimPerDag><v:Dag><v:Datum>2026-01-05</v:Datum><v:AantalUren>2</v:AantalUren><v:Lesuur>1</v:Lesuur><v:Lesuur>12</v:Lesuur></v:Dag></v:VerzuimPerDag></v:Verzuim>'}
    ${p.extra ?? ''}
  </v:MeldenRelatiefVerzuim>`;
}
const mutation = (inner: string) =>
  `<v:MutatieMeldingRelatiefVerzuim>${inner}</v:MutatieMeldingRelatiefVerzuim>`;
const MUTATION_ACTION = 'urn:ketenpoort:duo-rod:legacy-2010/MutatieMeldingRelatiefVerzuim';
const STATUS_ACTION = 'urn:ketenpoort:duo-rod:legacy-2010/AanvraagGewijzigdeMeldingRelatiefVerzuim';

const answers = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => name === 'Melding',
});
type Tree = Record<string, Record<string, unknown>>;
function bodyOf(xml: string): Tree {
  return (answers.parse(xml) as { Envelope: { Body: Tree } }).Envelope.Body;
}

const clock = new FixedClock(new Date('2026-02-02T09:00:00Z'));
let register: DuoRegister;
let server: Server;
let base: string;

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
async function registerOne(id: string, kenmerk: string): Promise<string> {
  const { text } = await post(message({ id, body: registration({ kenmerk }) }));
  const confirmation = bodyOf(text)['DC0001Bevestiging'];
  assert.ok(confirmation, text);
  return confirmation['Meldingnummer'] as string;
}

before(async () => {
  register = createDuoRegister({ duoOin: DUO_OIN, clock, stepMs: 60_000 });
  server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    if (path === '/soap') register.handle(req, res);
    else register.handleAdmin(req, res, path.slice('/admin'.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
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
  it('registers a valid message and answers DC0001Bevestiging with a report number', async () => {
    const { status, text } = await post(message());
    assert.equal(status, 200);
    assert.deepEqual(bodyOf(text)['DC0001Bevestiging'], {
      Meldingnummer: '100001',
      Kenmerk: 'report-1',
      Tijdstip: '2026-02-02T09:00:00.000Z',
    });
    const [report] = register.reports();
    assert.equal(report.status, 'REGISTERED');
    assert.equal(report.kind, 'V3');
    assert.deepEqual(report.perDay, [{ date: '2026-01-05', hours: 2, lessonHours: [1, 12] }]);
  });

  it('the same MessageID twice: one registration, the same number, counted as repeated', async () => {
    const first = await post(message());
    const second = await post(message());
    assert.equal(second.text, first.text);
    const stats = register.stats();
    assert.equal(stats.registered, 1);
    assert.equal(stats.repeatedMessages, 1);
    assert.equal(stats.duplicateRegistrations, 0);
  });

  it('the same kenmerk under a new MessageID is a second registration, counted as duplicate', async () => {
    assert.equal(await registerOne('m-1', 'report-7'), '100001');
    assert.equal(await registerOne('m-2', 'report-7'), '100002');
    assert.equal(register.stats().duplicateRegistrations, 1);
  });

  it('accepts an onderwijsnummer instead of a BSN', async () => {
    const { text } = await post(
      message({
        body: registration({
          leerling: '<v:Leerling><v:Onderwijsnummer>101234567</v:Onderwijsnummer></v:Leerling>',
        }),
      }),
    );
    assert.ok(bodyOf(text)['DC0001Bevestiging'], text);
  });
});

describe('DUO register stand-in: validation (DC0002Foutmelding, permanent codes)', () => {
  const verzuim = (inner: string) => `<v:Verzuim>${inner}</v:Verzuim>`;
  const ok = '<v:Soort>V3</v:Soort><v:Begindatum>2026-01-05</v:Begindatum>';
  const dag = (inner: string) => verzuim(`${ok}<v:VerzuimPerDag><v:Dag>${inner}</v:Dag></v:VerzuimPerDag>`);
  const cases: [string, string, string][] = [
    ['not XML', 'this is not xml', 'F100'],
    ['a DOCTYPE', '<!DOCTYPE x [<!ENTITY e "x">]><x/>', 'F100'],
    ['SOAP 1.2 namespace', message({ soapNs: 'http://www.w3.org/2003/05/soap-envelope' }), 'F100'],
    [
      'wsa:To another OIN',
      message({ to: 'http://www.w3.org/2005/08/addressing/anonymous?oin=00000001000000000000' }),
      'F100',
    ],
    ['wsa:From without an OIN', message({ from: 'http://school.example/' }), 'F100'],
    ['no MessageID', message().replace(/<a:MessageID>.*<\/a:MessageID>/, ''), 'F101'],
    ['Action for another operation', message({ action: MUTATION_ACTION }), 'F100'],
    ['no Kenmerk', message({ body: registration({ kenmerk: '' }) }), 'F101'],
    [
      'no Brin',
      message({
        body: registration({ instelling: '<v:Instelling><v:Vestiging>01</v:Vestiging></v:Instelling>' }),
      }),
      'F101',
    ],
    [
      'a malformed Brin',
      message({ body: registration({ instelling: '<v:Instelling><v:Brin>XX99</v:Brin></v:Instelling>' }) }),
      'F102',
    ],
    [
      'neither BSN nor onderwijsnummer',
      message({ body: registration({ leerling: '<v:Leerling><v:Telefoon>06</v:Telefoon></v:Leerling>' }) }),
      'F101',
    ],
    [
      'both BSN and onderwijsnummer',
      message({
        body: registration({
          leerling: `<v:Leerling><v:Bsn>${VALID_BSN}</v:Bsn><v:Onderwijsnummer>101234567</v:Onderwijsnummer></v:Leerling>`,
        }),
      }),
      'F101',
    ],
    [
      'a BSN failing the elfproef',
      message({ body: registration({ leerling: '<v:Leerling><v:Bsn>123456789</v:Bsn></v:Leerling>' }) }),
      'F104',
    ],
    [
      'a bad onderwijsnummer',
      message({
        body: registration({
          leerling: '<v:Leerling><v:Onderwijsnummer>101234568</v:Onderwijsnummer></v:Leerling>',
        }),
      }),
      'F105',
    ],
    [
      'an unknown Soort',
      message({
        body: registration({
          verzuim: verzuim('<v:Soort>V1</v:Soort><v:Begindatum>2026-01-05</v:Begindatum>'),
        }),
      }),
      'F102',
    ],
    ['no Begindatum', message({ body: registration({ verzuim: verzuim('<v:Soort>V3</v:Soort>') }) }), 'F101'],
    [
      'an impossible date',
      message({
        body: registration({
          verzuim: verzuim('<v:Soort>V3</v:Soort><v:Begindatum>2026-02-30</v:Begindatum>'),
        }),
      }),
      'F103',
    ],
    [
      'Einddatum before Begindatum',
      message({ body: registration({ verzuim: verzuim(`${ok}<v:Einddatum>2026-01-01</v:Einddatum>`) }) }),
      'F103',
    ],
    [
      'AlleLessenGemist not J/N',
      message({
        body: registration({ verzuim: verzuim(`${ok}<v:AlleLessenGemist>ja</v:AlleLessenGemist>`) }),
      }),
      'F102',
    ],
    [
      'AantalUren not a number',
      message({ body: registration({ verzuim: verzuim(`${ok}<v:AantalUren>veel</v:AantalUren>`) }) }),
      'F107',
    ],
    [
      'lesson hour 0',
      message({
        body: registration({
          verzuim: dag('<v:Datum>2026-01-05</v:Datum><v:AantalUren>1</v:AantalUren><v:Lesuur>0</v:Lesuur>'),
        }),
      }),
      'F106',
    ],
    [
      'lesson hour 13',
      message({
        body: registration({
          verzuim: dag('<v:Datum>2026-01-05</v:Datum><v:AantalUren>1</v:AantalUren><v:Lesuur>13</v:Lesuur>'),
        }),
      }),
      'F106',
    ],
    [
      'a repeated lesson hour',
      message({
        body: registration({
          verzuim: dag(
            '<v:Datum>2026-01-05</v:Datum><v:AantalUren>2</v:AantalUren><v:Lesuur>3</v:Lesuur><v:Lesuur>3</v:Lesuur>',
          ),
        }),
      }),
      'F106',
    ],
    [
      'hours not matching the lesson hours',
      message({
        body: registration({
          verzuim: dag('<v:Datum>2026-01-05</v:Datum><v:AantalUren>3</v:AantalUren><v:Lesuur>3</v:Lesuur>'),
        }),
      }),
      'F107',
    ],
    [
      'a day before Begindatum',
      message({
        body: registration({ verzuim: dag('<v:Datum>2026-01-01</v:Datum><v:AantalUren>0</v:AantalUren>') }),
      }),
      'F103',
    ],
    [
      'ActieGemeente without Gewenst',
      message({
        body: registration({ extra: '<v:ActieGemeente><v:Toelichting>x</v:Toelichting></v:ActieGemeente>' }),
      }),
      'F101',
    ],
    [
      'a malformed e-mail',
      message({ body: registration({ extra: '<v:Melder><v:Email>geen-adres</v:Email></v:Melder>' }) }),
      'F107',
    ],
    [
      'an unknown profiel',
      message({ body: registration({}).replace('profiel="legacy-2010"', 'profiel="v2030"') }),
      'F102',
    ],
    ['two operations in the Body', message({ body: registration({}) + mutation('') }), 'F100'],
    [
      'an unknown Meldingnummer',
      message({
        action: MUTATION_ACTION,
        body: mutation(
          '<v:Meldingnummer>999</v:Meldingnummer><v:Kenmerk>k</v:Kenmerk><v:Mutatiesoort>INTREKKEN</v:Mutatiesoort>',
        ),
      }),
      'F110',
    ],
    [
      'an unknown Mutatiesoort',
      message({
        action: MUTATION_ACTION,
        body: mutation(
          '<v:Meldingnummer>1</v:Meldingnummer><v:Kenmerk>k</v:Kenmerk><v:Mutatiesoort>WEG</v:Mutatiesoort>',
        ),
      }),
      'F102',
    ],
    [
      'a WIJZIGEN that changes nothing',
      message({
        action: MUTATION_ACTION,
        body: mutation(
          '<v:Meldingnummer>1</v:Meldingnummer><v:Kenmerk>k</v:Kenmerk><v:Mutatiesoort>WIJZIGEN</v:Mutatiesoort>',
        ),
      }),
      'F101',
    ],
    [
      'a status request without VanafTijdstip',
      message({ action: STATUS_ACTION, body: '<v:AanvraagGewijzigdeMeldingRelatiefVerzuim/>' }),
      'F101',
    ],
    [
      'a status request with a bad instant',
      message({
        action: STATUS_ACTION,
        body: '<v:AanvraagGewijzigdeMeldingRelatiefVerzuim><v:VanafTijdstip>gisteren</v:VanafTijdstip></v:AanvraagGewijzigdeMeldingRelatiefVerzuim>',
      }),
      'F103',
    ],
  ];
  for (const [name, xml, code] of cases)
    it(`${name} → ${code}`, async () => {
      const { status, text } = await post(xml);
      assert.equal(status, 200);
      const fout = bodyOf(text)['DC0002Foutmelding'];
      assert.ok(fout, text);
      assert.equal(fout['Foutcode'], code, String(fout['Omschrijving']));
      assert.ok(!String(fout['Omschrijving']).includes('123456789'));
      assert.equal(register.stats().rejected, 1);
      assert.equal(register.stats().registered, 0);
    });

  it('the elfproef: BSNs built to pass are accepted, one changed digit is refused', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }), (digits) => {
        const sum = digits.reduce((acc, d, i) => acc + (9 - i) * d, 0);
        const last = sum % 11;
        fc.pre(last <= 9 && !digits.every((d) => d === 0));
        const bsn = digits.join('') + String(last);
        assert.equal(isBsn(bsn), true);
        const changed = `${bsn.slice(0, 8)}${(last + 1) % 10}`;
        assert.equal(isBsn(changed), false);
      }),
    );
    assert.equal(isOnderwijsnummer('101234567'), true);
    assert.equal(isOnderwijsnummer('201234567'), false);
  });
});

describe('DUO register stand-in: updates, withdrawal and statuses', () => {
  it('stores an end-date update and shows it in the admin API', async () => {
    const number = await registerOne('m-1', 'report-1');
    const { text } = await post(
      message({
        id: 'm-2',
        action: MUTATION_ACTION,
        body: mutation(
          `<v:Meldingnummer>${number}</v:Meldingnummer><v:Kenmerk>report-1</v:Kenmerk><v:Mutatiesoort>WIJZIGEN</v:Mutatiesoort><v:Einddatum>2026-01-30</v:Einddatum><v:AantalUren>18</v:AantalUren>`,
        ),
      }),
    );
    assert.equal(bodyOf(text)['DC0001Bevestiging']['Meldingnummer'], number);
    const { json } = await admin('GET', `/reports/${number}`);
    assert.deepEqual(
      [
        (json as { endDate: string }).endDate,
        (json as { hours: number }).hours,
        (json as { updates: number }).updates,
      ],
      ['2026-01-30', 18, 1],
    );
  });

  it('withdrawal → Ingetrokken; a later update is refused (F111); a closed report cannot be withdrawn', async () => {
    const number = await registerOne('m-1', 'report-1');
    const withdraw = (id: string, n: string) =>
      post(
        message({
          id,
          action: MUTATION_ACTION,
          body: mutation(
            `<v:Meldingnummer>${n}</v:Meldingnummer><v:Kenmerk>report-1</v:Kenmerk><v:Mutatiesoort>INTREKKEN</v:Mutatiesoort>`,
          ),
        }),
      );
    assert.ok(bodyOf((await withdraw('m-2', number)).text)['DC0001Bevestiging']);
    assert.equal(register.reports()[0].status, 'WITHDRAWN');
    assert.equal(bodyOf((await withdraw('m-3', number)).text)['DC0002Foutmelding']['Foutcode'], 'F111');

    const other = await registerOne('m-4', 'report-2');
    register.setStatus(other, {
      status: 'AFGESLOTEN',
      closingReason: 'TERUG_NAAR_SCHOOL',
      closingExplanation: 'GEEN_ACTIE_MEER',
    });
    assert.equal(bodyOf((await withdraw('m-5', other)).text)['DC0002Foutmelding']['Foutcode'], 'F111');
  });

  it('advances on the schedule with the clock: In behandeling, then Afgesloten or Ter kennisgeving aangenomen', async () => {
    for (let i = 1; i <= 3; i++) await registerOne(`m-${i}`, `report-${i}`);
    clock.advanceMs(60_000);
    assert.deepEqual(
      register.reports().map((r) => r.status),
      ['IN_BEHANDELING', 'IN_BEHANDELING', 'IN_BEHANDELING'],
    );
    clock.advanceMs(60_000);
    const reports = register.reports();
    // 100001 % 4 = 1, 100002 % 4 = 2, 100003 % 4 = 3 → Ter kennisgeving aangenomen.
    assert.deepEqual(
      reports.map((r) => r.status),
      ['AFGESLOTEN', 'AFGESLOTEN', 'TER_KENNISGEVING_AANGENOMEN'],
    );
    assert.deepEqual(
      [reports[0].closingReason, reports[0].closingExplanation],
      ['GEEN_VERZUIM_LEGITIEM_AFWEZIG', 'GEEN_ACTIE_MEER'],
    );
  });

  it('AanvraagGewijzigdeMeldingRelatiefVerzuim answers changes after a moment, each change once', async () => {
    const number = await registerOne('m-1', 'report-1');
    clock.advanceMs(60_000);
    const ask = async (since: string) =>
      bodyOf(
        (
          await post(
            message({
              id: `s-${since}`,
              action: STATUS_ACTION,
              body: `<v:AanvraagGewijzigdeMeldingRelatiefVerzuim><v:VanafTijdstip>${since}</v:VanafTijdstip></v:AanvraagGewijzigdeMeldingRelatiefVerzuim>`,
            }),
          )
        ).text,
      )['GewijzigdeMeldingenRelatiefVerzuim'];
    const all = await ask('2026-02-02T08:00:00.000Z');
    assert.deepEqual(
      (all['Melding'] as Record<string, string>[]).map((m) => [m['Meldingnummer'], m['Status']]),
      [
        [number, 'GR'],
        [number, 'IB'],
      ],
    );
    assert.equal(all['TotTijdstip'], '2026-02-02T09:01:00.000Z');
    const later = await ask('2026-02-02T09:01:00.000Z');
    assert.equal(later['Melding'], undefined);
    assert.equal(later['TotTijdstip'], '2026-02-02T09:01:00.000Z');
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
    assert.deepEqual((await admin('GET', '/nowhere')).json, {
      code: 'ADMIN_ROUTE_UNKNOWN',
      message: 'no such admin route',
    });
    const reports = (await admin('GET', '/reports')).json as { reportNumber: string }[];
    assert.deepEqual(
      reports.map((r) => r.reportNumber),
      [number],
    );
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
          (await post(message({ id: `m-${i}`, body: registration({ kenmerk: `r-${i}` }) }))).status,
        );
      return statuses;
    };
    const first = await run();
    assert.deepEqual(await run(), first);
    assert.ok(first.includes(500) && first.includes(200));
    const stats = (await admin('GET', '/stats')).json as {
      failuresInjected: number;
      injected: { http500: number };
      registered: number;
    };
    assert.equal(stats.injected.http500, first.filter((s) => s === 500).length);
    assert.equal(stats.registered, first.filter((s) => s === 200).length);
  });

  it('validation: an injected Foutmelding, nothing registered', async () => {
    await admin('POST', '/misbehaviour', { validation: 1 });
    const { text } = await post(message());
    assert.equal(bodyOf(text)['DC0002Foutmelding']['Foutcode'], 'F101');
    assert.deepEqual([register.stats().registered, register.stats().injected.validation], [0, 1]);
  });

  it('slow and timeout-after-N answer late but answer; maxInjections limits the failures', async () => {
    await admin('PUT', '/misbehaviour', { slowMs: 5 });
    assert.equal((await post(message({ id: 'a' }))).status, 200);
    await admin('PUT', '/misbehaviour', { timeout: 5, maxInjections: 1 });
    assert.equal((await post(message({ id: 'b', body: registration({ kenmerk: 'b' }) }))).status, 200);
    assert.equal((await post(message({ id: 'c', body: registration({ kenmerk: 'c' }) }))).status, 200);
    const stats = register.stats();
    assert.deepEqual([stats.injected.slow, stats.injected.timeout, stats.registered], [1, 1, 3]);
  });

  it('lose-response (http500): registered, answer lost, the retry gets the stored confirmation', async () => {
    await admin('PUT', '/misbehaviour', { loseResponse: 1, maxInjections: 1 });
    assert.equal((await post(message())).status, 500);
    const again = await post(message());
    assert.equal(bodyOf(again.text)['DC0001Bevestiging']['Meldingnummer'], '100001');
    assert.deepEqual([register.stats().registered, register.stats().repeatedMessages], [1, 1]);
  });

  it('refuses an invalid misbehaviour config (400) and keeps the old one', async () => {
    assert.equal((await admin('PUT', '/misbehaviour', { http500: 2 })).status, 400);
    assert.equal((await admin('PUT', '/misbehaviour', { nonsense: true })).status, 400);
    assert.equal(((await admin('GET', '/misbehaviour')).json as { http500: number }).http500, 0);
  });

  it('reset clears reports, stats and misbehaviour', async () => {
    await registerOne('m-1', 'report-1');
    await admin('POST', '/misbehaviour', { http500: 1 });
    assert.equal((await admin('POST', '/reset')).status, 200);
    assert.deepEqual(
      [register.reports().length, register.stats().received, register.misbehaviour().http500],
      [0, 0, 0],
    );
  });
});
