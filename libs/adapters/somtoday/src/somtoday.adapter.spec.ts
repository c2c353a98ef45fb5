import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { AdapterOutput, Lesson, SourceRecord } from '#domain';
import { somtodayAdapter } from './index.js';

// Compiled to dist/libs/adapters/somtoday/src/: six levels up is the folder that holds main/ and shared/.
const SHARED = fileURLToPath(new URL('../../../../../../shared/fixtures/source-systems/', import.meta.url));
const OWN = fileURLToPath(new URL('../../../../../libs/adapters/somtoday/fixtures/', import.meta.url));

const read = (path: string): string => readFileSync(path, 'utf8');
const parse = (payload: string): AdapterOutput => somtodayAdapter.parse(payload);

/** Fields every SOMtoday record of pupil 2233445566 shares in the shared example payloads. */
const NOOR = {
  sourceSystem: 'somtoday',
  pupil: { localId: '2233445566', leerlingnummer: '204518' },
  school: null,
  endInclusive: false,
  lesson: null,
  aggregate: null,
} as const;

describe('somtoday adapter: the shared example payloads', () => {
  it('reads somtoday-absentiemeldingen.json: a medical visit and a sent-out booked geoorloofd', () => {
    const out = parse(read(`${SHARED}somtoday-absentiemeldingen.json`));
    const expected: SourceRecord[] = [
      {
        ...NOOR,
        sourceRecordType: 'absentiemelding',
        sourceId: '4400000001',
        via: 'REPORT',
        kind: 'ABSENT',
        authorisedFlag: true,
        reasonCode: 'MB',
        date: '2026-02-02',
        start: '2026-02-02T10:00:00.000+01:00',
        end: '2026-02-02T11:40:00.000+01:00',
        lessonHourFrom: 3,
        lessonHourTo: 4,
        wholeDay: false,
        arrivedAt: null,
        lessonRef: null,
        explainedByRef: null,
      },
      {
        ...NOOR,
        sourceRecordType: 'absentiemelding',
        sourceId: '4400000002',
        via: 'REPORT',
        kind: 'SENT_OUT',
        // The school booked "Uit de les verwijderd" as geoorloofd: kept as booked, next to kind and code.
        authorisedFlag: true,
        reasonCode: 'VW',
        date: '2026-02-03',
        start: '2026-02-03T13:05:00.000+01:00',
        end: '2026-02-03T13:50:00.000+01:00',
        lessonHourFrom: 6,
        lessonHourTo: 6,
        wholeDay: false,
        arrivedAt: null,
        lessonRef: null,
        explainedByRef: null,
      },
    ];
    expect(out).toEqual({ records: expected, lessons: [], quarantined: [] });
  });

  it('reads somtoday-waarnemingen.json: four teacher checks, none linked to a report or lesson', () => {
    const out = parse(read(`${SHARED}somtoday-waarnemingen.json`));
    const check = (
      sourceId: string,
      kind: 'ABSENT' | 'PRESENT',
      date: string,
      start: string,
      end: string,
      hour: number,
    ): SourceRecord => ({
      ...NOOR,
      sourceRecordType: 'waarneming',
      sourceId,
      via: 'TEACHER_CHECK',
      kind,
      authorisedFlag: null,
      reasonCode: null,
      date,
      start,
      end,
      lessonHourFrom: hour,
      lessonHourTo: hour,
      wholeDay: false,
      arrivedAt: null,
      lessonRef: null,
      explainedByRef: null,
    });
    expect(out).toEqual({
      records: [
        check(
          '6600000001',
          'ABSENT',
          '2026-02-02',
          '2026-02-02T10:00:00.000+01:00',
          '2026-02-02T10:50:00.000+01:00',
          3,
        ),
        check(
          '6600000002',
          'ABSENT',
          '2026-02-02',
          '2026-02-02T10:50:00.000+01:00',
          '2026-02-02T11:40:00.000+01:00',
          4,
        ),
        check(
          '6600000003',
          'PRESENT',
          '2026-02-02',
          '2026-02-02T11:40:00.000+01:00',
          '2026-02-02T12:30:00.000+01:00',
          5,
        ),
        check(
          '6600000004',
          'ABSENT',
          '2026-02-04',
          '2026-02-04T08:30:00.000+01:00',
          '2026-02-04T09:20:00.000+01:00',
          1,
        ),
      ],
      lessons: [],
      quarantined: [],
    });
  });

  it('reads both lists concatenated into one mixed list', () => {
    const reports = JSON.parse(read(`${SHARED}somtoday-absentiemeldingen.json`)).items;
    const checks = JSON.parse(read(`${SHARED}somtoday-waarnemingen.json`)).items;
    const out = parse(JSON.stringify({ items: [checks[0], reports[0], checks[1]] }));
    expect(out.records.map((r) => [r.sourceRecordType, r.sourceId])).toEqual([
      ['waarneming', '6600000001'],
      ['absentiemelding', '4400000001'],
      ['waarneming', '6600000002'],
    ]);
  });

  it('never copies free text or names into a record', () => {
    const out = [
      parse(read(`${SHARED}somtoday-absentiemeldingen.json`)),
      parse(read(`${SHARED}somtoday-waarnemingen.json`)),
    ];
    const text = JSON.stringify(out.map((o) => o.records));
    for (const word of ['Orthodontist', 'Noor', 'Bakker', 'Medisch bezoek', '3b9c0d2e', 'Medewerker']) {
      assert.equal(text.includes(word), false, word);
    }
  });
});

