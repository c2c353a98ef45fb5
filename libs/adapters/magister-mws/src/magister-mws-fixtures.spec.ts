import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { magisterMwsAdapter } from './index.js';

// Fixtures are not copied to dist/: read them from the source tree.
const FIXTURES = fileURLToPath(
  new URL('../../../../../libs/adapters/magister-mws/fixtures/', import.meta.url),
);
const files = (folder: string): string[] => readdirSync(`${FIXTURES}${folder}`).sort();
const read = (folder: string, name: string): string => readFileSync(`${FIXTURES}${folder}/${name}`, 'utf8');

/** Per ok file, what each record must say, in row order. */
const EXPECTED: Readonly<Record<string, readonly unknown[]>> = {
  'verantwoordingen-type-column.xml': [
    {
      id: '901001',
      pupil: '030112',
      kind: 'LATE',
      date: '2026-03-30',
      hours: [3, 3],
      ref: '6601001',
      code: 'TL',
      flag: false,
      wholeDay: false,
    },
    {
      id: '901002',
      pupil: '030112',
      kind: 'SICK',
      date: '2026-03-31',
      hours: [null, null],
      ref: null,
      code: 'ZK',
      flag: true,
      wholeDay: true,
    },
    // The code is trimmed; an empty geoorloofd element is "not given", not false.
    {
      id: '901003',
      pupil: '030113',
      kind: 'ABSENT',
      date: '2026-03-31',
      hours: [6, 6],
      ref: '6601077',
      code: 'SP',
      flag: null,
      wholeDay: false,
    },
  ],
  'verantwoordingen-type-names.xml': [
    // 22:00Z on 30 June (CEST) is 1 July; V&amp;L is the code V&L.
    {
      id: '902001',
      pupil: '030200',
      kind: 'SENT_OUT',
      date: '2025-07-01',
      hours: [2, 2],
      ref: '6602001',
      code: 'V&L',
      flag: false,
      wholeDay: false,
    },
    {
      id: '902002',
      pupil: '030200',
      kind: 'EXEMPTION',
      date: '2025-07-01',
      hours: [5, 5],
      ref: '6602002',
      code: 'VR',
      flag: true,
      wholeDay: false,
    },
  ],
};

describe('magister-mws fixtures: ok', () => {
  const names = files('ok');

  it('every ok fixture has its expectation here, and every expectation its fixture', () => {
    expect(names).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const name of names) {
    it(`${name}: the expected records, nothing quarantined, no remark kept`, () => {
      const out = magisterMwsAdapter.parse(read('ok', name));
      expect(out.quarantined).toEqual([]);
      expect(out.lessons).toEqual([]);
      expect(
        out.records.map((r) => ({
          id: r.sourceId,
          pupil: r.pupil.localId,
          kind: r.kind,
          date: r.date,
          hours: [r.lessonHourFrom, r.lessonHourTo],
          ref: r.lessonRef,
          code: r.reasonCode,
          flag: r.authorisedFlag,
          wholeDay: r.wholeDay,
        })),
      ).toEqual(EXPECTED[name]);
      const text = JSON.stringify(out.records);
      for (const remark of ['fiets', 'gezien', 'genoteerd']) assert.ok(!text.includes(remark));
    });
  }
});

describe('magister-mws fixtures: not-ok (named <reason>.<case>.xml)', () => {
  for (const name of files('not-ok')) {
    const reason = name.slice(0, name.indexOf('.')).toUpperCase().replaceAll('-', '_');
    it(`${name}: quarantined as ${reason}, never thrown`, () => {
      const out = magisterMwsAdapter.parse(read('not-ok', name));
      assert.ok(out.quarantined.length > 0, 'something is quarantined');
      for (const q of out.quarantined) {
        assert.equal(q.reason, reason);
        assert.equal(q.sourceSystem, 'magister-mws');
        // Details name columns; they never repeat what a school system wrote (names, remarks, file contents).
        for (const text of ['Vries', 'jansen', 'root:', 'lollol', 'misschien', 'kolommen', '21457']) {
          assert.ok(!q.detail.includes(text), `detail repeats ${text}`);
        }
      }
      // The well-formed first row of an item-level case still becomes a record.
      const payloadLevel = out.quarantined.some((q) => typeof q.raw === 'string');
      if (!payloadLevel && !name.startsWith('unknown-kind.no-type-column'))
        assert.equal(out.records.length, 1);
    });
  }
});
