import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { AdapterOutput, SourceRecord } from '#domain';
import { eduarteAdapter } from './index.js';

// Compiled to dist/libs/adapters/eduarte/src/: six levels up holds main/ and shared/.
const SHARED = fileURLToPath(new URL('../../../../../../shared/fixtures/source-systems/', import.meta.url));
const OWN = fileURLToPath(new URL('../../../../../libs/adapters/eduarte/fixtures/', import.meta.url));

const read = (path: string): string => readFileSync(path, 'utf8');
const parse = (payload: string): AdapterOutput => eduarteAdapter.parse(payload);

const EXAMPLE = read(`${SHARED}eduarte-absentiemeldingen.json`);
const M_HEADER =
  'id,deelnemer.deelnemernummer,absentieReden.afkorting,absentieReden.absentieSoort,absentieReden.geoorloofd,' +
  'beginDatumTijd,eindDatumTijd,beginLesuur,eindLesuur';

/** Fields every record of deelnemer 2045871 in the shared example shares. */
const DEELNEMER = {
  sourceSystem: 'eduarte',
  pupil: { localId: '2045871', leerlingnummer: '2045871' },
  school: null,
  lessonRef: null,
  lesson: null,
  aggregate: null,
} as const;

const EXPECTED_EXAMPLE: SourceRecord[] = [
  {
    ...DEELNEMER,
    sourceRecordType: 'absentiemelding',
    sourceId: '40001',
    via: 'REPORT',
    kind: 'ABSENT',
    authorisedFlag: true,
    // Sickness is the school's reason code, not a kind: the mapping decides.
    reasonCode: 'ZI',
    date: '2025-11-03',
    start: '2025-11-03T00:00:00',
    // Two whole days, the end written inclusively as the last second of the 4th.
    end: '2025-11-04T23:59:59',
    endInclusive: true,
    lessonHourFrom: null,
    lessonHourTo: null,
    wholeDay: true,
    arrivedAt: null,
    explainedByRef: null,
  },
  {
    ...DEELNEMER,
    sourceRecordType: 'absentiemelding',
    sourceId: '40002',
    via: 'REPORT',
    kind: 'LATE',
    authorisedFlag: false,
    reasonCode: 'TL',
    date: '2025-11-05',
    start: '2025-11-05T08:30:00',
    end: '2025-11-05T08:47:00',
    // Not the :59 whole-day convention: the moment of arrival, exclusive.
    endInclusive: false,
    lessonHourFrom: 1,
    lessonHourTo: 1,
    wholeDay: false,
    arrivedAt: '2025-11-05T08:47:00',
    explainedByRef: null,
  },
  {
    ...DEELNEMER,
    sourceRecordType: 'waarneming',
    sourceId: '91001',
    via: 'TEACHER_CHECK',
    kind: 'ABSENT',
    authorisedFlag: null,
    reasonCode: null,
    date: '2025-11-03',
    start: '2025-11-03T08:30:00',
    end: '2025-11-03T10:00:00',
    endInclusive: false,
    lessonHourFrom: 1,
    lessonHourTo: 2,
    wholeDay: false,
    arrivedAt: null,
    explainedByRef: '40001',
  },
  {
    ...DEELNEMER,
    sourceRecordType: 'waarneming',
    sourceId: '91002',
    via: 'TEACHER_CHECK',
    kind: 'PRESENT',
    authorisedFlag: null,
    reasonCode: null,
    date: '2025-11-05',
    start: '2025-11-05T08:30:00',
    end: '2025-11-05T10:00:00',
    endInclusive: false,
    lessonHourFrom: 1,
    lessonHourTo: 2,
    wholeDay: false,
    arrivedAt: null,
    explainedByRef: null,
  },
  {
    ...DEELNEMER,
    sourceRecordType: 'waarneming',
    sourceId: '91003',
    via: 'TEACHER_CHECK',
    kind: 'NOT_SCHEDULED',
    authorisedFlag: null,
    reasonCode: null,
    date: '2025-11-05',
    start: '2025-11-05T10:15:00',
    end: '2025-11-05T11:45:00',
    endInclusive: false,
    lessonHourFrom: 3,
    lessonHourTo: 4,
    wholeDay: false,
    arrivedAt: null,
    explainedByRef: null,
  },
];

