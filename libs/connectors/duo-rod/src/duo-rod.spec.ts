import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { CLOSING_EXPLANATIONS, CLOSING_REASONS, REPORT_KINDS, isDomainError } from '#domain';
import {
  type DuoProfile,
  LEGACY_2010_PROFILE,
  LEGACY_2010_PROFILE_ID,
  classifyFoutcode,
  formatDuoMessage,
  kindCode,
  messageIdFor,
  parseDuoAnswer,
  parseStatusAnswer,
} from './index.js';
import { TEST_DUO_OIN, TEST_SCHOOL_OIN, outboundContextOf, releasedFor } from '#testing';

const DUO_OIN = TEST_DUO_OIN;
const SCHOOL_OIN = TEST_SCHOOL_OIN;
const OPTIONS = { duoOin: DUO_OIN, schoolOin: SCHOOL_OIN };

const payloadOf = (fields: Record<string, unknown>) => releasedFor(fields);
const contextOf = outboundContextOf;

const FULL: Record<string, unknown> = {
  'pupil.bsn': '123456782',
  'pupil.phone': '0612345678',
  'parent.phone': '0201234567',
  'school.brin': '99XX',
  'school.vestiging': '01',
  'school.locationName': 'Hoofdgebouw',
  'absence.kind': 'LRV',
  'absence.beginDate': '2026-01-05',
  'absence.endDate': '2026-01-30',
  'absence.hours': 17.5,
  'absence.days': 2,
  'absence.perDay': [
    { date: '2026-01-05', lessonHours: [3, 1, 2] },
    { date: '2026-01-12', lessonHours: [] },
  ],
  'absence.allLessonsMissed': true,
  'report.suspectedReason': 'Vermoedelijk spijbelen',
  'report.actionTaken': 'Gesprek met ouders',
  'report.municipalActionWanted': { wanted: false, explanation: 'Nog niet' },
  'reporter.name': 'A. de Vries',
  'reporter.role': 'mentor',
  'reporter.phone': '0201112223',
  'reporter.email': 'mentor@school.example',
};

/** A namespace-preserving reading of our own output, for exact element assertions. */
const reader = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === 'rod:Dag' || name === 'rod:Lesuur',
});

type Tree = Record<string, unknown>;
function read(xml: string): { header: Tree; body: Tree } {
  const doc = reader.parse(xml) as Tree;
  const envelope = doc['soap:Envelope'] as Tree;
  return { header: envelope['soap:Header'] as Tree, body: envelope['soap:Body'] as Tree };
}
/** Text content of an element that also has whitespace (format: true keeps indentation when not trimmed). */
const strip = (value: unknown): unknown =>
  typeof value === 'string'
    ? value
    : Array.isArray(value)
      ? value.map(strip)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([key, v]) => !(key === '#text' && typeof v === 'string' && v.trim() === ''))
              .map(([key, v]) => [key, strip(v)]),
          )
        : value;

