import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { type AdapterOutput, type SourceRecord, QUARANTINE_REASONS } from '#domain';
import { csvAdapter, CSV_RECORD_TYPES } from './index.js';
import { aSourceRecord } from '#testing';

// Compiled to dist/libs/adapters/csv/src/; the corpus stays in the source tree (fixtures are not compiled).
const corpus = fileURLToPath(new URL('../../../../../libs/adapters/csv/fixtures/', import.meta.url));

const read = (path: string): string => readFileSync(path, 'utf8');

function parse(payload: string): AdapterOutput {
  let output: AdapterOutput | undefined;
  assert.doesNotThrow(() => {
    output = csvAdapter.parse(payload);
  });
  return output!;
}

/** A csv source record with everything a row leaves out at its default. */
function record(
  fields: Partial<SourceRecord> & Pick<SourceRecord, 'sourceId' | 'pupil' | 'date' | 'kind' | 'via'>,
) {
  const base: SourceRecord = aSourceRecord({
    sourceSystem: 'csv',
    sourceRecordType: 'registratie',
    ...fields,
  });
  return base;
}

/** Every string leaf of length ≥ 3 in a value: what `detail` must never quote. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && value.length >= 3) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => leaves(v, out));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => leaves(v, out));
  return out;
}

const vo = { brin: '00YY', vestiging: '00' };
const po = { brin: '12AB', vestiging: '01' };

/** The expected records of every file in fixtures/ok/, worked out by hand from the format spec (README). */
const expectedOk: Record<string, SourceRecord[]> = {
  // BOM, `;`, CRLF; a Dutch date; a block hour; a quoted field; H:mm; a free-text column that is ignored.
  'vo-lesson-hours-semicolon-bom.csv': [
    record({
      sourceId: '4711/2026-01-13/u1/teacher_check',
      pupil: { localId: '4711', leerlingnummer: '20231' },
      school: vo,
      date: '2026-01-13',
      lessonHourFrom: 1,
      lessonHourTo: 1,
      kind: 'ABSENT',
      reasonCode: 'ONG',
      authorisedFlag: false,
      via: 'TEACHER_CHECK',
    }),
    record({
      sourceId: 'R-1001',
      pupil: { localId: '4711', leerlingnummer: '20231' },
      school: vo,
      date: '2026-01-13',
      lessonHourFrom: 2,
      lessonHourTo: 3,
      kind: 'SICK',
      reasonCode: 'ZK',
      authorisedFlag: true,
      via: 'REPORT',
    }),
    record({
      sourceId: '4711/2026-01-13/u2/teacher_check',
      pupil: { localId: '4711', leerlingnummer: '20231' },
      school: vo,
      date: '2026-01-13',
      lessonHourFrom: 2,
      lessonHourTo: 2,
      kind: 'ABSENT',
      via: 'TEACHER_CHECK',
      explainedByRef: 'R-1001',
    }),
    record({
      sourceId: '4712/2026-01-13/u1/teacher_check',
      pupil: { localId: '4712', leerlingnummer: '20232' },
      school: vo,
      date: '2026-01-13',
      start: '2026-01-13T08:30:00',
      end: '2026-01-13T09:20:00',
      lessonHourFrom: 1,
      lessonHourTo: 1,
      kind: 'LATE',
      reasonCode: 'TL',
      authorisedFlag: false,
      via: 'TEACHER_CHECK',
      arrivedAt: '2026-01-13T08:47:00',
    }),
    record({
      sourceId: '4714/2026-01-14/u4/teacher_check',
      pupil: { localId: '4714', leerlingnummer: '20234' },
      school: vo,
      date: '2026-01-14',
      lessonHourFrom: 4,
      lessonHourTo: 4,
      kind: 'SENT_OUT',
      reasonCode: 'VW',
      via: 'TEACHER_CHECK',
    }),
    record({
      sourceId: 'R-1002',
      pupil: { localId: '4715', leerlingnummer: '20235' },
      school: vo,
      date: '2026-01-14',
      wholeDay: true,
      kind: 'EXEMPTION',
      reasonCode: 'VRIJ',
      authorisedFlag: true,
      via: 'REPORT',
    }),
  ],
  // po: day parts with and without times, a whole day, an explicit presence.
  'po-day-parts.csv': [
    record({
      sourceRecordType: 'dagdeel-ochtend',
      sourceId: '777001/2026-01-12/ochtend/report',
      pupil: { localId: '777001', leerlingnummer: '1402' },
      school: po,
      date: '2026-01-12',
      kind: 'SICK',
      reasonCode: 'Z',
      authorisedFlag: true,
      via: 'REPORT',
    }),
    record({
      sourceRecordType: 'dagdeel-middag',
      sourceId: '777001/2026-01-12/middag/report',
      pupil: { localId: '777001', leerlingnummer: '1402' },
      school: po,
      date: '2026-01-12',
      kind: 'SICK',
      reasonCode: 'Z',
      authorisedFlag: true,
      via: 'REPORT',
    }),
    record({
      sourceRecordType: 'dagdeel-ochtend',
      sourceId: '777002/2026-01-12/ochtend/teacher_check',
      pupil: { localId: '777002', leerlingnummer: '1403' },
      school: po,
      date: '2026-01-12',
      start: '2026-01-12T08:30:00',
      end: '2026-01-12T12:00:00',
      kind: 'ABSENT',
      via: 'TEACHER_CHECK',
    }),
    record({
      sourceRecordType: 'dagdeel-middag',
      sourceId: '777002/2026-01-12/middag/call_back',
      pupil: { localId: '777002', leerlingnummer: '1403' },
      school: po,
      date: '2026-01-12',
      start: '2026-01-12T13:00:00',
      end: '2026-01-12T15:00:00',
      kind: 'ABSENT',
      reasonCode: 'O',
      authorisedFlag: false,
      via: 'CALL_BACK',
    }),
    record({
      sourceId: '777003/2026-01-13/dag/report',
      pupil: { localId: '777003', leerlingnummer: '1404' },
      school: po,
      date: '2026-01-13',
      wholeDay: true,
      kind: 'ABSENT',
      reasonCode: 'VV',
      authorisedFlag: true,
      via: 'REPORT',
    }),
    record({
      sourceRecordType: 'dagdeel-ochtend',
      sourceId: '777004/2026-01-13/ochtend/teacher_check',
      pupil: { localId: '777004', leerlingnummer: '1405' },
      school: po,
      date: '2026-01-13',
      kind: 'PRESENT',
      via: 'TEACHER_CHECK',
    }),
  ],
  // Only the four required columns, header in odd case and spacing; blank and all-empty lines skipped.
  'required-columns-only.csv': [
    record({
      sourceId: 'A-17/2026-03-30/dag/teacher_check',
      pupil: { localId: 'A-17' },
      date: '2026-03-30',
      wholeDay: true,
      kind: 'LATE',
      via: 'TEACHER_CHECK',
    }),
    record({
      sourceId: 'A-18/2026-03-30/dag/report',
      pupil: { localId: 'A-18' },
      date: '2026-03-30',
      wholeDay: true,
      kind: 'ABSENT',
      via: 'REPORT',
    }),
  ],
};

