import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { AdapterOutput } from '#domain';
import { magisterAdapter } from './index.js';

// Fixtures are not copied to dist/: read them from the source tree.
const FIXTURES = fileURLToPath(new URL('../../../../../libs/adapters/magister/fixtures/', import.meta.url));
const files = (folder: string): string[] => readdirSync(`${FIXTURES}${folder}`).sort();
const read = (folder: string, name: string): string => readFileSync(`${FIXTURES}${folder}/${name}`, 'utf8');

/** Per ok file, what each record or lesson must say (one row per output, in payload order). */
const EXPECTED: Readonly<Record<string, { records?: unknown[]; lessons?: unknown[] }>> = {
  'absenties-late-arrival.json': {
    records: [
      // 23:00Z on 26 October 2025 (after the change to CET) is 27 October.
      {
        sourceId: '6301',
        kind: 'LATE',
        date: '2025-10-27',
        hours: [3, 3],
        ref: '8301',
        code: 'TL',
        flag: false,
      },
      // 22:00Z on 23 October 2025 (still CEST) is 24 October.
      {
        sourceId: '6302',
        kind: 'LATE',
        date: '2025-10-24',
        hours: [1, 1],
        ref: '8302',
        code: 'TLG',
        flag: true,
      },
    ],
  },
  'absenties-sent-out-exemption-homework.json': {
    records: [
      {
        sourceId: '6401',
        kind: 'SENT_OUT',
        date: '2026-01-20',
        hours: [4, 4],
        ref: '8401',
        code: 'UL',
        flag: false,
      },
      {
        sourceId: '6402',
        kind: 'EXEMPTION',
        date: '2026-01-20',
        hours: [6, 6],
        ref: '8402',
        code: null,
        flag: true,
      },
      {
        sourceId: '6403',
        kind: 'NOT_ATTENDANCE',
        date: '2026-01-20',
        hours: [2, 2],
        ref: '8403',
        code: 'BV',
        flag: null,
      },
    ],
  },
  'absenties-summer-time.json': {
    records: [
      {
        sourceId: '6101',
        kind: 'ABSENT',
        date: '2026-05-12',
        hours: [1, 1],
        ref: '8101',
        code: 'OA',
        flag: false,
        start: '2026-05-12T06:30:00Z',
        end: '2026-05-12T07:20:00Z',
      },
    ],
  },
  'absenties-whole-day.json': {
    records: [
      {
        sourceId: '6201',
        kind: 'SICK',
        date: '2026-02-03',
        hours: [null, null],
        ref: null,
        code: 'ZK',
        flag: true,
      },
      {
        sourceId: '6202',
        kind: 'SICK',
        date: '2026-03-30',
        hours: [null, null],
        ref: null,
        code: 'ZK',
        flag: true,
        end: '2026-04-02T00:00:00',
      },
    ],
  },
  'afspraken-cancelled-lesson.json': {
    lessons: [
      // Friday 24 October 2025, CEST: 06:30Z is 08:30 local.
      {
        id: '9101',
        date: '2025-10-24',
        start: '2025-10-24T06:30:00Z',
        minutes: 50,
        cancelled: false,
        group: 'h3b',
      },
      // Monday 27 October 2025, CET: 07:30Z is 08:30 local; Status 4 is cancelled.
      {
        id: '9102',
        date: '2025-10-27',
        start: '2025-10-27T07:30:00Z',
        minutes: 50,
        cancelled: true,
        group: 'h3b',
      },
      // "subject - group": two parts keep only the subject.
      { id: '9103', date: '2025-10-27', start: '2025-10-27T08:20:00Z', minutes: 100, cancelled: false },
      // 9104 (DuurtHeleDag) and 9105 (Type 1, a personal appointment) are not lessons.
    ],
  },
};

function summary(out: AdapterOutput) {
  return {
    records: out.records.map((r) => ({
      sourceId: r.sourceId,
      kind: r.kind,
      date: r.date,
      hours: [r.lessonHourFrom, r.lessonHourTo],
      ref: r.lessonRef,
      code: r.reasonCode,
      flag: r.authorisedFlag,
      ...(r.start === null ? {} : { start: r.start }),
      ...(r.end === null ? {} : { end: r.end }),
    })),
    lessons: out.lessons.map((l) => ({
      id: l.lessonId,
      date: l.date,
      start: l.start,
      minutes: l.durationMinutes,
      cancelled: l.cancelled,
      ...(l.group === undefined ? {} : { group: l.group }),
    })),
  };
}

describe('magister fixtures: ok', () => {
  const names = files('ok');

  it('every ok fixture has its expectation here, and every expectation its fixture', () => {
    expect(names).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const name of names) {
    it(`${name}: the expected records and lessons, nothing quarantined`, () => {
      const out = magisterAdapter.parse(read('ok', name));
      expect(out.quarantined).toEqual([]);
      assert.ok(out.records.length + out.lessons.length > 0);
      const expected = EXPECTED[name];
      expect(summary(out)).toEqual({ records: expected.records ?? [], lessons: expected.lessons ?? [] });
    });
  }
});

describe('magister fixtures: not-ok (named <reason>.<case>.json)', () => {
  for (const name of files('not-ok')) {
    const reason = name.slice(0, name.indexOf('.')).toUpperCase().replaceAll('-', '_');
    it(`${name}: quarantined as ${reason}, never thrown`, () => {
      const out = magisterAdapter.parse(read('not-ok', name));
      assert.ok(out.quarantined.length > 0, 'something is quarantined');
      for (const q of out.quarantined) {
        assert.equal(q.reason, reason);
        assert.equal(q.sourceSystem, 'magister');
        assert.ok(q.detail.length > 0);
        assertNoValueQuoted(q.detail, q.raw);
      }
      // A bad item never takes the good items of its payload with it (payload-level entries keep the text).
      const items = itemCount(read('not-ok', name));
      if (items !== null && out.quarantined.every((q) => typeof q.raw !== 'string')) {
        assert.equal(out.records.length + out.lessons.length + out.quarantined.length, items);
      }
    });
  }
});

function itemCount(payload: string): number | null {
  try {
    const parsed = JSON.parse(payload) as { Items?: unknown };
    return Array.isArray(parsed.Items) ? parsed.Items.length : null;
  } catch {
    return null;
  }
}

/** The detail names fields; it never repeats a text value of the item (those may be personal data). */
function assertNoValueQuoted(detail: string, raw: unknown): void {
  if (typeof raw === 'string') return;
  const walk = (v: unknown): void => {
    if (typeof v === 'string' && /[a-z]/i.test(v) && v.length >= 3) {
      assert.ok(!detail.includes(v), `detail quotes a value of the item`);
    } else if (typeof v === 'object' && v !== null) {
      Object.values(v).forEach(walk);
    }
  };
  walk(raw);
}
