import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { QUARANTINE_REASONS, type AdapterOutput, mulberry32 } from '#domain';
import { createMagisterAdapter, magisterAdapter } from './index.js';
import { checkedAbsence, commonAbsence } from './magister-absence.js';
import { checkedLesson, commonLesson } from './magister-lesson.js';

const adapter = createMagisterAdapter({ personId: '4216' });

const AFSPRAAK = {
  Id: 7002,
  Start: '2026-01-13T08:20:00.0000000Z',
  Einde: '2026-01-13T09:10:00.0000000Z',
  LesuurVan: 2,
  LesuurTotMet: 2,
  DuurtHeleDag: false,
  Omschrijving: 'ne - JDK - h2b',
  Lokatie: 'A12',
  Status: 1,
  Type: 13,
};
const ABSENCE = {
  Id: 5001,
  Start: '2026-01-12T23:00:00.0000000Z',
  Eind: '2026-01-12T23:00:00.0000000Z',
  Lesuur: 2,
  Geoorloofd: false,
  AfspraakId: 7002,
  Omschrijving: 'Spijbelen',
  Verantwoordingtype: 1,
  Code: 'SP',
  Afspraak: AFSPRAAK,
};

/** Values of every JSON type, plus look-alikes of the right type that are still wrong. */
const ODD_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  '',
  ' ',
  'x',
  '1',
  'true',
  '2026-02-30T00:00:00Z',
  '2026-01-13T08:20:00.0000000Z',
  '0001-01-01T00:00:00',
  'ä'.repeat(10_000),
  [],
  [1, 2],
  {},
  { Id: 1 },
];

