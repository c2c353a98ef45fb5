import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { QUARANTINE_REASONS, type RosterReader } from '#domain';
import {
  createMagisterMwsRosterReader,
  DEFAULT_ROSTER_COLUMNS,
  magisterMwsRosterReader,
  MWS_ROSTER_FIELDS,
  type MwsRosterField,
} from './index.js';

const fixture = fileURLToPath(
  new URL('../../../../../libs/adapters/magister-mws/fixtures/leerlingen-roster.xml', import.meta.url),
);
const context = { school: '99XY' };

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Markup put into a cell as it is (nested or repeated elements); any other cell text is escaped. */
interface Markup {
  readonly xml: string;
}
const markup = (xml: string): Markup => ({ xml });

function row(columns: Readonly<Record<string, string | Markup>>, element = 'Leerling'): string {
  const cells = Object.entries(columns).map(
    ([name, text]) => `<${name}>${typeof text === 'string' ? escape(text) : text.xml}</${name}>`,
  );
  return `<${element}>${cells.join('')}</${element}>`;
}

function mws(rows: readonly string[], list = 'Leerlingen'): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Result>True</Result><Table><${list}>${rows.join('')}</${list}></Table></Response>`;
}

function read(
  payload: string,
  reader: RosterReader = magisterMwsRosterReader,
): ReturnType<RosterReader['read']> {
  let out: ReturnType<RosterReader['read']> | undefined;
  assert.doesNotThrow(() => {
    out = reader.read(payload, context);
  });
  for (const problem of out!.problems) assert.ok(QUARANTINE_REASONS.includes(problem.reason), problem.reason);
  return out!;
}

describe('Magister MWS pupil list as a roster (ADR 0019)', () => {
  it('is registered as magister-mws, sent as XML', () => {
    assert.equal(magisterMwsRosterReader.system, 'magister-mws');
    assert.equal(magisterMwsRosterReader.format, 'xml');
  });

  it('reads name, class and mentor per stamnr from the fixture, and nothing else of the row', () => {
    const out = read(readFileSync(fixture, 'utf8'));
    expect(out.pupils).toEqual([
      {
        localId: '40117',
        entry: {
          name: {
            roepnaam: 'Noor',
            voornamen: 'Noor Elisabeth',
            tussenvoegsel: 'van der',
            achternaam: 'Proefhoeve',
          },
          group: '3VWO-A',
          mentor: 'K. Lesmeester',
        },
      },
      {
        localId: '040118',
        entry: { name: { roepnaam: 'Sem', achternaam: 'Testerink' }, group: '2H-B', mentor: null },
      },
      {
        localId: '40119',
        entry: {
          name: { roepnaam: 'Lieke', tussenvoegsel: "van 't", achternaam: 'Voorbeeldveld' },
          group: '1A',
          mentor: 'P. Coachinga',
        },
      },
    ]);
    const text = JSON.stringify(out);
    for (const value of ['Teststraat', '2011-03-09', 'leerling.example', 'KLM', 'Foutman', 'Genest'])
      assert.ok(!text.includes(value), `${value} leaked`);
  });

  it('answers a row without a pupil number, an error row and a nested column as problems naming columns only', () => {
    const out = read(readFileSync(fixture, 'utf8'));
    expect(out.problems).toEqual([
      { sourceId: null, reason: 'MISSING_FIELD', detail: 'row[3]/stamnr (pupil number) is missing' },
      { sourceId: null, reason: 'MALFORMED_PAYLOAD', detail: 'row[4] is an error row (Fout_nummer 1203)' },
      { sourceId: '40121', reason: 'WRONG_TYPE', detail: 'row[5]/achternaam is not text' },
    ]);
    const text = JSON.stringify(out.problems);
    for (const value of ['Zonder', 'Nummerink', 'Verborgen', 'Foutman', 'Genest'])
      assert.ok(!text.includes(value), `${value} in a problem`);
  });

  it('matches columns without case, _, - or spaces, and prefers the earlier candidate', () => {
    const out = read(
      mws([
        row({ STAMNUMMER: '7', Roep_Naam: 'Ada', 'Tussen-Voegsel': 'de', ACHTERNAAM: 'Wit', KLAS: '4V' }),
        row({
          leerlingnummer: '8',
          achternaam: 'Zwart',
          voorvoegsel: 'ter',
          stamgroep: 'G2',
          mentor: 'M. Een',
        }),
        // stamnr before stamnummer, stamklas before klas, mentor_naam before mentor, wherever they stand.
        row({
          stamnummer: '99',
          stamnr: '9',
          klas: '5H',
          stamklas: '5HA',
          mentor: 'XYZ',
          mentornaam: 'X. Yzer',
          geslachtsnaam: 'Officieel',
          achternaam: 'Roep',
        }),
      ]),
    );
    expect(out.problems).toEqual([]);
    expect(out.pupils).toEqual([
      {
        localId: '7',
        entry: {
          name: { roepnaam: 'Ada', tussenvoegsel: 'de', achternaam: 'Wit' },
          group: '4V',
          mentor: null,
        },
      },
      {
        localId: '8',
        entry: { name: { tussenvoegsel: 'ter', achternaam: 'Zwart' }, group: 'G2', mentor: 'M. Een' },
      },
      { localId: '9', entry: { name: { achternaam: 'Roep' }, group: '5HA', mentor: 'X. Yzer' } },
    ]);
  });

  it('gives a pupil without achternaam no name, and one without class or mentor columns none', () => {
    const out = read(mws([row({ stamnr: '1', roepnaam: 'Alleen' }), row({ stamnr: '2', achternaam: ' ' })]));
    expect(out.pupils).toEqual([
      { localId: '1', entry: { name: null, group: null, mentor: null } },
      { localId: '2', entry: { name: null, group: null, mentor: null } },
    ]);
  });

  it('answers every row of a list with other column names as a missing pupil number', () => {
    const out = read(mws([row({ leerling: '1', naam: 'Qanders' }), row({ id: '2', naam: 'Qbeide' })]));
    expect(out.pupils).toEqual([]);
    expect(out.problems.map((p) => [p.reason, p.detail])).toEqual([
      ['MISSING_FIELD', 'row[0]/stamnr (pupil number) is missing'],
      ['MISSING_FIELD', 'row[1]/stamnr (pupil number) is missing'],
    ]);
  });

  it('refuses a pupil number the registry cannot hold, or one that is not text, without quoting it', () => {
    const out = read(
      mws([
        row({ stamnr: 'Qpietje puk', achternaam: 'Qpuk' }),
        row({ stamnr: '1'.repeat(101), achternaam: 'Qlang' }),
        row({ stamnr: markup('<a>1</a>'), achternaam: 'Qgenest' }),
        row({ stamnr: markup('<a>1</a><a>2</a>'), achternaam: 'Qdubbel' }),
      ]),
    );
    expect(out.pupils).toEqual([]);
    expect(out.problems.map((p) => [p.sourceId, p.reason, p.detail])).toEqual([
      [null, 'WRONG_TYPE', 'row[0]/stamnr (pupil number) is not letters, digits and . _ : - (1–100)'],
      [null, 'WRONG_TYPE', 'row[1]/stamnr (pupil number) is not letters, digits and . _ : - (1–100)'],
      [null, 'WRONG_TYPE', 'row[2]/stamnr (pupil number) is not text'],
      [null, 'WRONG_TYPE', 'row[3]/stamnr (pupil number) is not text'],
    ]);
    assert.ok(!/Qp|Ql|Qg|Qd|1111/.test(JSON.stringify(out.problems)));
  });

  it('refuses a repeated or nested name, class or mentor column, naming the column', () => {
    const out = read(
      mws([
        row({ stamnr: '1', roepnaam: markup('<x>Qa</x><x>Qb</x>'), achternaam: 'Qc' }),
        row({ stamnr: '2', achternaam: 'Qd', klas: markup('<naam>2B</naam>') }),
        row({ stamnr: '3', achternaam: 'Qe', mentor: markup('<m>Qf</m>') }),
      ]),
    );
    expect(out.pupils).toEqual([]);
    expect(out.problems.map((p) => [p.sourceId, p.reason, p.detail])).toEqual([
      ['1', 'WRONG_TYPE', 'row[0]/roepnaam is not text'],
      ['2', 'WRONG_TYPE', 'row[1]/klas is not text'],
      ['3', 'WRONG_TYPE', 'row[2]/mentor is not text'],
    ]);
  });

  it('reads the configured column names instead of the defaults, and names them in problems', () => {
    const reader = createMagisterMwsRosterReader({
      columns: { localId: 'leerling_id', group: 'basisklas', mentor: 'klas' },
    });
    const out = read(
      mws([
        row({
          leerling_id: 'L-1',
          achternaam: 'Qeen',
          basisklas: '1C',
          klas: 'J. Mentorling',
          stamklas: '9Z',
        }),
        row({ stamnr: '2', achternaam: 'Qtwee' }),
      ]),
      reader,
    );
    expect(out.pupils).toEqual([
      { localId: 'L-1', entry: { name: { achternaam: 'Qeen' }, group: '1C', mentor: 'J. Mentorling' } },
    ]);
    expect(out.problems).toEqual([
      { sourceId: null, reason: 'MISSING_FIELD', detail: 'row[1]/leerling_id (pupil number) is missing' },
    ]);
  });

  it('refuses a configuration with an empty or doubly used column name', () => {
    assert.throws(
      () => createMagisterMwsRosterReader({ columns: { group: ' _ ' } }),
      /columns\.group is empty/,
    );
    assert.throws(
      () => createMagisterMwsRosterReader({ columns: { group: 'Klas', mentor: 'klas' } }),
      /columns\.mentor is also columns\.group/,
    );
  });

  it('gives a pupil listed twice once, with the first row', () => {
    const out = read(
      mws([
        row({ stamnr: '5', achternaam: 'Qvijf', mentor: 'Eerste Mentor' }),
        row({ stamnr: '5', achternaam: 'Qvijf', mentor: 'Tweede Mentor' }),
      ]),
    );
    expect(out.pupils).toEqual([
      { localId: '5', entry: { name: { achternaam: 'Qvijf' }, group: null, mentor: 'Eerste Mentor' } },
    ]);
    expect(out.problems).toEqual([]);
  });

  it('reads every list under Table, a single row as well as many', () => {
    const xml =
      '<Response><Result>True</Result><Table>' +
      `<Leerlingen>${row({ stamnr: '1', achternaam: 'Qa' })}</Leerlingen>` +
      `<Leerlingen>${row({ stamnr: '2', achternaam: 'Qb' })}${row({ stamnr: '3', achternaam: 'Qc' })}</Leerlingen>` +
      '</Table></Response>';
    expect(read(xml).pupils.map((p) => p.localId)).toEqual(['1', '2', '3']);
    expect(read('<Response><Result>True</Result><Table/></Response>')).toEqual({
      pupils: [],
      problems: [],
    });
  });

  it('answers a Result other than True with its Fout_nummer only, never the Fout_omschrijving', () => {
    const out = read(
      '<Response><Result>False</Result><Fout_nummer>401</Fout_nummer>' +
        '<Fout_omschrijving>Leerling Qgeheim niet gevonden</Fout_omschrijving></Response>',
    );
    expect(out).toEqual({
      pupils: [],
      problems: [
        { sourceId: null, reason: 'MALFORMED_PAYLOAD', detail: 'Result is not True (Fout_nummer 401)' },
      ],
    });
    assert.equal(read('<Response><Result>0</Result></Response>').problems[0]?.detail, 'Result is not True');
  });

  it('refuses DOCTYPE and ENTITY declarations before parsing, expanding nothing, in well under 50 ms', () => {
    const laughs = [
      '<?xml version="1.0"?><!DOCTYPE Response [',
      '<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => {
        const inner = i === 0 ? '&lol;' : `&lol${i};`;
        return `<!ENTITY lol${i + 1} "${inner.repeat(10)}">`;
      }),
      ']>',
      mws([row({ stamnr: '1', achternaam: '&lol9;' })]).replace(/^<\?xml[^>]*>/, ''),
    ].join('');
    const external =
      '<!DOCTYPE Response [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>' +
      '<Response><Result>True</Result><Table><L><Leerling><stamnr>1</stamnr><achternaam>&xxe;</achternaam></Leerling></L></Table></Response>';
    for (const payload of [laughs, external, '<!doctype r><Response/>', '<!ENTITY x "y"><Response/>']) {
      const out = read(payload);
      expect(out).toEqual({
        pupils: [],
        problems: [
          {
            sourceId: null,
            reason: 'MALFORMED_PAYLOAD',
            detail: 'payload declares a DOCTYPE or ENTITY: refused',
          },
        ],
      });
    }
  });

  it('answers what is not an MWS response as one malformed payload, never a throw', () => {
    for (const payload of [
      '',
      ' ',
      'null',
      '{"items":[]}',
      '<Response>',
      '<Response><Result>True</Result><Table>tekst</Table></Response>',
      '<Response><Result>True</Result><Table><Lijst>tekst</Lijst></Table></Response>',
      '<a/><b/>',
      '\u0000<Response/>',
    ]) {
      const out = read(payload);
      expect(out.pupils).toEqual([]);
      assert.equal(out.problems.length, 1, payload);
      assert.equal(out.problems[0].reason, 'MALFORMED_PAYLOAD');
      assert.equal(out.problems[0].sourceId, null);
    }
    expect(read(mws(['<Leerling>tekst</Leerling>'])).problems).toEqual([
      { sourceId: null, reason: 'WRONG_TYPE', detail: 'row[0] has no columns' },
    ]);
  });
});

describe('Magister MWS roster: properties', () => {
  const TEXT_CHARS = [...'abcdeéëijQXYZ \'-&<>".0123456789', 'ĳ', 'ß'];
  const cellText = fc.string({ unit: fc.constantFrom(...TEXT_CHARS), maxLength: 20 });
  const localId = fc.stringMatching(/^[A-Za-z0-9._:-]{1,20}$/);
  /** A column name for the field: any default candidate, in any case. */
  const columnOf = (field: MwsRosterField) =>
    fc
      .tuple(fc.constantFrom(...DEFAULT_ROSTER_COLUMNS[field]), fc.boolean())
      .map(([name, upper]) => (upper ? name.toUpperCase() : name));
  const optionalFields: readonly MwsRosterField[] = MWS_ROSTER_FIELDS.filter((field) => field !== 'localId');
  const generatedRow = fc.record({
    localId,
    idColumn: columnOf('localId'),
    cells: fc.array(
      fc
        .tuple(fc.constantFrom(...optionalFields), cellText)
        .chain(([field, text]) => columnOf(field).map((column) => ({ field, column, text }))),
      { maxLength: 6 },
    ),
  });

  it('any generated roster table round-trips: every row with a number gives exactly one pupil with its values', () => {
    fc.assert(
      fc.property(fc.uniqueArray(generatedRow, { selector: (r) => r.localId, maxLength: 12 }), (rows) => {
        const xmlRows = rows.map((r) => {
          // One cell per field (the XML would hold a repeated column as a list).
          const byField = new Map(r.cells.map((cell) => [cell.field, cell]));
          const columns: Record<string, string> = { [r.idColumn]: r.localId };
          for (const cell of byField.values()) columns[cell.column] = cell.text;
          return { row: row(columns), byField };
        });
        const out = read(mws(xmlRows.map((r) => r.row)));
        expect(out.problems).toEqual([]);
        assert.equal(out.pupils.length, rows.length);
        rows.forEach((r, at) => {
          const value = (field: MwsRosterField): string | null => {
            const text = xmlRows[at].byField.get(field)?.text.trim();
            return text === undefined || text === '' ? null : text;
          };
          const achternaam = value('achternaam');
          const name =
            achternaam === null
              ? null
              : Object.fromEntries(
                  (['roepnaam', 'voornamen', 'tussenvoegsel', 'achternaam'] as const)
                    .map((field) => [field, value(field)] as const)
                    .filter(([, text]) => text !== null),
                );
          expect(out.pupils[at]).toEqual({
            localId: r.localId,
            entry: { name, group: value('group'), mentor: value('mentor') },
          });
        });
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary text, nor on any cut of a valid roster', () => {
    const valid = readFileSync(fixture, 'utf8');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: fc.constantFrom(...'<>/!?&;#[]"\' =ResponsTablRuLg'), maxLength: 300 }),
          fc
            .tuple(fc.nat(valid.length), fc.nat(valid.length))
            .map(([a, b]) => valid.slice(Math.min(a, b), Math.max(a, b))),
          cellText.map((text) => mws([`<Leerling>${text}</Leerling>`])),
        ),
        (payload) => {
          const out = read(payload);
          assert.ok(Array.isArray(out.pupils) && Array.isArray(out.problems));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('no name, class or mentor ever appears in a problem detail', () => {
    const secret = fc.stringMatching(/^Q[a-z]{4,12}$/);
    const badRow = fc.record({
      kind: fc.constantFrom('no-number', 'bad-number', 'nested-name', 'nested-mentor', 'error-row'),
      name: secret,
      mentor: secret,
      group: secret,
    });
    fc.assert(
      fc.property(fc.array(badRow, { minLength: 1, maxLength: 8 }), (rows) => {
        const xml = mws(
          rows.map((r, at) => {
            const base = { achternaam: r.name, klas: r.group, mentor: r.mentor };
            switch (r.kind) {
              case 'no-number':
                return row(base);
              case 'bad-number':
                return row({ stamnr: `${r.name} ${at}`, ...base });
              case 'nested-name':
                return row({ stamnr: String(at), ...base, achternaam: markup(`<deel>${r.name}</deel>`) });
              case 'nested-mentor':
                return row({ stamnr: String(at), ...base, mentor: markup(`<m>${r.mentor}</m>`) });
              default:
                return row({ Fout_nummer: '1203', Fout_omschrijving: `Leerling ${r.name} niet gevonden` });
            }
          }),
        );
        const out = read(xml);
        assert.equal(out.pupils.length, 0);
        assert.equal(out.problems.length, rows.length);
        const text = JSON.stringify(out.problems);
        for (const r of rows)
          for (const value of [r.name, r.mentor, r.group]) assert.ok(!text.includes(value));
      }),
      { numRuns: 200 },
    );
  });
});
