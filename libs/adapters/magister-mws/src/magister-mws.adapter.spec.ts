import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { SourceRecord } from '#domain';
import { createMagisterMwsAdapter, magisterMwsAdapter } from './index.js';
import { parseWellFormed } from './mws-xml.js';
import { aSourceRecord } from '#testing';

// From dist/libs/adapters/magister-mws/src/ to the checkout's sibling ../shared.
const SHARED = new URL('../../../../../../shared/fixtures/source-systems/', import.meta.url);
const example = readFileSync(fileURLToPath(new URL('magister-mws-verantwoordingen.xml', SHARED)), 'utf8');

function verantwoording(
  fields: Partial<SourceRecord> & Pick<SourceRecord, 'sourceId' | 'kind' | 'date' | 'pupil'>,
): SourceRecord {
  return aSourceRecord({
    sourceSystem: 'magister-mws',
    sourceRecordType: 'verantwoording',
    ...fields,
  });
}

/** A response with the given rows (each row: column → text). */
function response(rows: readonly Record<string, string>[], result = 'True'): string {
  const body = rows
    .map((row) => {
      const cells = Object.entries(row).map(([column, text]) => `<${column}>${text}</${column}>`);
      return `<Verantwoording>${cells.join('')}</Verantwoording>`;
    })
    .join('');
  return `<?xml version="1.0"?><Response><Result>${result}</Result><Table><Verantwoordingen>${body}</Verantwoordingen></Table></Response>`;
}
const ROW = {
  verantwoording_id: '1',
  stamnummer: '21457',
  agendaitem_id: '5512093',
  moment: '2025-10-14T08:30:00',
  lesuur: '2',
  verantwoordingtype: '1',
  aanwezigheidsreden_code: 'SP',
  aanwezigheidsreden_geoorloofd: '0',
};

describe('magister-mws adapter: shared example magister-mws-verantwoordingen.xml', () => {
  it('has no verantwoordingtype column: without the school reason list both rows are UNKNOWN_KIND', () => {
    const out = magisterMwsAdapter.parse(example);
    expect(out.records).toEqual([]);
    expect(out.quarantined.map((q) => [q.sourceId, q.reason])).toEqual([
      ['884213', 'UNKNOWN_KIND'],
      ['884377', 'UNKNOWN_KIND'],
    ]);
  });

  const adapter = createMagisterMwsAdapter({ reasonTypes: { LO: 2, ZK: 'ziek' } });
  const out = adapter.parse(example);

  it('with the reason list, reads both rows and quarantines none', () => {
    assert.equal(out.records.length, 2);
    expect(out.quarantined).toEqual([]);
    expect(out.lessons).toEqual([]);
  });

  it('884213: lesson hour 2 on 14 October 2025, code LO, not geoorloofd, agenda item as lesson reference', () => {
    expect(out.records[0]).toEqual(
      verantwoording({
        sourceId: '884213',
        pupil: { localId: '21457', leerlingnummer: '21457' },
        kind: 'LATE',
        authorisedFlag: false,
        reasonCode: 'LO',
        date: '2025-10-14',
        lessonHourFrom: 2,
        lessonHourTo: 2,
        lessonRef: '5512093',
      }),
    );
  });

  it('884377: 15 October 2025 (midnight moment: the date only), no lesson hour, ZK, geoorloofd', () => {
    expect(out.records[1]).toEqual(
      verantwoording({
        sourceId: '884377',
        pupil: { localId: '21457', leerlingnummer: '21457' },
        kind: 'SICK',
        authorisedFlag: true,
        reasonCode: 'ZK',
        date: '2025-10-15',
        // An agenda item is linked, so it is that item, not the whole day.
        lessonRef: '5512188',
      }),
    );
  });

  it('keeps neither the remark nor who noted it', () => {
    const text = JSON.stringify(out.records);
    assert.ok(!text.includes('bus te laat'));
    assert.ok(!text.includes('1032'));
  });
});