function assertWellFormed(out: AdapterOutput): void {
  for (const q of out.quarantined) {
    assert.ok(QUARANTINE_REASONS.includes(q.reason));
    assert.equal(q.quarantined, true);
  }
  for (const r of out.records) {
    assert.match(r.date ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(typeof r.sourceId, 'string');
  }
}

describe('magister adapter: wrong types never throw', () => {
  it('any value in any field of an absence gives a record or a coded quarantine, one per item', () => {
    const fields = Object.keys(ABSENCE);
    const items: unknown[] = [];
    for (const field of fields) {
      for (const odd of ODD_VALUES) items.push({ ...ABSENCE, [field]: odd });
      const { [field]: _dropped, ...without } = ABSENCE as Record<string, unknown>;
      items.push(without);
    }
    for (const field of Object.keys(AFSPRAAK)) {
      for (const odd of ODD_VALUES) items.push({ ...ABSENCE, Afspraak: { ...AFSPRAAK, [field]: odd } });
    }
    const out = adapter.parse(JSON.stringify({ Items: items }));
    assert.equal(out.records.length + out.quarantined.length, items.length);
    assert.ok(out.quarantined.length > items.length / 2, 'most of these are bad');
    assert.ok(out.records.length > 0, 'odd values of ignored fields are fine');
    assertWellFormed(out);
  });

  it('random mixes of odd values in absences and timetable items (500 payloads)', () => {
    const next = mulberry32(20260113);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    for (let run = 0; run < 500; run += 1) {
      const template: Record<string, unknown> = next() < 0.5 ? { ...ABSENCE } : { ...AFSPRAAK };
      const items = Array.from({ length: 1 + Math.floor(next() * 5) }, () => {
        const item: Record<string, unknown> = { ...template };
        for (const field of Object.keys(item)) if (next() < 0.3) item[field] = pick(ODD_VALUES);
        return next() < 0.05 ? pick(ODD_VALUES) : item;
      });
      const payload = JSON.stringify({ Items: items });
      const out = adapter.parse(payload);
      assertWellFormed(out);
      if ('Verantwoordingtype' in template) {
        assert.equal(out.records.length + out.quarantined.length, items.length, payload);
      }
    }
  });

  it('whole payloads of any JSON type are one MALFORMED_PAYLOAD; an odd PersoonId one WRONG_TYPE', () => {
    for (const odd of ODD_VALUES) {
      for (const payload of [JSON.stringify(odd), JSON.stringify({ Items: odd })]) {
        const out = adapter.parse(payload);
        if (Array.isArray(odd) && payload.startsWith('{')) {
          // Items is an array (empty or of numbers): each non-object item is quarantined on its own.
          assert.equal(out.quarantined.length, odd.length);
          continue;
        }
        assert.equal(out.quarantined.length, 1, payload.slice(0, 50));
        assert.equal(out.quarantined[0].reason, 'MALFORMED_PAYLOAD');
      }
      const persoonId = magisterAdapter.parse(JSON.stringify({ Items: [], PersoonId: odd })).quarantined;
      const usable = odd === null || (typeof odd === 'string' && odd.trim() !== '') || odd === 1;
      expect(persoonId.map((q) => q.reason)).toEqual(usable ? [] : ['WRONG_TYPE']); // `PersoonId ${JSON.stringify(odd).slice(0, 20)}`
    }
    for (const text of ['', ' ', 'null', '{', '{"Items":[{"Id":1,', '<Items/>', '\u0000']) {
      assert.equal(adapter.parse(text).quarantined[0].reason, 'MALFORMED_PAYLOAD');
    }
  });
});

describe('magister adapter: a 50 MB payload', () => {
  const MB = 1024 * 1024;

  it('50 MB of absences with embedded lessons parses completely', () => {
    const day = 86_400_000;
    const first = Date.UTC(2025, 7, 31, 22);
    const parts: string[] = [];
    let size = 0;
    let count = 0;
    while (size < 50 * MB) {
      // One absence a day through the school year, both sides of the DST changes.
      const midnight = new Date(first + (count % 300) * day).toISOString().replace('.000Z', '.0000000Z');
      const part = JSON.stringify({ ...ABSENCE, Id: 100_000 + count, Start: midnight, Eind: midnight });
      parts.push(part);
      size += part.length + 1;
      count += 1;
    }
    const payload = `{"Items":[${parts.join(',')}],"TotalCount":${count},"Links":[]}`;
    assert.ok(payload.length >= 50 * MB);

    const out = adapter.parse(payload);

    assert.equal(out.records.length, count);
    assert.equal(out.quarantined.length, 0);
    assert.equal(out.records[0].date, '2025-09-01');
  });

  it('50 MB of timetable items parses completely', () => {
    const parts: string[] = [];
    let size = 0;
    let count = 0;
    while (size < 50 * MB) {
      const part = JSON.stringify({ ...AFSPRAAK, Id: count, Status: count % 10 === 0 ? 5 : 1 });
      parts.push(part);
      size += part.length + 1;
      count += 1;
    }
    const out = adapter.parse(`{"Items":[${parts.join(',')}]}`);
    assert.equal(out.lessons.length, count);
    assert.equal(out.lessons.filter((l) => l.cancelled).length, Math.ceil(count / 10));
  });
});

describe('magister adapter: the fast path for common absences', () => {
  it('gives the checked record whenever it gives one, for any odd value in any field (property)', () => {
    const fields = [
      ...Object.keys(ABSENCE),
      'Afspraak.Id',
      'Afspraak.Start',
      'Afspraak.Einde',
      'Afspraak.LesuurVan',
    ];
    const oddOrFine = fc.oneof(
      fc.constantFrom(...ODD_VALUES, undefined),
      fc.constantFrom(
        0,
        3,
        7,
        8,
        5001,
        '5001',
        ' SP ',
        '',
        '0',
        '2026-03-29T01:00:00Z',
        '2026-10-25T00:59:59.9999999Z',
      ),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...fields), oddOrFine, { maxKeys: 4 }),
        fc.constantFrom('4216', null),
        (changes, pupil) => {
          const item: Record<string, unknown> = { ...ABSENCE, Afspraak: { ...AFSPRAAK } };
          for (const [field, odd] of Object.entries(changes)) {
            const [head, tail] = field.split('.');
            if (tail === undefined) item[head] = odd;
            else if (typeof item[head] === 'object' && item[head] !== null)
              (item[head] as Record<string, unknown>)[tail] = odd;
          }
          const fast = commonAbsence(item, pupil);
          const checked = checkedAbsence(item, pupil);
          if (fast !== null) {
            assert.ok(checked.ok, 'the fast path never accepts what the checked one refuses');
            expect(fast).toEqual(checked.value);
          }
        },
      ),
      { numRuns: 3000 },
    );
    // The common shapes do take the fast path.
    assert.notEqual(commonAbsence(ABSENCE, '4216'), null);
    assert.notEqual(commonAbsence({ ...ABSENCE, Afspraak: null, AfspraakId: 0, Lesuur: null }, '4216'), null);
  });

  it('reads a common afspraak as the checked way does (property)', () => {
    const oddOrFine = fc.oneof(
      fc.constantFrom(...ODD_VALUES, undefined),
      fc.constantFrom(0, 4, 13, 7002, '7002', ' ne - JDK - h2b ', 'Wiskunde', '', '2026-01-13T09:10:00Z'),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...Object.keys(AFSPRAAK)), oddOrFine, { maxKeys: 4 }),
        fc.constantFrom('4216', null),
        (changes, pupil) => {
          const afspraak = { ...AFSPRAAK, ...changes };
          const fast = commonLesson(afspraak, pupil);
          const checked = checkedLesson(afspraak, pupil, 'Afspraak.');
          if (fast !== null) {
            assert.ok(checked.ok, 'the fast path never accepts what the checked one refuses');
            expect(fast).toEqual(checked.value);
          }
        },
      ),
      { numRuns: 3000 },
    );
    assert.notEqual(commonLesson(AFSPRAAK, '4216'), null);
  });
});