describe('eduarte adapter: the shared example payload', () => {
  it('reads eduarte-absentiemeldingen.json: inclusive whole days, a late arrival, linked checks, Nvt', () => {
    expect(parse(EXAMPLE)).toEqual({ records: EXPECTED_EXAMPLE, lessons: [], quarantined: [] });
  });

  it('reads the same export as two CSV files into the same records', () => {
    const meldingen = [
      M_HEADER + ',opmerkingen',
      '40001,2045871,ZI,Absent,true,2025-11-03T00:00:00,2025-11-04T23:59:59,,,Gemeld door ouder',
      '40002,2045871,TL,Telaat,false,2025-11-05T08:30:00,2025-11-05T08:47:00,1,1,',
    ].join('\n');
    const waarnemingen = [
      'id,deelnemer.deelnemernummer,beginDatumTijd,eindDatumTijd,beginLesuur,eindLesuur,waarnemingSoort,absentieMelding',
      '91001,2045871,2025-11-03T08:30:00,2025-11-03T10:00:00,1,2,Afwezig,40001',
      '91002,2045871,2025-11-05T08:30:00,2025-11-05T10:00:00,1,2,Aanwezig,',
      '91003,2045871,2025-11-05T10:15:00,2025-11-05T11:45:00,3,4,Nvt,',
    ].join('\n');
    const out = [parse(meldingen), parse(waarnemingen)];
    expect(out.flatMap((o) => o.quarantined)).toEqual([]);
    expect(out.flatMap((o) => o.records)).toEqual(EXPECTED_EXAMPLE);
  });

  it('never copies opmerkingen or reason descriptions into a record', () => {
    const text = JSON.stringify(parse(EXAMPLE).records);
    for (const word of ['Gemeld door ouder', 'Ziek', 'Te laat (OV)'])
      assert.equal(text.includes(word), false, word);
  });
});

describe('eduarte adapter: fixtures/ok', () => {
  const files = readdirSync(`${OWN}ok`).sort();

  it('has a corpus of JSON and CSV exports', () => {
    assert.ok(files.filter((f) => f.endsWith('.json')).length >= 3);
    assert.ok(files.filter((f) => f.endsWith('.csv')).length >= 3);
  });

  for (const file of files) {
    it(`${file}: records, no quarantine`, () => {
      const out = parse(read(`${OWN}ok/${file}`));
      expect(out.quarantined).toEqual([]);
      assert.ok(out.records.length > 0);
    });
  }

  const records = (file: string): readonly SourceRecord[] => parse(read(`${OWN}ok/${file}`)).records;

  it('keeps whole days across the spring DST change naive and inclusive', () => {
    const [r] = records('whole-days-across-spring-dst-change.json');
    expect([r.date, r.start, r.end, r.endInclusive, r.wholeDay]).toEqual([
      '2026-03-27',
      '2026-03-27T00:00:00',
      '2026-03-30T23:59:59',
      true,
      true,
    ]);
  });

  it('ends an open-ended report at the end of its first day, exclusively', () => {
    const [r] = records('open-ended-report.json');
    expect([r.start, r.end, r.endInclusive, r.wholeDay]).toEqual([
      '2026-02-09T00:00:00',
      '2026-02-10T00:00:00',
      false,
      true,
    ]);
  });

  it('reads a CSV late arrival', () => {
    const [r] = records('late-arrival.csv');
    expect([
      r.sourceId,
      r.kind,
      r.authorisedFlag,
      r.reasonCode,
      r.arrivedAt,
      r.lessonHourFrom,
      r.lessonHourTo,
    ]).toEqual(['41004', 'LATE', false, 'TL', '2026-01-19T08:47:00', 1, 1]);
  });

  it('reads quoted commas, doubled quotes and line breaks in CSV cells, with CRLF rows', () => {
    expect(
      records('export-with-quoted-commas.csv').map((r) => [r.sourceId, r.kind, r.wholeDay, r.endInclusive]),
    ).toEqual([
      ['41005', 'LATE', false, false],
      ['41006', 'SENT_OUT', false, false],
      ['41007', 'ABSENT', true, true],
      ['41008', 'ABSENT', true, true],
    ]);
    const text = JSON.stringify(records('export-with-quoted-commas.csv'));
    for (const word of ['storing', 'Buikpijn', 'teamleider', 'Vakantie'])
      assert.equal(text.includes(word), false, word);
  });

  it('reads a semicolon export with a byte order mark and upper-case flags', () => {
    const [r] = records('semicolon-export-with-bom.csv');
    expect([r.sourceId, r.authorisedFlag, r.end]).toEqual(['41009', true, '2026-02-03T23:59:59']);
  });

  it('links checks to reports, by id or by embedded report', () => {
    expect(
      [...records('reports-and-linked-checks.json'), ...records('waarnemingen.csv')].map((r) => [
        r.sourceId,
        r.kind,
        r.explainedByRef,
      ]),
    ).toEqual([
      ['41003', 'ABSENT', null],
      ['92001', 'ABSENT', '41003'],
      ['92002', 'ABSENT', null],
      ['92003', 'NOT_SCHEDULED', null],
      ['92004', 'ABSENT', '41007'],
      ['92005', 'PRESENT', null],
      ['92006', 'NOT_SCHEDULED', null],
    ]);
  });
});