describe('csvAdapter', () => {
  it('identifies itself as the csv record adapter', () => {
    assert.equal(csvAdapter.system, 'csv');
    expect(csvAdapter.produces).toEqual(['records']);
    expect(CSV_RECORD_TYPES).toEqual({
      ochtend: 'dagdeel-ochtend',
      middag: 'dagdeel-middag',
      other: 'registratie',
    });
  });

  describe('fixtures/ok', () => {
    const files = readdirSync(join(corpus, 'ok')).sort();

    it('has an expectation for every file', () => {
      assert.ok(files.length >= 2);
      expect(files).toEqual(Object.keys(expectedOk).sort());
    });

    for (const file of files) {
      it(`${file}: the expected records, nothing quarantined`, () => {
        const output = parse(read(join(corpus, 'ok', file)));
        expect(output.quarantined).toEqual([]);
        expect(output.lessons).toEqual([]);
        expect(output.records).toEqual(expectedOk[file]);
      });
    }

    it('never carries an unknown column (free-text remarks) into a record', () => {
      const output = JSON.stringify(parse(read(join(corpus, 'ok', 'vo-lesson-hours-semicolon-bom.csv'))));
      assert.ok(!output.includes('koorts') && !output.includes('gedrag') && !output.includes('opmerking'));
    });
  });

  describe('fixtures/not-ok', () => {
    const files = readdirSync(join(corpus, 'not-ok')).sort();

    it('has files for every failure mode the adapter reports', () => {
      const codes = new Set(files.map(codeOf));
      for (const code of [
        'MALFORMED_PAYLOAD',
        'MISSING_FIELD',
        'WRONG_TYPE',
        'UNKNOWN_KIND',
        'IMPOSSIBLE_TIME',
      ]) {
        assert.ok(codes.has(code), code);
      }
    });

    for (const file of files) {
      it(`${file}: one quarantined item coded ${codeOf(file)}, the rest proceeds`, () => {
        const output = parse(read(join(corpus, 'not-ok', file)));
        expect(output.lessons).toEqual([]);
        assert.equal(output.quarantined.length, 1);
        const [item] = output.quarantined;
        assert.equal(item.reason, codeOf(file));
        assert.equal(item.quarantined, true);
        assert.equal(item.sourceSystem, 'csv');
        if (item.reason === 'MALFORMED_PAYLOAD') {
          assert.equal(item.sourceId, null);
          expect(output.records).toEqual([]);
        } else {
          assert.match(item.detail, /^line \d+: /);
          for (const value of leaves(item.raw))
            assert.ok(!item.detail.includes(value), 'detail quotes a value');
          // The good row beside the bad one still becomes a record.
          assert.equal(output.records.length, 1);
          assert.equal(output.records[0]?.pupil.localId, '9001');
        }
      });
    }
  });

  describe('decisions', () => {
    const header = 'pupil_id,date,day_part,lesson_hour,start,end,kind,authorised,registered_via,record_id';

    it('detects the delimiter from the header: `;` or `,`', () => {
      const comma = parse(`${header}\n1,2026-01-13,,1,,,absent,,report,\n`);
      const semicolon = parse(`${header.replaceAll(',', ';')}\n1;2026-01-13;;1;;;absent;;report;\n`);
      expect(comma.records).toEqual(semicolon.records);
      assert.equal(comma.records.length, 1);
    });

    it('reads UTF-8 with and without BOM alike, and keeps non-ASCII ids intact', () => {
      const body = `${header}\nZoë-1,2026-01-13,middag,,,,sick,true,report,\n`;
      expect(parse('\uFEFF' + body)).toEqual(parse(body));
      assert.equal(parse(body).records[0]?.pupil.localId, 'Zoë-1');
    });

    it('keeps day parts apart by record type, with lesson hours null and times only when given', () => {
      const [morning, afternoon] = parse(
        `${header}\n1,2026-01-13,ochtend,,,,absent,,report,\n1,2026-01-13,middag,,12:45,15:15,absent,,report,\n`,
      ).records;
      expect([morning?.sourceRecordType, morning?.lessonHourFrom, morning?.start, morning?.wholeDay]).toEqual(
        ['dagdeel-ochtend', null, null, false],
      );
      expect([afternoon?.sourceRecordType, afternoon?.start, afternoon?.end]).toEqual([
        'dagdeel-middag',
        '2026-01-13T12:45:00',
        '2026-01-13T15:15:00',
      ]);
    });

    it('writes times as naive local wall-clock times, also on a DST change day', () => {
      const [row] = parse(`${header}\n1,29-3-2026,,,01:30,03:30,absent,,report,\n`).records;
      expect([row?.date, row?.start, row?.end]).toEqual([
        '2026-03-29',
        '2026-03-29T01:30:00',
        '2026-03-29T03:30:00',
      ]);
    });

    it('allows an open-ended time span (start without end)', () => {
      const [row] = parse(`${header}\n1,2026-01-13,,,11:00,,absent,,report,\n`).records;
      expect([row?.start, row?.end, row?.wholeDay, row?.sourceId]).toEqual([
        '2026-01-13T11:00:00',
        null,
        false,
        '1/2026-01-13/11:00:00/report',
      ]);
    });

    it('never reads or keeps a BSN column or free text, not even in a quarantined raw', () => {
      const output = parse(
        'pupil_id;bsn;date;kind;registered_via;opmerking\n' +
          '1;269326728;2026-01-13;absent;report;belt terug\n' +
          '2;269326728;2026-01-13;verlof;report;bij de huisarts\n',
      );
      assert.equal(output.records.length, 1);
      expect(output.quarantined[0]?.raw).toEqual({
        pupil_id: '2',
        date: '2026-01-13',
        kind: 'verlof',
        registered_via: 'report',
      });
      assert.ok(!JSON.stringify(output).includes('269326728'));
      assert.ok(!JSON.stringify(output).includes('huisarts'));
      const broken = parse(`pupil_id;BSN;date;kind;registered_via\n"1;269326728;2026-01-13;absent;report\n`);
      expect(broken.quarantined.map((q) => [q.reason, q.raw])).toEqual([['MALFORMED_PAYLOAD', null]]);
    });

    it('keeps the quarantined row by column name, with extra fields apart', () => {
      const [item] = parse(`${header}\n1,2026-01-13,,1,,,absent,,report,,surplus\n`).quarantined;
      assert.equal(item.reason, 'WRONG_TYPE');
      assert.equal(item.detail, 'line 2: row has 11 fields, the header has 10');
      expect(item.raw).toEqual({
        pupil_id: '1',
        date: '2026-01-13',
        day_part: '',
        lesson_hour: '1',
        start: '',
        end: '',
        kind: 'absent',
        authorised: '',
        registered_via: 'report',
        record_id: '',
        '(extra fields)': ['surplus'],
      });
    });

    it('puts a given record_id on a quarantined row', () => {
      const [item] = parse(`${header}\n1,2026-01-13,,1,,,verlof,,report,R-9\n`).quarantined;
      expect([item.reason, item.sourceId]).toEqual(['UNKNOWN_KIND', 'R-9']);
    });

    it('reads every example of the format spec in README.md without quarantine', () => {
      const readme = read(join(corpus, '..', 'README.md'));
      const examples = [...readme.matchAll(/```csv\n([\s\S]*?)```/g)].map((match) => match[1]);
      assert.equal(examples.length, 3);
      for (const example of examples) {
        const output = parse(example);
        expect(output.quarantined).toEqual([]);
        assert.equal(output.records.length, example.trim().split('\n').length - 1);
      }
    });

    it('accepts a header-only file as an empty export', () => {
      expect(parse(`${header}\r\n`)).toEqual({ records: [], lessons: [], quarantined: [] });
    });

    it('counts lines from the top of the file in quarantine details', () => {
      const output = parse(
        `\n${header}\n1,2026-01-13,,1,,,absent,,report,\n\n1,2026-01-13,,1,,,nope,,report,\n`,
      );
      assert.equal(output.quarantined[0]?.detail.startsWith('line 5: '), true);
    });

    it('uses only reasons from the domain list', () => {
      for (const file of readdirSync(join(corpus, 'not-ok'))) {
        for (const q of parse(read(join(corpus, 'not-ok', file))).quarantined) {
          assert.ok(QUARANTINE_REASONS.includes(q.reason));
        }
      }
    });

    it('parses a 50 MB export', () => {
      const lines = [`\uFEFF${header.replaceAll(',', ';')};opmerking`];
      let size = lines[0].length;
      for (let i = 0; size < 50 * 1024 * 1024; i += 1) {
        const line = `P${i};2026-01-13;;${(i % 8) + 1};;;absent;false;teacher_check;;${'x'.repeat(40)}`;
        lines.push(line);
        size += line.length + 2;
      }
      const payload = lines.join('\r\n');
      assert.ok(payload.length >= 50 * 1024 * 1024);
      const output = parse(payload);
      assert.equal(output.records.length, lines.length - 1);
      assert.equal(output.quarantined.length, 0);
    });
  });
});

/** `unknown-kind.verlof.csv` → `UNKNOWN_KIND`. */
function codeOf(file: string): string {
  return file.split('.')[0].toUpperCase().replaceAll('-', '_');
}