describe('somtoday adapter: fixtures/ok', () => {
  const files = readdirSync(`${OWN}ok`).sort();

  it('has a corpus', () => assert.ok(files.length >= 5));

  for (const file of files) {
    it(`${file}: records, no quarantine`, () => {
      const payload = read(`${OWN}ok/${file}`);
      const out = parse(payload);
      expect(out.quarantined).toEqual([]);
      // Afspraken become lessons (or are skipped), not records.
      const items = (JSON.parse(payload) as { items: { $type: string }[] }).items;
      assert.equal(out.records.length, items.filter((i) => !i.$type.includes('Afspraak')).length);
    });
  }

  const only = (file: string): SourceRecord => {
    const out = parse(read(`${OWN}ok/${file}`));
    assert.equal(out.records.length, 1);
    return out.records[0];
  };

  it('keeps a whole-day report across the spring DST change as given, offsets and all', () => {
    const r = only('whole-days-across-spring-dst-change.json');
    assert.equal(r.start, '2026-03-27T00:00:00.000+01:00');
    assert.equal(r.end, '2026-03-30T23:59:59.000+02:00');
    assert.equal(r.date, '2026-03-27');
    assert.equal(r.wholeDay, true);
    assert.equal(r.lessonHourFrom, null);
    assert.equal(r.lessonHourTo, null);
    assert.equal(r.reasonCode, 'Z');
  });

  it('dates a whole day on the autumn DST change by its local date', () => {
    const out = parse(read(`${OWN}ok/whole-day-on-autumn-dst-change.json`));
    expect(out.records.map((r) => [r.date, r.authorisedFlag, r.wholeDay])).toEqual([
      ['2025-10-27', true, true],
      ['2025-10-24', false, true],
    ]);
  });

  it('ends an open-ended report at the end of its first local day, as naive local time', () => {
    const r = only('open-ended-report.json');
    assert.equal(r.start, '2026-02-09T00:00:00.000+01:00');
    assert.equal(r.end, '2026-02-10T00:00:00');
    assert.equal(r.endInclusive, false);
    assert.equal(r.wholeDay, true);
  });

  it('reads a late arrival: LATE, arrived at the end of the late span', () => {
    const r = only('late-arrival.json');
    assert.equal(r.kind, 'LATE');
    assert.equal(r.authorisedFlag, false);
    assert.equal(r.reasonCode, 'TL');
    assert.equal(r.arrivedAt, '2026-01-19T08:47:00.000+01:00');
    expect([r.lessonHourFrom, r.lessonHourTo, r.wholeDay]).toEqual([1, 1, false]);
  });

  it('links teacher checks to their report and lesson', () => {
    const out = parse(read(`${OWN}ok/report-with-linked-checks.json`));
    expect(out.records.map((r) => [r.sourceId, r.via, r.kind, r.explainedByRef, r.lessonRef])).toEqual([
      ['4400100006', 'REPORT', 'ABSENT', null, null],
      ['6600100001', 'TEACHER_CHECK', 'ABSENT', '4400100006', '7700100001'],
      ['6600100002', 'TEACHER_CHECK', 'ABSENT', '4400100006', '7700100002'],
      ['6600100003', 'TEACHER_CHECK', 'PRESENT', null, '7700100003'],
      ['6600100004', 'TEACHER_CHECK', 'NOT_SCHEDULED', null, '7700100004'],
    ]);
  });

  it('takes the first report of an `absentieMeldingen` list as the explaining report', () => {
    const checks = JSON.parse(read(`${SHARED}somtoday-waarnemingen.json`)).items;
    const linked = {
      ...checks[0],
      absentieMeldingen: [{ links: [{ id: 4400000001 }] }, { links: [{ id: 9 }] }],
    };
    assert.equal(parse(JSON.stringify({ items: [linked] })).records[0].explainedByRef, '4400000001');
  });

  it('reads an empty list and a payload with a byte order mark', () => {
    expect(parse('{"items":[]}')).toEqual({ records: [], lessons: [], quarantined: [] });
    const bom = `\uFEFF${read(`${OWN}ok/late-arrival.json`)}`;
    assert.equal(parse(bom).records.length, 1);
  });
});