describe('eduarte adapter: fixtures/not-ok', () => {
  const files = readdirSync(`${OWN}not-ok`).sort();

  it('has a corpus of JSON and CSV failures', () => {
    assert.ok(files.filter((f) => f.endsWith('.json')).length >= 8);
    assert.ok(files.filter((f) => f.endsWith('.csv')).length >= 8);
  });

  for (const file of files) {
    // The file name says the expected reason; item-level files add one good item with id 99999.
    const reason = file.split('.')[0].toUpperCase().replaceAll('-', '_');
    it(`${file}: one ${reason} quarantine, the rest proceeds`, () => {
      const payload = read(`${OWN}not-ok/${file}`);
      const out = parse(payload);
      assert.equal(out.quarantined.length, 1);
      const [q] = out.quarantined;
      assert.equal(q.reason, reason);
      assert.equal(q.sourceSystem, 'eduarte');
      assert.doesNotMatch(
        q.detail,
        /\d{5,}|Daan|Visser|Orthodontist|Bus reed/,
        'detail names fields, never values',
      );
      if (q.raw === payload) {
        expect([out.records.length, q.sourceId]).toEqual([0, null]);
      } else {
        expect(out.records.map((r) => r.sourceId)).toEqual(['99999']);
      }
    });
  }

  it('names the CSV row and field, and keeps the row under its column names', () => {
    const out = parse(read(`${OWN}not-ok/wrong-type.csv-geoorloofd-ja.csv`));
    const [q] = out.quarantined;
    assert.equal(q.detail, 'row 1: absentieReden.geoorloofd: not a boolean');
    assert.equal(q.sourceId, '41905');
    assert.equal((q.raw as Record<string, string>)['absentieReden.geoorloofd'], 'ja');
  });

  it('names the missing CSV columns once for the whole file', () => {
    const [q] = parse(read(`${OWN}not-ok/missing-field.csv-column-eindlesuur.csv`)).quarantined;
    assert.equal(q.detail, 'CSV header: missing column(s) eindLesuur');
  });

  it('refuses an empty payload as malformed', () => {
    for (const payload of ['', '  \n ', '\uFEFF']) {
      expect(parse(payload).quarantined.map((q) => q.reason)).toEqual(['MALFORMED_PAYLOAD']);
    }
  });

  it('reads a CSV with only a header as no records', () => {
    expect(parse(`${M_HEADER}\n`)).toEqual({ records: [], lessons: [], quarantined: [] });
  });
});

describe('eduarte adapter: robustness', () => {
  const example = JSON.parse(EXAMPLE) as { absentieMeldingen: unknown[]; waarnemingen: unknown[] };
  const WRONG = [42, -1, 1.5, 'x', '', true, {}, [], null, '2026-13-01T00:00:00', [{ id: {} }]];

  it('gives a record or a quarantine, never a throw, for any wrong value at any JSON field', () => {
    let cases = 0;
    for (const [list, item] of [
      ['absentieMeldingen', example.absentieMeldingen[1]],
      ['waarnemingen', example.waarnemingen[0]],
    ] as const) {
      for (const path of pathsOf(item)) {
        for (const value of [...WRONG, undefined]) {
          const out = parse(JSON.stringify({ [list]: [withValue(item, path, value)] }));
          assert.equal(out.records.length + out.quarantined.length, 1, path.join('.'));
          cases += 1;
        }
      }
    }
    assert.ok(cases > 250);
  });

  it('gives a record or a quarantine, never a throw, for any odd value in any CSV cell', () => {
    const cells = '40002,2045871,TL,Telaat,false,2025-11-05T08:30:00,2025-11-05T08:47:00,1,1'.split(',');
    let cases = 0;
    for (let i = 0; i < cells.length; i += 1) {
      for (const value of ['', 'x', '-1', '1.5', 'TRUE', '"a,b"', '2026-02-30T00:00:00', 'null']) {
        const row = cells.map((c, j) => (j === i ? value : c)).join(',');
        const out = parse(`${M_HEADER}\n${row}\n`);
        assert.equal(out.records.length + out.quarantined.length, 1, `column ${i}`);
        cases += 1;
      }
    }
    assert.ok(cases > 70);
  });

  it('parses a 50 MB JSON export', () => {
    const template = JSON.stringify(example.absentieMeldingen[0]);
    const items: string[] = [];
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i += 1) {
      const item = template.replace('"id":40001', `"id":${1_000_000 + i}`);
      items.push(item);
      size += item.length + 1;
    }
    const out = parse(`{"absentieMeldingen":[${items.join(',')}]}`);
    expect([out.records.length, out.quarantined.length]).toEqual([items.length, 0]);
  });

  it('parses a 50 MB CSV export', () => {
    const rows = [M_HEADER + ',opmerkingen'];
    const remark = `"Gemeld door ouder, per telefoon; ""koorts"", ${'nog niet beter, '.repeat(12)}belt morgen terug"`;
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i += 1) {
      const row = `${1_000_000 + i},2045871,ZI,Absent,true,2025-11-03T00:00:00,2025-11-04T23:59:59,,,${remark}`;
      rows.push(row);
      size += row.length + 1;
    }
    const out = parse(rows.join('\n'));
    expect([out.records.length, out.quarantined.length]).toEqual([rows.length - 1, 0]);
  });
});

/** Every path to a value in `value` (objects and lists included), for mutation. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))].filter((p) => p.length > 0);
}

function withValue(item: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(item) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}