describe('magister-mws adapter: columns', () => {
  it('declares its system and that it produces records only', () => {
    assert.equal(magisterMwsAdapter.system, 'magister-mws');
    expect([...magisterMwsAdapter.produces]).toEqual(['records']);
  });

  it('keeps a stamnummer as text, leading zeros included', () => {
    const out = magisterMwsAdapter.parse(response([{ ...ROW, stamnummer: '007' }]));
    expect(out.records[0]?.pupil).toEqual({ localId: '007', leerlingnummer: '007' });
  });

  it('no lesson hour and no agenda item is the whole day', () => {
    const out = magisterMwsAdapter.parse(response([{ ...ROW, lesuur: '', agendaitem_id: '' }]));
    assert.equal(out.records[0]?.wholeDay, true);
    assert.equal(out.records[0]?.lessonHourFrom, null);
    assert.equal(out.records[0]?.lessonRef, null);
    const zero = magisterMwsAdapter.parse(response([{ ...ROW, lesuur: '', agendaitem_id: '0' }]));
    assert.equal(zero.records[0]?.wholeDay, true);
  });

  it('reads Verantwoordingtype numbers and names; 5 and unknown names are UNKNOWN_KIND', () => {
    const kinds = [
      '1',
      '2',
      '3',
      '4',
      '6',
      '7',
      '8',
      'Absent',
      'Te laat',
      'ZIEK',
      'Uit de les',
      'Vrijstelling',
    ].map(
      (type) => magisterMwsAdapter.parse(response([{ ...ROW, verantwoordingtype: type }])).records[0]?.kind,
    );
    expect(kinds).toEqual([
      'ABSENT',
      'LATE',
      'SICK',
      'SENT_OUT',
      'EXEMPTION',
      'NOT_ATTENDANCE',
      'NOT_ATTENDANCE',
      'ABSENT',
      'LATE',
      'SICK',
      'SENT_OUT',
      'EXEMPTION',
    ]);
    for (const type of ['5', '0', '9', 'Dokter']) {
      const out = magisterMwsAdapter.parse(response([{ ...ROW, verantwoordingtype: type }]));
      assert.equal(out.quarantined[0]?.reason, 'UNKNOWN_KIND', type);
      assert.ok(!out.quarantined[0].detail.includes('Dokter'));
    }
  });

  it('a type column wins over the reason list; the reason list is looked up by exact code', () => {
    const adapter = createMagisterMwsAdapter({ reasonTypes: { SP: 3, constructor: 1 } });
    assert.equal(adapter.parse(response([ROW])).records[0]?.kind, 'ABSENT');
    const { verantwoordingtype: _type, ...untyped } = ROW;
    assert.equal(adapter.parse(response([untyped])).records[0]?.kind, 'SICK');
    const other = adapter.parse(response([{ ...untyped, aanwezigheidsreden_code: 'toString' }]));
    assert.equal(other.quarantined[0]?.reason, 'UNKNOWN_KIND');
  });

  it('geoorloofd: 1/0, True/False, ja/nee; empty is null, never false', () => {
    const flag = (text: string) =>
      magisterMwsAdapter.parse(response([{ ...ROW, aanwezigheidsreden_geoorloofd: text }])).records[0]
        ?.authorisedFlag;
    expect(['1', '0', 'True', 'false', 'ja', 'Nee', '', '-1'].map(flag)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      null,
      true,
    ]);
  });

  it('trims the code and decodes the predefined XML entities in it', () => {
    const out = magisterMwsAdapter.parse(response([{ ...ROW, aanwezigheidsreden_code: '  V&amp;L&#233; ' }]));
    assert.equal(out.records[0]?.reasonCode, 'V&Lé');
  });

  it('matches column names without case or underscores, and takes a school column name from the options', () => {
    const { stamnummer: _s, ...rest } = ROW;
    const odd = magisterMwsAdapter.parse(response([{ ...rest, StamNr: '21457' }]));
    assert.equal(odd.records[0]?.pupil.localId, '21457');
    const own = createMagisterMwsAdapter({ columns: { pupil: 'll_nummer' } }).parse(
      response([{ ...rest, ll_nummer: '30001', stamnummer: '99999' }]),
    );
    assert.equal(own.records[0]?.pupil.localId, '30001');
    const missing = createMagisterMwsAdapter({ columns: { pupil: 'll_nummer' } }).parse(response([ROW]));
    expect(missing.quarantined.map((q) => [q.reason, q.detail])).toEqual([
      ['MISSING_FIELD', 'll_nummer (pupil) is missing'],
    ]);
  });

  it('reads the date of a moment with a zone in Amsterdam time (summer: 22:00Z is the next day)', () => {
    const out = magisterMwsAdapter.parse(response([{ ...ROW, moment: '2025-06-30T22:00:00Z' }]));
    assert.equal(out.records[0]?.date, '2025-07-01');
    const winter = magisterMwsAdapter.parse(response([{ ...ROW, moment: '2025-12-31T23:00:00.0000000Z' }]));
    assert.equal(winter.records[0]?.date, '2026-01-01');
  });

  it('an empty Table, or none, gives nothing and quarantines nothing', () => {
    for (const payload of [
      '<Response><Result>True</Result><Table/></Response>',
      '<Response><Result>True</Result></Response>',
      '<Response><Result>True</Result><Table><Verantwoordingen/></Table></Response>',
    ]) {
      expect(magisterMwsAdapter.parse(payload)).toEqual({ records: [], lessons: [], quarantined: [] });
    }
  });
});