describe('somtoday adapter: fixtures/not-ok', () => {
  const files = readdirSync(`${OWN}not-ok`).sort();

  it('has a corpus', () => assert.ok(files.length >= 15));

  for (const file of files) {
    // The file name says the expected reason: `wrong-type.geoorloofd-as-string.json` → WRONG_TYPE.
    const reason = file.split('.')[0].toUpperCase().replaceAll('-', '_');
    it(`${file}: one ${reason} quarantine, the rest proceeds`, () => {
      const payload = read(`${OWN}not-ok/${file}`);
      const out = parse(payload);
      assert.equal(out.quarantined.length, 1);
      const [q] = out.quarantined;
      assert.equal(q.reason, reason);
      assert.equal(q.sourceSystem, 'somtoday');
      assert.doesNotMatch(q.detail, /\d{5,}|Daan|Visser/, 'detail names fields, never values');
      if (reason === 'MALFORMED_PAYLOAD') {
        assert.equal(out.records.length, 0);
        assert.equal(q.sourceId, null);
        assert.equal(q.raw, payload);
      } else {
        // Each item-level file holds the bad item first and one good item after it.
        const items = (JSON.parse(payload) as { items: unknown[] }).items;
        expect(q.raw).toEqual(items[0]);
        expect(out.records.map((r) => r.sourceId)).toEqual(['4400199999']);
      }
    });
  }

  it('keeps the source id on an item quarantine when it can be read', () => {
    const out = parse(read(`${OWN}not-ok/wrong-type.geoorloofd-as-string.json`));
    assert.equal(out.quarantined[0].sourceId, '4400190001');
    assert.equal(out.quarantined[0].detail, 'items[0]: absentieReden.geoorloofd: not a boolean');
  });
});