describe('formatDuoMessage', () => {
  it('REGISTER: envelope, WS-Addressing headers and the Besluit Verzuimmelding data set', () => {
    const xml = formatDuoMessage(contextOf(), payloadOf(FULL), OPTIONS);
    const { header, body } = read(xml);
    assert.deepEqual(strip(header), {
      'wsa:To': `http://www.w3.org/2005/08/addressing/anonymous?oin=${DUO_OIN}`,
      'wsa:From': { 'wsa:Address': `http://www.w3.org/2005/08/addressing/anonymous?oin=${SCHOOL_OIN}` },
      'wsa:MessageID': messageIdFor('report-1:DUO:REGISTER'),
      'wsa:Action': 'urn:ketenpoort:duo-rod:legacy-2010/MeldenRelatiefVerzuim',
    });
    assert.deepEqual(strip(body), {
      'rod:MeldenRelatiefVerzuim': {
        '@_profiel': 'legacy-2010',
        'rod:Kenmerk': 'report-1',
        'rod:Instelling': { 'rod:Brin': '99XX', 'rod:Vestiging': '01', 'rod:Lesplaats': 'Hoofdgebouw' },
        'rod:Leerling': { 'rod:Bsn': '123456782', 'rod:Telefoon': '0612345678' },
        'rod:Ouder': { 'rod:Telefoon': '0201234567' },
        'rod:Verzuim': {
          'rod:Soort': 'LRV',
          'rod:Begindatum': '2026-01-05',
          'rod:Einddatum': '2026-01-30',
          'rod:AlleLessenGemist': 'J',
          'rod:AantalDagen': '2',
          'rod:AantalUren': '17.5',
          'rod:VerzuimPerDag': {
            'rod:Dag': [
              { 'rod:Datum': '2026-01-05', 'rod:AantalUren': '3', 'rod:Lesuur': ['1', '2', '3'] },
              { 'rod:Datum': '2026-01-12', 'rod:AantalUren': '0' },
            ],
          },
        },
        'rod:VermoedeReden': 'Vermoedelijk spijbelen',
        'rod:OndernomenActie': 'Gesprek met ouders',
        'rod:ActieGemeente': { 'rod:Gewenst': 'N', 'rod:Toelichting': 'Nog niet' },
        'rod:Melder': {
          'rod:Naam': 'A. de Vries',
          'rod:Functie': 'mentor',
          'rod:Telefoon': '0201112223',
          'rod:Email': 'mentor@school.example',
        },
      },
    });
    assert.ok(xml.includes('xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"'));
    assert.ok(xml.includes('xmlns:wsa="http://www.w3.org/2005/08/addressing"'));
  });

  it('uses the onderwijsnummer only when there is no BSN', () => {
    const fields: Record<string, unknown> = { ...FULL, 'pupil.onderwijsnummer': '101234567' };
    delete fields['pupil.bsn'];
    const leerling = (
      read(formatDuoMessage(contextOf(), payloadOf(fields), OPTIONS)).body[
        'rod:MeldenRelatiefVerzuim'
      ] as Tree
    )['rod:Leerling'];
    assert.deepEqual(strip(leerling), { 'rod:Onderwijsnummer': '101234567', 'rod:Telefoon': '0612345678' });
  });

  it('omits every withheld field (and empty groups) instead of sending it empty', () => {
    const xml = formatDuoMessage(
      contextOf(),
      payloadOf({
        'pupil.bsn': '123456782',
        'school.brin': '99XX',
        'absence.beginDate': '2026-01-05',
        'absence.endDate': null,
      }),
      OPTIONS,
    );
    const body = strip(read(xml).body['rod:MeldenRelatiefVerzuim']) as Tree;
    assert.deepEqual(body, {
      '@_profiel': 'legacy-2010',
      'rod:Kenmerk': 'report-1',
      'rod:Instelling': { 'rod:Brin': '99XX' },
      'rod:Leerling': { 'rod:Bsn': '123456782' },
      // absence.kind withheld: the context's report kind is used.
      'rod:Verzuim': { 'rod:Soort': 'V3', 'rod:Begindatum': '2026-01-05' },
    });
    for (const tag of ['Melder', 'Ouder', 'VermoedeReden', 'Einddatum', 'ActieGemeente'])
      assert.ok(!xml.includes(`rod:${tag}`), tag);
  });

  it('UPDATE: MutatieMeldingRelatiefVerzuim with the report number, WIJZIGEN and the new end date and hours', () => {
    const context = contextOf({
      operation: 'UPDATE',
      idempotencyKey: 'report-1:DUO:UPDATE:1',
      externalRef: '100001',
    });
    const xml = formatDuoMessage(
      context,
      payloadOf({ 'absence.endDate': '2026-02-06', 'absence.hours': 19, 'pupil.bsn': '123456782' }),
      OPTIONS,
    );
    const { header, body } = read(xml);
    assert.equal(header['wsa:Action'], 'urn:ketenpoort:duo-rod:legacy-2010/MutatieMeldingRelatiefVerzuim');
    assert.deepEqual(strip(body), {
      'rod:MutatieMeldingRelatiefVerzuim': {
        '@_profiel': 'legacy-2010',
        'rod:Meldingnummer': '100001',
        'rod:Kenmerk': 'report-1',
        'rod:Mutatiesoort': 'WIJZIGEN',
        'rod:Einddatum': '2026-02-06',
        'rod:AantalUren': '19',
      },
    });
    assert.ok(!xml.includes('123456782'), 'an update carries no personal number');
  });

  it('WITHDRAW: MutatieMeldingRelatiefVerzuim INTREKKEN and nothing else', () => {
    const context = contextOf({
      operation: 'WITHDRAW',
      idempotencyKey: 'report-1:DUO:WITHDRAW',
      externalRef: '100001',
    });
    const body = strip(read(formatDuoMessage(context, payloadOf(FULL), OPTIONS)).body);
    assert.deepEqual(body, {
      'rod:MutatieMeldingRelatiefVerzuim': {
        '@_profiel': 'legacy-2010',
        'rod:Meldingnummer': '100001',
        'rod:Kenmerk': 'report-1',
        'rod:Mutatiesoort': 'INTREKKEN',
      },
    });
  });

  it('the MessageID is deterministic per idempotency key and differs between keys', () => {
    const a = formatDuoMessage(contextOf(), payloadOf(FULL), OPTIONS);
    const b = formatDuoMessage(contextOf({ attempt: 3, sentAt: new Date() }), payloadOf(FULL), OPTIONS);
    assert.equal(a, b);
    assert.match(
      messageIdFor('x'),
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    fc.assert(
      fc.property(fc.string(), fc.string(), (x, y) => (x === y) === (messageIdFor(x) === messageIdFor(y))),
    );
  });

  const bad: [string, () => string, string][] = [
    [
      'unknown report kind',
      () => formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'absence.kind': 'V1' }), OPTIONS),
      'DUO_UNKNOWN_REPORT_KIND',
    ],
    [
      'update without report number',
      () => formatDuoMessage(contextOf({ operation: 'UPDATE' }), payloadOf(FULL), OPTIONS),
      'DUO_REPORT_NUMBER_MISSING',
    ],
    [
      'withdraw without report number',
      () => formatDuoMessage(contextOf({ operation: 'WITHDRAW' }), payloadOf(FULL), OPTIONS),
      'DUO_REPORT_NUMBER_MISSING',
    ],
    [
      'bad DUO OIN',
      () => formatDuoMessage(contextOf(), payloadOf(FULL), { ...OPTIONS, duoOin: '123' }),
      'DUO_OIN_INVALID',
    ],
    [
      'bad school OIN',
      () => formatDuoMessage(contextOf(), payloadOf(FULL), { ...OPTIONS, schoolOin: 'x' }),
      'DUO_OIN_INVALID',
    ],
    [
      'date not YYYY-MM-DD',
      () => formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'absence.beginDate': '5-1-2026' }), OPTIONS),
      'DUO_FIELD_INVALID',
    ],
    [
      'lesson hour 13',
      () =>
        formatDuoMessage(
          contextOf(),
          payloadOf({ ...FULL, 'absence.perDay': [{ date: '2026-01-05', lessonHours: [13] }] }),
          OPTIONS,
        ),
      'DUO_FIELD_INVALID',
    ],
    [
      'perDay not a list',
      () => formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'absence.perDay': 'x' }), OPTIONS),
      'DUO_FIELD_INVALID',
    ],
    [
      'negative hours',
      () => formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'absence.hours': -1 }), OPTIONS),
      'DUO_FIELD_INVALID',
    ],
    [
      'flag not boolean',
      () => formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'absence.allLessonsMissed': 'ja' }), OPTIONS),
      'DUO_FIELD_INVALID',
    ],
    [
      'action wanted malformed',
      () =>
        formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'report.municipalActionWanted': 'ja' }), OPTIONS),
      'DUO_FIELD_INVALID',
    ],
    [
      'text with a control character',
      () => formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'report.actionTaken': 'a\u0001b' }), OPTIONS),
      'DUO_FIELD_INVALID',
    ],
    [
      'text that is an object',
      () => formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'reporter.name': { first: 'A' } }), OPTIONS),
      'DUO_FIELD_INVALID',
    ],
  ];
  for (const [name, run, code] of bad)
    it(`refuses ${name} with ${code}, naming the field and not the value`, () => {
      assert.throws(run, (error: unknown) => {
        assert.ok(isDomainError(error));
        assert.equal(error.code, code);
        assert.equal(error.retryable, false);
        assert.ok(!error.message.includes('5-1-2026') && !JSON.stringify(error.issues).includes('a\u0001b'));
        return true;
      });
    });

  it('round trip: every released text value comes back exactly (awkward characters, non-ASCII)', () => {
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter(
      (s) =>
        s.trim() === s &&
        s.trim() !== '' &&
        // eslint-disable-next-line no-control-regex -- excludes what XML cannot carry or normalises
        !/[\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(s),
    );
    const awkward = fc.oneof(
      text,
      fc.constantFrom('<&"\'>', 'Zoë & Anaïs <b>', ']]>', '&amp;', 'ĳ€ 😀 中文'),
    );
    fc.assert(
      fc.property(
        fc.record({
          'report.suspectedReason': awkward,
          'report.actionTaken': awkward,
          'reporter.name': awkward,
          'reporter.role': awkward,
          'school.locationName': awkward,
          reportId: awkward,
        }),
        (values) => {
          const { reportId, ...fields } = values;
          const xml = formatDuoMessage(contextOf({ reportId }), payloadOf({ ...FULL, ...fields }), OPTIONS);
          const body = read(xml).body['rod:MeldenRelatiefVerzuim'] as Tree;
          const melder = body['rod:Melder'] as Tree;
          assert.equal(body['rod:Kenmerk'], reportId);
          assert.equal(body['rod:VermoedeReden'], fields['report.suspectedReason']);
          assert.equal(body['rod:OndernomenActie'], fields['report.actionTaken']);
          assert.equal(melder['rod:Naam'], fields['reporter.name']);
          assert.equal(melder['rod:Functie'], fields['reporter.role']);
          assert.equal((body['rod:Instelling'] as Tree)['rod:Lesplaats'], fields['school.locationName']);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('round trip: dates, hours and lesson hours per day come back as sent (sorted, without repeats)', () => {
    const day = fc.record({
      date: fc
        .date({ min: new Date('2025-01-01'), max: new Date('2027-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      lessonHours: fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 14 }),
    });
    fc.assert(
      fc.property(
        fc.array(day, { minLength: 1, maxLength: 6 }),
        fc.float({ min: 0, max: 500, noNaN: true }),
        (perDay, hours) => {
          const xml = formatDuoMessage(
            contextOf(),
            payloadOf({ ...FULL, 'absence.perDay': perDay, 'absence.hours': hours }),
            OPTIONS,
          );
          const verzuim = (read(xml).body['rod:MeldenRelatiefVerzuim'] as Tree)['rod:Verzuim'] as Tree;
          assert.equal(Number(verzuim['rod:AantalUren']), hours);
          const days = (verzuim['rod:VerzuimPerDag'] as Tree)['rod:Dag'] as Tree[];
          assert.deepEqual(
            days.map((d) => [
              d['rod:Datum'],
              Number(d['rod:AantalUren']),
              ((d['rod:Lesuur'] as string[] | undefined) ?? []).map(Number),
            ]),
            perDay.map((d) => {
              const unique = [...new Set(d.lessonHours)].sort((a, b) => a - b);
              return [d.date, unique.length, unique];
            }),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('code tables (profiles)', () => {
  it('legacy-2010 is the default and maps every report kind', () => {
    assert.equal(LEGACY_2010_PROFILE.id, LEGACY_2010_PROFILE_ID);
    assert.deepEqual(
      REPORT_KINDS.map((kind) => kindCode(LEGACY_2010_PROFILE, kind)),
      ['V3', 'V4', 'LRV', 'L', 'RMC', 'O'],
    );
    assert.equal(Object.keys(LEGACY_2010_PROFILE.closingReasons).length, CLOSING_REASONS.length);
    assert.equal(Object.keys(LEGACY_2010_PROFILE.closingExplanations).length, CLOSING_EXPLANATIONS.length);
    assert.equal(new Set(Object.values(LEGACY_2010_PROFILE.closingReasons)).size, CLOSING_REASONS.length);
  });

  it('a profile passed in replaces codes, namespace and action', () => {
    const next: DuoProfile = {
      ...LEGACY_2010_PROFILE,
      id: 'test-2027',
      namespace: 'urn:example:rod:2027',
      actionBase: 'urn:example:rod:2027#',
      kinds: { ...LEGACY_2010_PROFILE.kinds, LRV: 'LANGDURIG' },
    };
    const xml = formatDuoMessage(contextOf(), payloadOf(FULL), { ...OPTIONS, profile: next });
    assert.ok(xml.includes('xmlns:rod="urn:example:rod:2027"'));
    assert.ok(xml.includes('<wsa:Action>urn:example:rod:2027#MeldenRelatiefVerzuim</wsa:Action>'));
    assert.ok(xml.includes('<rod:Soort>LANGDURIG</rod:Soort>'));
    assert.ok(xml.includes('profiel="test-2027"'));
  });

  it('classifies Foutcodes by the table; unknown F9xx retryable, anything else unknown permanent', () => {
    assert.deepEqual(
      ['F101', 'F104', 'F110', 'F111', 'F200', 'F900', 'F901', 'F950', 'F999', 'X1', 'F300'].map((code) =>
        classifyFoutcode(LEGACY_2010_PROFILE, code),
      ),
      [
        'VALIDATION',
        'VALIDATION',
        'NOT_FOUND',
        'CONFLICT',
        'NOT_AUTHORISED',
        'UNAVAILABLE',
        'UNAVAILABLE',
        'UNAVAILABLE',
        'UNAVAILABLE',
        'VALIDATION',
        'VALIDATION',
      ],
    );
  });
});

const envelope = (body: string) =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:r="urn:ketenpoort:duo-rod:legacy-2010"><s:Body>${body}</s:Body></s:Envelope>`;

describe('parseDuoAnswer', () => {
  const table: [string, string, unknown][] = [
    [
      'DC0001Bevestiging',
      envelope(
        '<r:DC0001Bevestiging><r:Meldingnummer>100001</r:Meldingnummer><r:Kenmerk>report-1</r:Kenmerk></r:DC0001Bevestiging>',
      ),
      { kind: 'confirmation', reportNumber: '100001', kenmerk: 'report-1' },
    ],
    [
      'validation Foutmelding',
      envelope(
        '<r:DC0002Foutmelding><r:Foutcode>F104</r:Foutcode><r:Omschrijving>BSN onjuist</r:Omschrijving></r:DC0002Foutmelding>',
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
      'system Foutmelding',
      envelope(
        '<r:DC0002Foutmelding><r:Foutcode>F900</r:Foutcode><r:Omschrijving>Systeem niet beschikbaar</r:Omschrijving></r:DC0002Foutmelding>',
      ),
      {
        kind: 'error',
        code: 'DUO_UNAVAILABLE',
        duoCode: 'F900',
        description: 'Systeem niet beschikbaar',
        retryable: true,
      },
    ],
    [
      'Fault with a Foutmelding in detail',
      envelope(
        '<s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring><detail><r:DC0002Foutmelding><r:Foutcode>F110</r:Foutcode><r:Omschrijving>Onbekend</r:Omschrijving></r:DC0002Foutmelding></detail></s:Fault>',
      ),
      { kind: 'error', code: 'DUO_NOT_FOUND', duoCode: 'F110', description: 'Onbekend', retryable: false },
    ],
    [
      'Server Fault',
      envelope('<s:Fault><faultcode>s:Server</faultcode><faultstring>busy</faultstring></s:Fault>'),
      {
        kind: 'error',
        code: 'DUO_SOAP_FAULT_SERVER',
        duoCode: 's:Server',
        description: 'busy',
        retryable: true,
      },
    ],
    [
      'Client Fault',
      envelope('<s:Fault><faultcode>s:Client</faultcode><faultstring>bad</faultstring></s:Fault>'),
      {
        kind: 'error',
        code: 'DUO_SOAP_FAULT_CLIENT',
        duoCode: 's:Client',
        description: 'bad',
        retryable: false,
      },
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
      'confirmation without number',
      envelope('<r:DC0001Bevestiging><r:Kenmerk>k</r:Kenmerk></r:DC0001Bevestiging>'),
      {
        kind: 'unparseable',
        code: 'DUO_UNPARSEABLE_RESPONSE',
        detail: 'answer is neither DC0001Bevestiging with a Meldingnummer nor an error',
      },
    ],
  ];
  for (const [name, xml, expected] of table)
    it(`${name}`, () => {
      assert.deepEqual(parseDuoAnswer(xml, LEGACY_2010_PROFILE), expected);
    });
});

describe('parseStatusAnswer', () => {
  const melding = (number: string, status: string, at: string, extra = '') =>
    `<r:Melding><r:Meldingnummer>${number}</r:Meldingnummer><r:Kenmerk>k</r:Kenmerk><r:Status>${status}</r:Status><r:Tijdstip>${at}</r:Tijdstip>${extra}</r:Melding>`;
  const feed = (items: string, until = '2026-02-03T00:00:00.000Z') =>
    envelope(
      `<r:GewijzigdeMeldingenRelatiefVerzuim><r:TotTijdstip>${until}</r:TotTijdstip>${items}</r:GewijzigdeMeldingenRelatiefVerzuim>`,
    );

  it('maps every status, closing reason and explanation; oldest first; duplicates once', () => {
    const closed = melding(
      '3',
      'AF',
      '2026-02-02T12:00:00Z',
      '<r:RedenAfsluiting>R2</r:RedenAfsluiting><r:ToelichtingAfsluiting>T3</r:ToelichtingAfsluiting><r:Contactpersoon>Mevr. Jansen</r:Contactpersoon>',
    );
    const answer = parseStatusAnswer(
      feed(
        [
          closed,
          melding('1', 'GR', '2026-02-02T09:00:00Z'),
          melding('1', 'IB', '2026-02-02T10:00:00Z'),
          melding('2', 'TKA', '2026-02-02T11:00:00Z'),
          closed,
          melding('4', 'IT', '2026-02-02T13:00:00Z'),
          melding('5', 'OD', '2026-02-02T14:00:00+01:00'),
        ].join(''),
      ),
      LEGACY_2010_PROFILE,
    );
    assert.deepEqual(answer, {
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
        // Overgedragen aan derden (legacy): still being handled.
        { externalRef: '5', status: 'IN_BEHANDELING', at: '2026-02-02T13:00:00.000Z' },
      ],
    });
  });

  it('an empty feed answers no changes and its TotTijdstip', () => {
    assert.deepEqual(parseStatusAnswer(feed(''), LEGACY_2010_PROFILE), {
      kind: 'changes',
      changes: [],
      until: new Date('2026-02-03T00:00:00.000Z'),
    });
  });

  const broken: [string, string][] = [
    ['unknown status', feed(melding('1', 'XX', '2026-02-02T09:00:00Z'))],
    [
      'unknown closing reason',
      feed(melding('1', 'AF', '2026-02-02T09:00:00Z', '<r:RedenAfsluiting>R9</r:RedenAfsluiting>')),
    ],
    [
      'unknown closing explanation',
      feed(
        melding('1', 'AF', '2026-02-02T09:00:00Z', '<r:ToelichtingAfsluiting>T9</r:ToelichtingAfsluiting>'),
      ),
    ],
    ['bad Tijdstip', feed(melding('1', 'GR', 'gisteren'))],
    [
      'no TotTijdstip',
      envelope('<r:GewijzigdeMeldingenRelatiefVerzuim></r:GewijzigdeMeldingenRelatiefVerzuim>'),
    ],
    [
      'another answer',
      envelope('<r:DC0001Bevestiging><r:Meldingnummer>1</r:Meldingnummer></r:DC0001Bevestiging>'),
    ],
  ];
  for (const [name, xml] of broken)
    it(`${name} → DUO_UNPARSEABLE_RESPONSE (nothing skipped silently)`, () => {
      const answer = parseStatusAnswer(xml, LEGACY_2010_PROFILE);
      assert.equal(answer.kind, 'unparseable');
      assert.equal(answer.kind === 'unparseable' && answer.code, 'DUO_UNPARSEABLE_RESPONSE');
    });

  it('a Foutmelding is a classified error', () => {
    const answer = parseStatusAnswer(
      envelope(
        '<r:DC0002Foutmelding><r:Foutcode>F901</r:Foutcode><r:Omschrijving>Onderhoud</r:Omschrijving></r:DC0002Foutmelding>',
      ),
      LEGACY_2010_PROFILE,
    );
    assert.deepEqual(answer, {
      kind: 'error',
      code: 'DUO_UNAVAILABLE',
      duoCode: 'F901',
      description: 'Onderhoud',
      retryable: true,
    });
  });
});

describe('formatDuoMessage with a real ReleasedPayload', () => {
  it('sends exactly what the privacy engine released; the withheld free text and name are absent', async () => {
    const { parsePolicy, release } = await import('#privacy');
    const parsed = parsePolicy(`
id: duo-spec
version: '1'
effectiveFrom: '2025-08-01'
recipients:
  DUO: { name: DUO }
purposes:
  STATUTORY_REPORT: { description: een verzuimmelding, basis: legal_obligation, legalBasis: LPW art. 21a }
dataCategories:
  absence: [absence.kind, absence.beginDate, absence.endDate, absence.hours, absence.perDay]
rules:
  - id: duo
    effect: permit
    reason: Melding aan DUO
    when: { recipients: [DUO], purposes: [STATUTORY_REPORT] }
    fields: [pupil.bsn, school.brin, absence]
retention:
  default: P1Y
`);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const { released } = release(
      parsed.value,
      {
        recipient: { kind: 'DUO' },
        purpose: 'STATUTORY_REPORT',
        pupil: { ageAtDate: 15 },
        payload: { ...FULL, 'registration.remarks': 'vrije tekst', 'pupil.name': 'Daan' },
      },
      { at: '2026-02-02' },
    );
    assert.ok(released);
    const xml = formatDuoMessage(contextOf(), released, OPTIONS);
    const body = strip(read(xml).body['rod:MeldenRelatiefVerzuim']) as Tree;
    assert.deepEqual(Object.keys(body).sort(), [
      '@_profiel',
      'rod:Instelling',
      'rod:Kenmerk',
      'rod:Leerling',
      'rod:Verzuim',
    ]);
    for (const value of ['vrije tekst', 'Daan', 'Gesprek met ouders', 'mentor@school.example', '0612345678'])
      assert.ok(!xml.includes(value), value);
  });
});