describe('magister-mws adapter: errors of the service', () => {
  it('a Result other than True is one MALFORMED_PAYLOAD naming the error number, never the error text', () => {
    const out = magisterMwsAdapter.parse(
      '<Response><Result>False</Result><Fout_nummer>17</Fout_nummer>' +
        '<Fout_omschrijving>Leerling 21457 J. de Vries onbekend</Fout_omschrijving></Response>',
    );
    expect(out.records).toEqual([]);
    assert.equal(out.quarantined.length, 1);
    assert.equal(out.quarantined[0].reason, 'MALFORMED_PAYLOAD');
    assert.equal(out.quarantined[0].detail, 'Result is not True (Fout_nummer 17)');
  });

  it('an error row is quarantined on its own, naming only its number', () => {
    const out = magisterMwsAdapter.parse(
      response([
        ROW,
        { Fout_nummer: '1203', Fout_omschrijving: 'Leerling 21457 (J. de Vries) niet gevonden' },
      ]),
    );
    assert.equal(out.records.length, 1);
    expect(out.quarantined.map((q) => [q.reason, q.detail])).toEqual([
      ['MALFORMED_PAYLOAD', 'error row (Fout_nummer 1203)'],
    ]);
  });

  it('a Fout_nummer that is not a plain number is not repeated', () => {
    const out = magisterMwsAdapter.parse(
      '<Response><Result>False</Result><Fout_nummer>leerling 21457</Fout_nummer></Response>',
    );
    assert.equal(out.quarantined[0].detail, 'Result is not True');
  });
});

describe('magister-mws adapter: entity attacks', () => {
  const laughs = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE Response [',
    '<!ENTITY lol "lol">',
    ...Array.from({ length: 9 }, (_, i) => {
      const inner = i === 0 ? '&lol;' : `&lol${i};`;
      return `<!ENTITY lol${i + 1} "${inner.repeat(10)}">`;
    }),
    ']>',
    '<Response><Result>True</Result><Table><Verantwoordingen><Verantwoording>',
    '<verantwoording_id>1</verantwoording_id><stamnummer>1</stamnummer><moment>2025-10-14</moment>',
    '<verantwoordingtype>1</verantwoordingtype><aanwezigheidsreden_code>&lol9;</aanwezigheidsreden_code>',
    '</Verantwoording></Verantwoordingen></Table></Response>',
  ].join('\n');
  const external = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE Response [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>',
    '<Response><Result>True</Result><Table><Verantwoordingen><Verantwoording>',
    '<verantwoording_id>1</verantwoording_id><stamnummer>&xxe;</stamnummer><moment>2025-10-14</moment>',
    '<verantwoordingtype>1</verantwoordingtype>',
    '</Verantwoording></Verantwoordingen></Table></Response>',
  ].join('\n');

  for (const [name, payload] of [
    ['billion laughs', laughs],
    ['external entity (file:///etc/passwd)', external],
    ['lower-case doctype', external.replace('<!DOCTYPE', '<!doctype')],
    [
      'parameter entity',
      '<!DOCTYPE r [ <!ENTITY % p SYSTEM "http://example.invalid/x.dtd"> %p; ]><Response/>',
    ],
  ] as const) {
    it(`${name}: refused as MALFORMED_PAYLOAD, nothing expanded`, () => {
      const out = magisterMwsAdapter.parse(payload);
      expect(out.records).toEqual([]);
      assert.equal(out.quarantined.length, 1);
      assert.equal(out.quarantined[0].reason, 'MALFORMED_PAYLOAD');
      assert.equal(out.quarantined[0].detail, 'payload declares a DOCTYPE or ENTITY: refused');
      // The raw entry is the payload as received, not an expansion of it.
      assert.equal(out.quarantined[0].raw, payload);
      assert.ok(!JSON.stringify(out).includes('lollollol'));
      assert.ok(!JSON.stringify(out).includes('root:'));
    });
  }

  it('behind the DOCTYPE check, the parser itself expands no declared entity and reads no file', () => {
    const inner = parseWellFormed(laughs);
    assert.ok(!JSON.stringify(inner).includes('lollol'));
    const file = parseWellFormed(external);
    assert.ok(!JSON.stringify(file).includes('root:'));
  });

  it('an undeclared entity stays text', () => {
    const out = magisterMwsAdapter.parse(response([{ ...ROW, aanwezigheidsreden_code: '&xxe;' }]));
    assert.equal(out.records[0]?.reasonCode, '&xxe;');
  });
});
