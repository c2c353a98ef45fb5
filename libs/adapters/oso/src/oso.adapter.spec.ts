import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type AdapterOutput, type SourceAggregate, type SourceRecord, QUARANTINE_REASONS } from '#domain';
import { osoAdapter } from './index.js';
import { aSourceRecord } from '#testing';

// Compiled to dist/libs/adapters/oso/src/: six levels up is the folder holding the checkout and ../shared.
const sharedFixtures = fileURLToPath(
  new URL('../../../../../../shared/fixtures/source-systems/', import.meta.url),
);
// The corpus stays in the source tree (fixtures are not compiled).
const corpus = fileURLToPath(new URL('../../../../../libs/adapters/oso/fixtures/', import.meta.url));

const read = (path: string): string => readFileSync(path, 'utf8');

/** Every persoonsgebonden nummer used in the fixtures: none may appear anywhere in any output. */
const PGNS = ['269326728', '111222333', '100000009'];

const NS = 'http://www.edustandaard.nl/oso_gegevensset/2019/dossier';

function parse(payload: string): AdapterOutput {
  let output: AdapterOutput | undefined;
  assert.doesNotThrow(() => {
    output = osoAdapter.parse(payload);
  });
  for (const pgn of PGNS) assert.ok(!JSON.stringify(output).includes(pgn), 'a BSN/onderwijsnummer leaked');
  return output!;
}

function aggregateRecord(fields: {
  sourceId: string;
  localId: string;
  school: SourceRecord['school'];
  date: string;
  aggregate: SourceAggregate;
}): SourceRecord {
  return aSourceRecord({
    sourceSystem: 'oso',
    sourceRecordType: 'aggregate',
    sourceId: fields.sourceId,
    pupil: { localId: fields.localId },
    school: fields.school,
    via: 'AGGREGATE',
    date: fields.date,
    aggregate: fields.aggregate,
  });
}