describe('somtoday adapter: robustness', () => {
  const sample = JSON.parse(read(`${SHARED}somtoday-absentiemeldingen.json`)).items[0];
  const check = JSON.parse(read(`${SHARED}somtoday-waarnemingen.json`)).items[0];
  const WRONG = [42, -1, 1.5, 'x', '', true, {}, [], null, '2026-13-01T00:00:00', [{ id: {} }]];

  it('gives a record or a quarantine, never a throw, for any wrong value at any field', () => {
    let cases = 0;
    for (const item of [sample, check]) {
      for (const path of pathsOf(item)) {
        for (const value of [...WRONG, undefined]) {
          const out = parse(JSON.stringify({ items: [withValue(item, path, value)] }));
          assert.equal(out.records.length + out.quarantined.length, 1, path.join('.'));
          cases += 1;
        }
      }
    }
    assert.ok(cases > 500);
  });

  it('parses a 50 MB payload', () => {
    const template = JSON.stringify(sample);
    const items: string[] = [];
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i += 1) {
      const item = template.replace('4400000001', String(5_000_000_000 + i));
      items.push(item);
      size += item.length + 1;
    }
    const out = parse(`{"items":[${items.join(',')}]}`);
    assert.equal(out.records.length, items.length);
    assert.equal(out.quarantined.length, 0);
    assert.equal(new Set(out.records.map((r) => r.sourceId)).size, items.length);
  });

  it('does not change the parsed items it keeps as raw', () => {
    const payload = read(`${OWN}not-ok/impossible-time.end-before-start.json`);
    const out = parse(payload);
    expect(out.quarantined[0].raw).toEqual(JSON.parse(payload).items[0]);
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

describe('somtoday adapter: afspraken (timetable)', () => {
  it('declares that it produces lessons as well as records', () => {
    expect(somtodayAdapter.produces).toEqual(['records', 'lessons']);
  });

  it('reads fixtures/ok/afspraken.json: one lesson per pupil, a cancelled one, an activity skipped', () => {
    const out = parse(read(`${OWN}ok/afspraken.json`));
    const wiskunde = {
      lessonId: '5500000001',
      date: '2026-02-09',
      start: '2026-02-09T09:10:00.000+01:00',
      end: '2026-02-09T10:00:00.000+01:00',
      lessonHour: 2,
      durationMinutes: 50,
      cancelled: false,
      subject: 'wisB',
      sourceSystem: 'somtoday',
      sourceId: '5500000001',
    } as const;
    const expected: Lesson[] = [
      { ...wiskunde, pupil: '1234500017' },
      { ...wiskunde, pupil: '1234500025' },
      {
        lessonId: '5500000002',
        date: '2026-02-09',
        start: '2026-02-09T10:00:00.000+01:00',
        end: '2026-02-09T10:50:00.000+01:00',
        lessonHour: null,
        durationMinutes: 50,
        cancelled: true,
        sourceSystem: 'somtoday',
        sourceId: '5500000002',
      },
    ];
    expect(out.lessons).toEqual(expected);
    expect(out.records).toEqual([]);
    expect(out.quarantined).toEqual([]);
    assert.ok(!JSON.stringify(out.lessons).includes('A5'), 'the free-text omschrijving is never read');
  });

  it('names the problem of a bad afspraak and keeps its id', () => {
    const cases: [string, string][] = [
      ['missing-field.afspraak-eind.json', 'items[0]: eindDatumTijd: missing'],
      ['impossible-time.afspraak-end-before-start.json', 'items[0]: eindDatumTijd: not after beginDatumTijd'],
      [
        'wrong-type.afspraak-beginlesuur-as-string.json',
        'items[0]: beginLesuur: not a lesson hour (integer from 0)',
      ],
    ];
    for (const [file, detail] of cases) {
      const out = parse(read(`${OWN}not-ok/${file}`));
      expect(out.lessons).toEqual([]); // file
      assert.equal(out.quarantined[0].detail, detail, file);
      assert.equal(out.quarantined[0].sourceId, '5500190001', file);
    }
  });

  it('quarantines leerlingen that are not a list instead of throwing', () => {
    const item = JSON.parse(read(`${OWN}ok/afspraken.json`)).items[0];
    item.additionalObjects.leerlingen.items = { links: [] };
    const out = parse(JSON.stringify({ items: [item] }));
    expect(out.lessons).toEqual([]);
    assert.equal(out.quarantined[0].reason, 'WRONG_TYPE');
  });
});
