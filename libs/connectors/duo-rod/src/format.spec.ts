import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { REPORT_KINDS, isDomainError } from '#domain';
import {
  type DuoProfile,
  IBG_VSV_2_PROFILE,
  IBG_VSV_2_PROFILE_ID,
  classifyFoutcode,
  documentIdFor,
  formatDuoMessage,
  formatStatusRequest,
  kindCode,
  messageIdFor,
} from './index.js';
import { DUO_OIN, FULL, OPTIONS, SENDER_OIN, type Tree, operationOf, read } from './duo.test-support.js';
import { outboundContextOf as contextOf, releasedFor as payloadOf } from '#testing';

const ADDRESS = 'http://www.w3.org/2005/08/addressing/anonymous?oin=';
const CONTRACT = 'urn:ketenpoort:reconstructed:duo:contract:ROD_Verzuim_ibg-vsv-2';
const HEADER = (documentId: string) => ({
  'duo:identificatiecodeBedrijfsdocument': documentId,
  'duo:verzendendeInstantie': SENDER_OIN,
  'duo:ontvangendeInstantie': DUO_OIN,
  'duo:datumTijdBedrijfsdocument': '2026-02-02T09:00:00.000Z',
});

describe('formatDuoMessage (unsigned: the envelope and the ibg-vsv-2 body)', () => {
  it('REGISTER: WS-Addressing with OINs, Action = contract/operation, the business document and the melding', () => {
    const xml = formatDuoMessage(contextOf(), payloadOf(FULL), OPTIONS);
    const { header } = read(xml);
    const id = messageIdFor('report-1:DUO:REGISTER').replace('urn:uuid:', '');
    expect(header).toEqual({
      'wsa:Action': { '@_wsu:Id': `Action-${id}`, '#text': `${CONTRACT}/MeldenRelatiefVerzuim` },
      'wsa:From': { '@_wsu:Id': `From-${id}`, 'wsa:Address': ADDRESS + SENDER_OIN },
      'wsa:MessageID': { '@_wsu:Id': `MessageID-${id}`, '#text': `urn:uuid:${id}` },
      'wsa:ReplyTo': { 'wsa:Address': ADDRESS + SENDER_OIN },
      'wsa:To': { '@_wsu:Id': `To-${id}`, '#text': ADDRESS + DUO_OIN },
    });
    assert.equal(read(xml).body['@_wsu:Id'], `Body-${id}`);
    expect(operationOf(xml, 'MeldenRelatiefVerzuim')).toEqual({
      ...HEADER(documentIdFor('report-1:DUO:REGISTER')),
      'duo:meldingRelatiefVerzuim': {
        'duo:kenmerkMelding': 'report-1',
        'duo:verzuimsoort': 'LRV',
        'duo:onderwijsdeelnemer': {
          'duo:BSN': '123456782',
          'duo:telefoonnummer': '0612345678',
          'duo:telefoonnummerOuder': '0201234567',
          'duo:afwijkendAdres': { 'duo:adresregel': 'Dorpsstraat 12, 1811 JJ Alkmaar' },
        },
        'duo:onderwijsinstelling': { 'duo:BRIN': '99XX', 'duo:vestigingsnummer': '01' },
        'duo:onderwijslocatie': { 'duo:onderwijslocatienaam': 'Hoofdgebouw' },
        'duo:onderwijsdeelname': {
          'duo:naamOpleiding': 'Havo',
          'duo:leerjaarVO': '3',
          'duo:soortOpleiding': 'VO',
          'duo:vormOpleiding': 'VT',
        },
        'duo:codeUitvoerderVSV': '000361',
        'duo:beginverzuim': '2026-01-05',
        'duo:eindverzuim': '2026-01-30',
        'duo:alleLessenGemist': 'true',
        'duo:totaalAantalUren': '17.5',
        'duo:aantalVerzuimdagen': '2',
        'duo:verzuimdagGespecificeerd': 'true',
        'duo:verzuimdag': [
          { 'duo:datum': '2026-01-05', 'duo:lesuur': ['1', '2', '3'] },
          { 'duo:datum': '2026-01-12', 'duo:heleDag': 'true' },
        ],
        'duo:vermoedelijkeReden': 'Vermoedelijk spijbelen',
        'duo:toelichting': 'Derde melding dit jaar',
        'duo:toelichtingOndernomenActie': 'Gesprek met ouders',
        'duo:actieGemeenteGewenst': 'false',
        'duo:toelichtingActieGewenst': 'Nog niet',
        'duo:contactpersoon': {
          'duo:aanduidingContactpersoon': 'A. de Vries',
          'duo:functie': 'mentor',
          'duo:telefoonnummer': '0201112223',
          'duo:emailadres': 'mentor@school.example',
        },
        'duo:ccEmailontvanger': 'CONTACTPERSOON',
      },
    });
  });

  it('uses the onderwijsnummer only when there is no BSN', () => {
    const { 'pupil.bsn': _bsn, ...noBsn } = FULL;
    const deelnemer = (fields: Record<string, unknown>) =>
      (
        operationOf(formatDuoMessage(contextOf(), payloadOf(fields), OPTIONS), 'MeldenRelatiefVerzuim')[
          'duo:meldingRelatiefVerzuim'
        ] as Tree
      )['duo:onderwijsdeelnemer'] as Tree;
    assert.equal(
      deelnemer({ ...noBsn, 'pupil.onderwijsnummer': '101234567' })['duo:onderwijsnummer'],
      '101234567',
    );
    assert.equal(
      deelnemer({ ...FULL, 'pupil.onderwijsnummer': '101234567' })['duo:onderwijsnummer'],
      undefined,
    );
  });

  it('omits every withheld field and empty group instead of sending it empty', () => {
    const minimal = { 'pupil.bsn': '123456782', 'school.brin': '99XX', 'absence.beginDate': '2026-01-05' };
    const melding = operationOf(
      formatDuoMessage(contextOf(), payloadOf(minimal), OPTIONS),
      'MeldenRelatiefVerzuim',
    )['duo:meldingRelatiefVerzuim'];
    expect(melding).toEqual({
      'duo:kenmerkMelding': 'report-1',
      'duo:verzuimsoort': 'V3',
      'duo:onderwijsdeelnemer': { 'duo:BSN': '123456782' },
      'duo:onderwijsinstelling': { 'duo:BRIN': '99XX' },
      'duo:beginverzuim': '2026-01-05',
    });
  });

  it('UPDATE: MutatieMeldingRelatiefVerzuim with the report number, WIJZIGEN and the new end date and hours', () => {
    const context = contextOf({
      operation: 'UPDATE',
      idempotencyKey: 'r-2:DUO:UPDATE',
      externalRef: '100001',
    });
    const xml = formatDuoMessage(
      context,
      payloadOf({
        'absence.endDate': '2026-02-06',
        'absence.hours': 20,
        'absence.days': 3,
        'pupil.bsn': '123456782',
        'report.suspectedReason': 'niet in een wijziging',
      }),
      OPTIONS,
    );
    assert.equal(
      (read(xml).header['wsa:Action'] as Tree)['#text'],
      `${CONTRACT}/MutatieMeldingRelatiefVerzuim`,
    );
    expect(operationOf(xml, 'MutatieMeldingRelatiefVerzuim')).toEqual({
      ...HEADER(documentIdFor('r-2:DUO:UPDATE')),
      'duo:identificatieMeldingRelatiefVerzuim': { 'duo:nummerMeldingRelatiefVerzuim': '100001' },
      'duo:kenmerkMelding': 'report-1',
      'duo:soortMutatie': 'WIJZIGEN',
      'duo:eindverzuim': '2026-02-06',
      'duo:totaalAantalUren': '20',
      'duo:aantalVerzuimdagen': '3',
    });
  });

  it('WITHDRAW: MutatieMeldingRelatiefVerzuim INTREKKEN and nothing else (no personal number)', () => {
    const context = contextOf({
      operation: 'WITHDRAW',
      idempotencyKey: 'r-3:DUO:WITHDRAW',
      externalRef: '100001',
    });
    const xml = formatDuoMessage(context, payloadOf(FULL), OPTIONS);
    expect(operationOf(xml, 'MutatieMeldingRelatiefVerzuim')).toEqual({
      ...HEADER(documentIdFor('r-3:DUO:WITHDRAW')),
      'duo:identificatieMeldingRelatiefVerzuim': { 'duo:nummerMeldingRelatiefVerzuim': '100001' },
      'duo:kenmerkMelding': 'report-1',
      'duo:soortMutatie': 'INTREKKEN',
    });
    assert.ok(!xml.includes('123456782'));
  });

  it('AanvraagGewijzigdeMeldingRelatiefVerzuim: the selectieperiode in UTC as date and time', () => {
    const xml = formatStatusRequest(
      new Date('2026-03-29T00:59:59.250Z'),
      'urn:uuid:00000000-0000-5000-8000-000000000001',
      {
        ...OPTIONS,
        now: new Date('2026-03-29T01:00:00Z'),
      },
    );
    const aanvraag = operationOf(xml, 'AanvraagGewijzigdeMeldingRelatiefVerzuim');
    expect(aanvraag['duo:selectieperiode']).toEqual({
      'duo:datumBeginSelectieperiode': '2026-03-29',
      'duo:tijdstipBeginSelectieperiode': '00:59:59.250',
    });
    assert.equal(aanvraag['duo:identificatiecodeBedrijfsdocument'], '00000000-0000-5000-8000-000000000001');
  });

  it('the MessageID and the document id are deterministic per idempotency key; attempts do not change them', () => {
    const a = formatDuoMessage(contextOf(), payloadOf(FULL), OPTIONS);
    const b = formatDuoMessage(contextOf({ attempt: 3 }), payloadOf(FULL), OPTIONS);
    assert.equal(a, b);
    assert.match(
      messageIdFor('x'),
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    fc.assert(
      fc.property(fc.string(), fc.string(), (x, y) => {
        assert.equal(x === y, messageIdFor(x) === messageIdFor(y));
        assert.notEqual(messageIdFor(x).slice(9), documentIdFor(x));
      }),
    );
  });

  it('day parts (primary schools) become lesson hours as the profile says; a day with nothing known is whole', () => {
    const days = (perDay: unknown) =>
      (
        operationOf(
          formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'absence.perDay': perDay }), OPTIONS),
          'MeldenRelatiefVerzuim',
        )['duo:meldingRelatiefVerzuim'] as Tree
      )['duo:verzuimdag'] as Tree[];
    expect(
      days([
        { date: '2026-01-05', lessonHours: [], dayParts: ['ochtend'] },
        { date: '2026-01-06', lessonHours: [7], dayParts: ['middag'] },
        { date: '2026-01-07', lessonHours: [] },
      ]),
    ).toEqual([
      { 'duo:datum': '2026-01-05', 'duo:lesuur': ['1', '2', '3', '4'] },
      { 'duo:datum': '2026-01-06', 'duo:lesuur': ['5', '6', '7', '8'] },
      { 'duo:datum': '2026-01-07', 'duo:heleDag': 'true' },
    ]);
    const other: DuoProfile = { ...IBG_VSV_2_PROFILE, dayParts: { ochtend: [1, 2], middag: [3] } };
    const xml = formatDuoMessage(
      contextOf(),
      payloadOf({ ...FULL, 'absence.perDay': [{ date: '2026-01-05', dayParts: ['ochtend', 'middag'] }] }),
      { ...OPTIONS, profile: other },
    );
    assert.match(
      xml,
      /<duo:lesuur>1<\/duo:lesuur>\s*<duo:lesuur>2<\/duo:lesuur>\s*<duo:lesuur>3<\/duo:lesuur>/,
    );
  });

  it('naamOpleiding is cut to 40 characters; niveau, leerweg and the copy recipient go through the code tables', () => {
    const xml = formatDuoMessage(
      contextOf(),
      payloadOf({
        ...FULL,
        'education.name': 'Middenkaderopleiding Sport en Bewegen, coördinator',
        'education.niveau': 4,
        'education.leerweg': 'BOL',
        'education.soort': 'BVE',
        'report.copyRecipient': 'BEIDE',
      }),
      OPTIONS,
    );
    const melding = operationOf(xml, 'MeldenRelatiefVerzuim')['duo:meldingRelatiefVerzuim'] as Tree;
    expect(melding['duo:onderwijsdeelname']).toEqual({
      'duo:naamOpleiding': 'Middenkaderopleiding Sport en Bewegen, c',
      'duo:leerjaarVO': '3',
      'duo:niveauOpleiding': 'niveau4',
      'duo:leerweg': 'BOL',
      'duo:soortOpleiding': 'BVE',
      'duo:vormOpleiding': 'VT',
    });
    assert.equal(melding['duo:ccEmailontvanger'], 'BEIDE');
  });

  it('profile HISTORIC: the business document names the school (BRIN) and the woongemeente', () => {
    const xml = formatDuoMessage(contextOf(), payloadOf(FULL), {
      ...OPTIONS,
      profile: { ...IBG_VSV_2_PROFILE, documentHeader: 'HISTORIC' },
    });
    const melden = operationOf(xml, 'MeldenRelatiefVerzuim');
    assert.equal(melden['duo:verzendendeInstantie'], '99XX');
    assert.equal(melden['duo:ontvangendeInstantie'], '0361');
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
      'bad sender OIN',
      () => formatDuoMessage(contextOf(), payloadOf(FULL), { ...OPTIONS, senderOin: 'x' }),
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
      'a day listed twice',
      () =>
        formatDuoMessage(
          contextOf(),
          payloadOf({ ...FULL, 'absence.perDay': [{ date: '2026-01-05' }, { date: '2026-01-05' }] }),
          OPTIONS,
        ),
      'DUO_FIELD_INVALID',
    ],
    [
      'an unknown day part',
      () =>
        formatDuoMessage(
          contextOf(),
          payloadOf({ ...FULL, 'absence.perDay': [{ date: '2026-01-05', dayParts: ['avond'] }] }),
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
      'a suspected reason over 200 characters',
      () =>
        formatDuoMessage(
          contextOf(),
          payloadOf({ ...FULL, 'report.suspectedReason': 'x'.repeat(201) }),
          OPTIONS,
        ),
      'DUO_FIELD_INVALID',
    ],
    [
      'leerjaar 7',
      () => formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'education.leerjaar': 7 }), OPTIONS),
      'DUO_FIELD_INVALID',
    ],
    [
      'niveau 5',
      () => formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'education.niveau': 5 }), OPTIONS),
      'DUO_FIELD_INVALID',
    ],
    [
      'an unknown leerweg',
      () => formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'education.leerweg': 'XYZ' }), OPTIONS),
      'DUO_FIELD_INVALID',
    ],
    [
      'an unknown copy recipient',
      () =>
        formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'report.copyRecipient': 'IEDEREEN' }), OPTIONS),
      'DUO_FIELD_INVALID',
    ],
    [
      'a woongemeente that is no CBS code',
      () => formatDuoMessage(contextOf(), payloadOf({ ...FULL, 'pupil.woongemeente': 'Alkmaar' }), OPTIONS),
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
        const said = `${error.message} ${JSON.stringify(error.issues)}`;
        for (const value of ['5-1-2026', 'a\u0001b', 'xxxxxxxxxx', 'Alkmaar', 'IEDEREEN', 'avond'])
          assert.ok(!said.includes(value), value);
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
          const melding = operationOf(xml, 'MeldenRelatiefVerzuim')['duo:meldingRelatiefVerzuim'] as Tree;
          const contact = melding['duo:contactpersoon'] as Tree;
          assert.equal(melding['duo:kenmerkMelding'], reportId);
          assert.equal(melding['duo:vermoedelijkeReden'], fields['report.suspectedReason']);
          assert.equal(melding['duo:toelichtingOndernomenActie'], fields['report.actionTaken']);
          assert.equal(contact['duo:aanduidingContactpersoon'], fields['reporter.name']);
          assert.equal(contact['duo:functie'], fields['reporter.role']);
          assert.equal(
            (melding['duo:onderwijslocatie'] as Tree)['duo:onderwijslocatienaam'],
            fields['school.locationName'],
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('round trip: hours (two decimals) and each day as a whole day or its lesson hours, sorted, without repeats', () => {
    const day = fc.record({
      date: fc
        .date({ min: new Date('2025-01-01'), max: new Date('2027-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      lessonHours: fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 14 }),
      wholeDay: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(day, { minLength: 1, maxLength: 6, selector: (d) => d.date }),
        fc.float({ min: 0, max: 500, noNaN: true }),
        (perDay, hours) => {
          const xml = formatDuoMessage(
            contextOf(),
            payloadOf({ ...FULL, 'absence.perDay': perDay, 'absence.hours': hours }),
            OPTIONS,
          );
          const melding = operationOf(xml, 'MeldenRelatiefVerzuim')['duo:meldingRelatiefVerzuim'] as Tree;
          assert.equal(Number(melding['duo:totaalAantalUren']), Math.round(hours * 100) / 100);
          expect(
            (melding['duo:verzuimdag'] as Tree[]).map((d) => [
              d['duo:datum'],
              d['duo:heleDag'] === 'true',
              ((d['duo:lesuur'] as string[] | undefined) ?? []).map(Number),
            ]),
          ).toEqual(
            perDay.map((d) => {
              const unique = [...new Set(d.lessonHours)].sort((a, b) => a - b);
              const whole = d.wholeDay || unique.length === 0;
              return [d.date, whole, whole ? [] : unique];
            }),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('the ibg-vsv-2 code tables', () => {
  it('is the default profile and maps every report kind to a verzuimsoort; V1 and V2 are not used', () => {
    assert.equal(IBG_VSV_2_PROFILE.id, IBG_VSV_2_PROFILE_ID);
    const codes = REPORT_KINDS.map((kind) => kindCode(IBG_VSV_2_PROFILE, kind));
    expect(codes).toEqual(['V3', 'V4', 'LRV', 'L', 'RMC', 'O']);
    expect(Object.keys(IBG_VSV_2_PROFILE.statuses).sort()).toEqual(['B', 'G', 'I', 'K', 'R']);
    expect(Object.keys(IBG_VSV_2_PROFILE.legacyStatuses)).toEqual(['D']);
    assert.equal(IBG_VSV_2_PROFILE.timestampTtlSeconds, 600);
  });

  it('classifies foutcodes by the table; unknown F9xx retryable, anything else unknown permanent', () => {
    assert.equal(classifyFoutcode(IBG_VSV_2_PROFILE, 'F104'), 'VALIDATION');
    assert.equal(classifyFoutcode(IBG_VSV_2_PROFILE, 'F110'), 'NOT_FOUND');
    assert.equal(classifyFoutcode(IBG_VSV_2_PROFILE, 'F901'), 'UNAVAILABLE');
    assert.equal(classifyFoutcode(IBG_VSV_2_PROFILE, 'F977'), 'UNAVAILABLE');
    assert.equal(classifyFoutcode(IBG_VSV_2_PROFILE, 'X1'), 'VALIDATION');
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
    const melding = operationOf(xml, 'MeldenRelatiefVerzuim')['duo:meldingRelatiefVerzuim'] as Tree;
    expect(Object.keys(melding).sort()).toEqual([
      'duo:beginverzuim',
      'duo:eindverzuim',
      'duo:kenmerkMelding',
      'duo:onderwijsdeelnemer',
      'duo:onderwijsinstelling',
      'duo:totaalAantalUren',
      'duo:verzuimdag',
      'duo:verzuimdagGespecificeerd',
      'duo:verzuimsoort',
    ]);
    for (const value of ['vrije tekst', 'Daan', 'Gesprek met ouders', 'mentor@school.example', '0612345678'])
      assert.ok(!xml.includes(value), value);
  });
});

describe('formatDuoMessage under the shipped default policy (ADR 0027)', () => {
  it('the pupil’s name and the clock minutes in the request change nothing in the DUO message', async () => {
    const { readFileSync } = await import('node:fs');
    const { parsePolicy, release } = await import('#privacy');
    const text = readFileSync(
      new URL('../../../../../config/privacy/default.policy.yaml', import.meta.url),
      'utf8',
    );
    const parsed = parsePolicy(text);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const releaseFor = (payload: Record<string, unknown>) => {
      const { released } = release(
        parsed.value,
        {
          recipient: { kind: 'DUO' },
          purpose: 'STATUTORY_REPORT',
          reportKind: 'LRV',
          pupil: { ageAtDate: 15 },
          payload,
        },
        { at: '2026-02-02' },
      );
      assert.ok(released);
      return released;
    };
    const before = releaseFor(FULL);
    const after = releaseFor({ ...FULL, 'pupil.name': 'Sanne Proefsma', 'absence.clockMinutes': 1050 });
    assert.equal(after.has('pupil.name'), false, 'DUO identifies by BSN; the name is withheld');
    assert.equal(after.has('absence.clockMinutes'), false, 'the policy gives DUO the lesuren only');
    const xml = formatDuoMessage(contextOf(), after, OPTIONS);
    assert.equal(xml, formatDuoMessage(contextOf(), before, OPTIONS));
    assert.ok(!xml.includes('Sanne') && !xml.includes('Proefsma') && !xml.includes('1050'));
  });
});