/** Every string leaf of length ≥ 3 in a value: what `detail` must never quote. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && value.length >= 3) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => leaves(v, out));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => leaves(v, out));
  return out;
}

/** A minimal dossier around the given leerling elements. */
function dossier(leerlingen: string, datum = '2026-01-09', school = '<brincode>00YY</brincode>'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<dossier xmlns="${NS}"><metadata><datum>${datum}</datum></metadata>
<huidigeschool>${school}${leerlingen}</huidigeschool></dossier>`;
}
const leerling = (id: string, verzuim: string): string =>
  `<leerling><bsn>269326728</bsn><leerlingid>${id}</leerlingid>${verzuim}</leerling>`;
const poVerzuim = (authorised: number, unauthorised: number): string =>
  `<verzuim><dagdelengeoorloofd>${authorised}</dagdelengeoorloofd><dagdelenongeoorloofd>${unauthorised}</dagdelenongeoorloofd></verzuim>`;

/** The expected records of every file in fixtures/ok/, worked out by hand. */
const expectedOk: Record<string, SourceRecord[]> = {
  // Prefixed elements; leading-zero ids kept as text; 12 months before 2026-03-15.
  'po-dossier-prefixed.xml': [
    aggregateRecord({
      sourceId: '12AB01/0193/2026-03-15',
      localId: '0193',
      school: { brin: '12AB', vestiging: '01' },
      date: '2026-03-15',
      aggregate: { unit: 'DAY_PART', authorised: 7, unauthorised: 0, from: '2025-03-15', to: '2026-03-14' },
    }),
  ],
  // Dossier made on a leap day: the year before runs 2023-03-01..2024-02-28; BRIN upper-cased; &#45; decoded.
  'vo-dossier-leap-day.xml': [
    aggregateRecord({
      sourceId: '00AB02/VO-55821/2024-02-29',
      localId: 'VO-55821',
      school: { brin: '00AB', vestiging: '02' },
      date: '2024-02-29',
      aggregate: { unit: 'HOUR', authorised: 14, unauthorised: 5.5, from: '2023-03-01', to: '2024-02-28' },
    }),
  ],
  // No vestigingscode, only the unauthorised total.
  'vo-dossier-unauthorised-only.xml': [
    aggregateRecord({
      sourceId: '98ZZ/310442/2025-08-01',
      localId: '310442',
      school: { brin: '98ZZ' },
      date: '2025-08-01',
      aggregate: { unit: 'HOUR', authorised: null, unauthorised: 22, from: '2024-08-01', to: '2025-07-31' },
    }),
  ],
};

describe('osoAdapter', () => {
  it('identifies itself as the oso aggregate adapter', () => {
    assert.equal(osoAdapter.system, 'oso');
    expect(osoAdapter.produces).toEqual(['records']);
  });

  describe('shared example oso-dossier-po.xml', () => {
    const payload = read(join(sharedFixtures, 'oso-dossier-po.xml'));

    it('gives one day-part aggregate for the 12 months before the dossier date', () => {
      const output = parse(payload);
      expect(output.records).toEqual([
        aggregateRecord({
          sourceId: '00YY00/LN094837/2016-01-02',
          localId: 'LN094837',
          school: { brin: '00YY', vestiging: '00' },
          date: '2016-01-02',
          aggregate: {
            unit: 'DAY_PART',
            authorised: 12,
            unauthorised: 2,
            from: '2015-01-02',
            to: '2016-01-01',
          },
        }),
      ]);
      expect(output.lessons).toEqual([]);
      expect(output.quarantined).toEqual([]);
    });

    it('never lets the BSN 269326728 into the output', () => {
      assert.ok(payload.includes('269326728'));
      assert.ok(!JSON.stringify(osoAdapter.parse(payload)).includes('269326728'));
    });
  });

  describe('shared example oso-verzuim-vo-fragment.xml', () => {
    it('quarantines the bare verzuim fragment as MISSING_FIELD (no pupil), keeping its hour totals', () => {
      const output = parse(read(join(sharedFixtures, 'oso-verzuim-vo-fragment.xml')));
      expect(output.records).toEqual([]);
      expect(output.lessons).toEqual([]);
      assert.equal(output.quarantined.length, 1);
      const [item] = output.quarantined;
      assert.equal(item.reason, 'MISSING_FIELD');
      assert.equal(item.sourceId, null);
      assert.match(item.detail, /leerlingid/);
      expect(item.raw).toEqual({
        verzuim: {
          urengeoorloofd: '3',
          urenongeoorloofd: '6',
          meerdan25percent: 'false',
          frequentie: '2',
          contactleerplicht: 'true',
          rmcmelding: 'true',
        },
      });
    });

    it('reads the same totals once the fragment sits in a dossier with a leerlingid', () => {
      const fragment = read(join(sharedFixtures, 'oso-verzuim-vo-fragment.xml'));
      const output = parse(
        dossier(`<leerling><leerlingid>VO7</leerlingid>${fragment}</leerling>`, '2026-01-09'),
      );
      expect(output.quarantined).toEqual([]);
      expect(output.records[0]?.aggregate).toEqual({
        unit: 'HOUR',
        authorised: 3,
        unauthorised: 6,
        from: '2025-01-09',
        to: '2026-01-08',
      });
    });
  });

  describe('fixtures/ok', () => {
    const files = readdirSync(join(corpus, 'ok')).sort();

    it('has an expectation for every file', () => {
      assert.ok(files.length >= 2);
      expect(files).toEqual(Object.keys(expectedOk).sort());
    });

    for (const file of files) {
      it(`${file}: the expected aggregate records, nothing quarantined`, () => {
        const output = parse(read(join(corpus, 'ok', file)));
        expect(output.quarantined).toEqual([]);
        expect(output.lessons).toEqual([]);
        expect(output.records).toEqual(expectedOk[file]);
      });
    }
  });

  describe('fixtures/not-ok', () => {
    const files = readdirSync(join(corpus, 'not-ok')).sort();

    it('has files for every failure mode the adapter reports', () => {
      const codes = new Set(files.map(codeOf));
      for (const code of ['MALFORMED_PAYLOAD', 'MISSING_FIELD', 'WRONG_TYPE', 'IMPOSSIBLE_TIME']) {
        assert.ok(codes.has(code), code);
      }
    });

    for (const file of files) {
      it(`${file}: one quarantined item coded ${codeOf(file)}, no BSN anywhere`, () => {
        const output = parse(read(join(corpus, 'not-ok', file)));
        expect(output.records).toEqual([]);
        expect(output.lessons).toEqual([]);
        assert.equal(output.quarantined.length, 1);
        const [item] = output.quarantined;
        assert.equal(item.reason, codeOf(file));
        assert.equal(item.quarantined, true);
        assert.equal(item.sourceSystem, 'oso');
        assert.ok(item.detail.length > 0);
        if (typeof item.raw !== 'string') {
          for (const value of leaves(item.raw))
            assert.ok(!item.detail.includes(value), 'detail quotes a value');
        }
        if (item.reason === 'MALFORMED_PAYLOAD') assert.equal(item.sourceId, null);
      });
    }
  });

  describe('XML security', () => {
    it('rejects a billion-laughs payload quickly, without expanding anything', () => {
      const payload = read(join(corpus, 'not-ok', 'malformed-payload.doctype-billion-laughs.xml'));
      const started = performance.now();
      const output = parse(payload);
      assert.ok(performance.now() - started < 500);
      expect(output.quarantined.map((q) => q.reason)).toEqual(['MALFORMED_PAYLOAD']);
      assert.ok(!JSON.stringify(output).includes('lollol'));
      assert.ok(JSON.stringify(output).length < payload.length * 2);
    });

    it('rejects an external entity (file:///etc/passwd) without reading it', () => {
      const payload = read(join(corpus, 'not-ok', 'malformed-payload.doctype-external-entity.xml'));
      assert.ok(payload.includes('SYSTEM "file:///etc/passwd"'));
      const started = performance.now();
      const output = parse(payload);
      assert.ok(performance.now() - started < 500);
      expect(output.quarantined.map((q) => q.reason)).toEqual(['MALFORMED_PAYLOAD']);
      expect(output.records).toEqual([]);
      assert.ok(!JSON.stringify(output).includes('root:'));
    });

    it('rejects any DTD, in any case, wherever it sits', () => {
      const ok = dossier(leerling('A1', poVerzuim(1, 1)));
      const variants = [
        ok.replace('<dossier', '<!doctype dossier>\n<dossier'),
        ok.replace('<dossier', '<!DOCTYPE dossier SYSTEM "http://example.invalid/oso.dtd">\n<dossier'),
        ok.replace('</huidigeschool>', '<!ENTITY x "y"></huidigeschool>'),
        ' '.repeat(1_000_000) + '<!DOCTYPE d [<!ENTITY a "a">]>' + ok,
      ];
      for (const payload of variants) {
        expect(parse(payload).quarantined.map((q) => q.reason)).toEqual(['MALFORMED_PAYLOAD']);
      }
    });

    it('leaves undeclared entity references as text instead of resolving them', () => {
      const output = parse(dossier(leerling('A&ext;1', poVerzuim(1, 1))));
      assert.equal(output.records[0]?.pupil.localId, 'A&ext;1');
    });

    it('strips the BSN from the raw of a payload cut off in the middle of it', () => {
      const [item] = parse(read(join(corpus, 'not-ok', 'malformed-payload.truncated-xml.xml'))).quarantined;
      assert.equal(typeof item.raw, 'string');
      assert.ok(!(item.raw as string).includes('2693'));
      assert.ok((item.raw as string).includes('<brincode>00YY</brincode>'));
    });
  });

  describe('decisions', () => {
    it('skips a leerling without a verzuim element (the category is optional), without quarantine', () => {
      const output = parse(dossier('<leerling><bsn>269326728</bsn><leerlingid>A1</leerlingid></leerling>'));
      expect(output).toEqual({ records: [], lessons: [], quarantined: [] });
    });

    it('reads every leerling of a dossier; a bad one does not stop the others', () => {
      const output = parse(
        dossier(
          leerling('A1', poVerzuim(3, 1)) +
            '<leerling><bsn>269326728</bsn>' +
            poVerzuim(2, 2) +
            '</leerling>',
        ),
      );
      expect(
        output.records.map((r) => [r.sourceId, r.aggregate?.authorised, r.aggregate?.unauthorised]),
      ).toEqual([['00YY/A1/2026-01-09', 3, 1]]);
      expect(output.quarantined.map((q) => [q.reason, q.sourceId])).toEqual([['MISSING_FIELD', null]]);
      // The raw keeps the dossier around the bad leerling only (for replay), without the BSN.
      expect(output.quarantined[0]?.raw).toEqual({
        dossier: {
          metadata: { datum: '2026-01-09' },
          huidigeschool: {
            brincode: '00YY',
            leerling: [{ verzuim: { dagdelengeoorloofd: '2', dagdelenongeoorloofd: '2' } }],
          },
        },
      });
    });

    it('puts the sourceId of the leerling on an item-level quarantine', () => {
      const [item] = parse(
        dossier(leerling('A1', '<verzuim><dagdelengeoorloofd>1,5</dagdelengeoorloofd></verzuim>')),
      ).quarantined;
      expect([item.reason, item.sourceId]).toEqual(['WRONG_TYPE', '00YY/A1/2026-01-09']);
      assert.ok(!JSON.stringify(item.raw).includes('bsn'));
    });

    it('takes the 12 months before the dossier date, both bounds inclusive', () => {
      const period = (datum: string) => {
        const aggregate = parse(dossier(leerling('A1', poVerzuim(1, 1)), datum)).records[0]?.aggregate;
        return [aggregate?.from, aggregate?.to];
      };
      expect(period('2016-01-02')).toEqual(['2015-01-02', '2016-01-01']);
      expect(period('2026-01-01')).toEqual(['2025-01-01', '2025-12-31']);
      expect(period('2024-03-01')).toEqual(['2023-03-01', '2024-02-29']);
      expect(period('2024-02-29')).toEqual(['2023-03-01', '2024-02-28']);
      expect(period('2016-01-02+01:00')).toEqual(['2015-01-02', '2016-01-01']);
    });

    it('quarantines dossier-level shape problems once, naming the field', () => {
      const body = `<huidigeschool><brincode>00YY</brincode>${leerling('A1', poVerzuim(1, 1))}</huidigeschool>`;
      const cases: [string, string, RegExp][] = [
        [`<dossier xmlns="${NS}"><metadata/>${body}</dossier>`, 'MISSING_FIELD', /metadata\/datum/],
        [`<dossier xmlns="${NS}">${body}</dossier>`, 'MISSING_FIELD', /metadata\/datum/],
        [
          `<dossier xmlns="${NS}"><metadata><datum>2026-01-09</datum></metadata></dossier>`,
          'MISSING_FIELD',
          /huidigeschool/,
        ],
        [
          `<dossier xmlns="${NS}"><metadata><datum>2026-01-09</datum></metadata>${body}${body}</dossier>`,
          'WRONG_TYPE',
          /huidigeschool/,
        ],
        [dossier('', '2026-01-09'), 'MISSING_FIELD', /leerling/],
        [
          dossier(leerling('A1', poVerzuim(1, 1)), '2026-01-09', '<brincode>YY00</brincode>'),
          'WRONG_TYPE',
          /brincode/,
        ],
      ];
      for (const [payload, reason, detail] of cases) {
        const output = parse(payload);
        expect(output.records).toEqual([]);
        expect(output.quarantined.map((q) => [q.reason, q.sourceId])).toEqual([[reason, null]]);
        assert.match(output.quarantined[0].detail, detail);
      }
    });

    it('accepts empty total elements as "not given"', () => {
      const [record] = parse(
        dossier(
          leerling(
            'A1',
            '<verzuim><dagdelengeoorloofd/><dagdelenongeoorloofd>4</dagdelenongeoorloofd></verzuim>',
          ),
        ),
      ).records;
      expect([record?.aggregate?.authorised, record?.aggregate?.unauthorised]).toEqual([null, 4]);
    });

    it('quarantines a leerling or huidigeschool fragment: no dossier date to pin the totals on', () => {
      for (const fragment of [
        `<leerling xmlns="${NS}"><leerlingid>A1</leerlingid>${poVerzuim(1, 1)}</leerling>`,
        `<huidigeschool xmlns="${NS}"><brincode>00YY</brincode>${leerling('A1', poVerzuim(1, 1))}</huidigeschool>`,
      ]) {
        const output = parse(fragment);
        expect(output.quarantined.map((q) => [q.reason, q.sourceId])).toEqual([['MISSING_FIELD', null]]);
        assert.match(output.quarantined[0].detail, /metadata\/datum/);
      }
    });

    it('reads a payload with a byte-order mark', () => {
      assert.equal(parse('\uFEFF' + dossier(leerling('A1', poVerzuim(1, 1)))).records.length, 1);
    });

    it('uses only reasons from the domain list', () => {
      const files = readdirSync(join(corpus, 'not-ok'));
      for (const file of files) {
        for (const q of parse(read(join(corpus, 'not-ok', file))).quarantined) {
          assert.ok(QUARANTINE_REASONS.includes(q.reason));
        }
      }
    });

    it('parses a 50 MB dossier', () => {
      const one = leerling('LN000000', poVerzuim(12, 2)) + '<!-- ' + 'x'.repeat(200) + ' -->';
      const count = Math.ceil((50 * 1024 * 1024) / one.length);
      const parts: string[] = [];
      for (let i = 0; i < count; i += 1)
        parts.push(one.replace('LN000000', `LN${String(i).padStart(6, '0')}`));
      const payload = dossier(parts.join('\n'));
      assert.ok(payload.length >= 50 * 1024 * 1024);
      const output = parse(payload);
      assert.equal(output.records.length, count);
      assert.equal(output.quarantined.length, 0);
      assert.equal(output.records[count - 1]?.pupil.localId, `LN${String(count - 1).padStart(6, '0')}`);
    });
  });
});

/** `missing-field.no-leerlingid.xml` → `MISSING_FIELD`. */
function codeOf(file: string): string {
  return file.split('.')[0].toUpperCase().replaceAll('-', '_');
}
