import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { type AdapterOutput, type Lesson, QUARANTINE_REASONS } from '#domain';
import { zermeloAdapter } from './index.js';

// Compiled to dist/libs/adapters/zermelo/src/: six levels up is the folder holding the checkout and ../shared.
const sharedFixtures = fileURLToPath(
  new URL('../../../../../../shared/fixtures/source-systems/', import.meta.url),
);
// The corpus stays in the source tree (fixtures are not compiled).
const corpus = fileURLToPath(new URL('../../../../../libs/adapters/zermelo/fixtures/', import.meta.url));

const read = (path: string): string => readFileSync(path, 'utf8');

const lesson = (fields: Omit<Lesson, 'sourceSystem' | 'lessonId'>): Lesson => ({
  lessonId: fields.sourceId,
  sourceSystem: 'zermelo',
  ...fields,
});

/** Every string leaf of length ≥ 4 and every number ≥ 1000 in a value: what `detail` must never quote. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && value.length >= 4) out.push(value);
  else if (typeof value === 'number' && Math.abs(value) >= 1000) out.push(String(value));
  else if (Array.isArray(value)) value.forEach((v) => leaves(v, out));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => leaves(v, out));
  return out;
}

function parse(payload: string): AdapterOutput {
  let output: AdapterOutput | undefined;
  assert.doesNotThrow(() => {
    output = zermeloAdapter.parse(payload);
  });
  return output!;
}

/** The expected lessons of every file in fixtures/ok/, worked out by hand from the Unix seconds. */
const expectedOk: Record<string, Lesson[]> = {
  'dst-spring-2026.json': [
    // Friday before the change: CET, 08:30 local = 07:30Z.
    lesson({
      sourceId: '700001',
      pupil: '123456',
      date: '2026-03-27',
      start: '2026-03-27T07:30:00Z',
      end: '2026-03-27T08:20:00Z',
      lessonHour: 1,
      durationMinutes: 50,
      cancelled: false,
      subject: 'wi',
      group: 'h2b',
    }),
    // The night of the change: starts 00:30 CET on the 29th (still the 28th in UTC), ends 03:30 CEST;
    // 120 real minutes although the wall clock moved three hours. No time slot → lessonHour null.
    lesson({
      sourceId: '700002',
      pupil: '123456',
      date: '2026-03-29',
      start: '2026-03-28T23:30:00Z',
      end: '2026-03-29T01:30:00Z',
      lessonHour: null,
      durationMinutes: 120,
      cancelled: false,
      subject: 'nat',
      group: 'h2b',
    }),
    // Monday after the change: CEST, 08:30 local = 06:30Z.
    lesson({
      sourceId: '700003',
      pupil: '123456',
      date: '2026-03-30',
      start: '2026-03-30T06:30:00Z',
      end: '2026-03-30T07:20:00Z',
      lessonHour: 1,
      durationMinutes: 50,
      cancelled: false,
      subject: 'ne',
      group: 'h2b',
    }),
    // 700004 is the superseded (valid: false) version of this moved lesson; 700006 is an activity.
    lesson({
      sourceId: '700005',
      pupil: '123456',
      date: '2026-03-30',
      start: '2026-03-30T08:30:00Z',
      end: '2026-03-30T09:20:00Z',
      lessonHour: 3,
      durationMinutes: 50,
      cancelled: false,
      subject: 'en',
      group: 'h2b',
    }),
  ],
  'dst-autumn-2025.json': [
    // Friday before the change: CEST; slot only by name ("u1").
    lesson({
      sourceId: '700101',
      date: '2025-10-24',
      start: '2025-10-24T06:30:00Z',
      end: '2025-10-24T07:20:00Z',
      lessonHour: 1,
      durationMinutes: 50,
      cancelled: false,
      subject: 'gs',
      group: 'h2b',
    }),
    // Monday after the change: CET; cancelled.
    lesson({
      sourceId: '700102',
      date: '2025-10-27',
      start: '2025-10-27T07:30:00Z',
      end: '2025-10-27T08:20:00Z',
      lessonHour: 1,
      durationMinutes: 50,
      cancelled: true,
      subject: 'ak',
      group: 'h2b',
    }),
    // A block lesson u2–u3: lessonHour is the start slot, the duration covers both; groups[0] only.
    lesson({
      sourceId: '700103',
      date: '2025-10-27',
      start: '2025-10-27T08:20:00Z',
      end: '2025-10-27T10:00:00Z',
      lessonHour: 2,
      durationMinutes: 100,
      cancelled: false,
      subject: 'lo',
      group: 'h2b',
    }),
    // 700104 is an exam: skipped.
  ],
};

describe('zermeloAdapter', () => {
  it('identifies itself as the zermelo timetable adapter', () => {
    assert.equal(zermeloAdapter.system, 'zermelo');
    expect(zermeloAdapter.produces).toEqual(['lessons']);
  });

  describe('shared example zermelo-appointments.json', () => {
    const output = parse(read(join(sharedFixtures, 'zermelo-appointments.json')));

    it('gives one lesson per appointment with UTC instants, the Amsterdam date and the slot', () => {
      // 1768289400 = 2026-01-13T07:30:00Z = 08:30 CET, lesson hour 1 of the example bell schedule.
      expect(output.lessons).toEqual([
        lesson({
          sourceId: '600001',
          date: '2026-01-13',
          start: '2026-01-13T07:30:00Z',
          end: '2026-01-13T08:20:00Z',
          lessonHour: 1,
          durationMinutes: 50,
          cancelled: false,
          subject: 'wi',
          group: 'h2b',
        }),
        lesson({
          sourceId: '600002',
          date: '2026-01-13',
          start: '2026-01-13T08:20:00Z',
          end: '2026-01-13T09:10:00Z',
          lessonHour: 2,
          durationMinutes: 50,
          cancelled: false,
          subject: 'ne',
          group: 'h2b',
        }),
        lesson({
          sourceId: '600003',
          date: '2026-01-13',
          start: '2026-01-13T09:30:00Z',
          end: '2026-01-13T10:20:00Z',
          lessonHour: 3,
          durationMinutes: 50,
          cancelled: true,
          subject: 'en',
          group: 'h2b',
        }),
      ]);
      expect(output.records).toEqual([]);
      expect(output.quarantined).toEqual([]);
    });

    it('never carries teachers into a lesson', () => {
      assert.ok(!JSON.stringify(output).includes('"abc"'));
    });
  });

  describe('fixtures/ok', () => {
    const files = readdirSync(join(corpus, 'ok')).sort();

    it('has an expectation for every file', () => {
      assert.ok(files.length >= 2);
      expect(files).toEqual(Object.keys(expectedOk).sort());
    });

    for (const file of files) {
      it(`${file}: the expected lessons, nothing quarantined`, () => {
        const output = parse(read(join(corpus, 'ok', file)));
        expect(output.quarantined).toEqual([]);
        expect(output.records).toEqual([]);
        expect(output.lessons).toEqual(expectedOk[file]);
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
      it(`${file}: one quarantined item coded ${codeOf(file)}, the rest proceeds`, () => {
        const payload = read(join(corpus, 'not-ok', file));
        const output = parse(payload);
        assert.equal(output.quarantined.length, 1);
        const [item] = output.quarantined;
        assert.equal(item.reason, codeOf(file));
        assert.equal(item.quarantined, true);
        assert.equal(item.sourceSystem, 'zermelo');
        assert.ok(item.detail.length > 0);
        for (const value of leaves(item.raw))
          assert.ok(!item.detail.includes(value), 'detail quotes a value');
        if (item.reason === 'MALFORMED_PAYLOAD') {
          assert.equal(item.sourceId, null);
          expect(output.lessons).toEqual([]);
        } else {
          // Item-level failures: the good appointment beside it still becomes a lesson.
          expect(output.lessons.map((l) => l.sourceId)).toEqual(['800002']);
        }
      });
    }
  });

  describe('decisions', () => {
    const appointment = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
      id: 1,
      start: 1768289400,
      end: 1768292400,
      startTimeSlot: 1,
      startTimeSlotName: 'u1',
      type: 'lesson',
      valid: true,
      cancelled: false,
      subjects: ['wi'],
      teachers: ['abc'],
      groups: ['h2b'],
      ...fields,
    });
    const envelope = (data: unknown[], extra: Record<string, unknown> = {}): string =>
      JSON.stringify({ ...extra, response: { status: 200, data } });

    it('skips superseded versions (valid: false) without quarantine, even when otherwise broken', () => {
      const output = parse(envelope([appointment({ valid: false }), appointment({ valid: false, end: 1 })]));
      expect(output).toEqual({ records: [], lessons: [], quarantined: [] });
    });

    it('skips every type but "lesson" without quarantine', () => {
      const types = [
        'exam',
        'activity',
        'choice',
        'talk',
        'other',
        'interlude',
        'meeting',
        'conflict',
        'unknown',
      ];
      const output = parse(envelope(types.map((type, i) => appointment({ id: i, type }))));
      expect(output).toEqual({ records: [], lessons: [], quarantined: [] });
    });

    it('takes the pupil from a top-level user, ignoring "~me" and blanks', () => {
      assert.equal(parse(envelope([appointment()], { user: '4711' })).lessons[0].pupil, '4711');
      assert.ok(!('pupil' in parse(envelope([appointment()], { user: '~me' })).lessons[0]));
      assert.ok(!('pupil' in parse(envelope([appointment()], { user: ' ' })).lessons[0]));
      assert.ok(!('pupil' in parse(envelope([appointment()])).lessons[0]));
    });

    it('quarantines the payload when the top-level user is not a string', () => {
      const output = parse(envelope([appointment()], { user: 4711 }));
      expect(output.quarantined.map((q) => [q.reason, q.sourceId])).toEqual([['MALFORMED_PAYLOAD', null]]);
      expect(output.lessons).toEqual([]);
    });

    it('reads the lesson hour from startTimeSlot first, then from startTimeSlotName, else null', () => {
      const hours = parse(
        envelope([
          appointment({ id: 1, startTimeSlot: 4, startTimeSlotName: 'u9' }),
          appointment({ id: 2, startTimeSlot: null, startTimeSlotName: 'u7' }),
          appointment({ id: 3, startTimeSlot: undefined, startTimeSlotName: 'U10' }),
          appointment({ id: 4, startTimeSlot: null, startTimeSlotName: 'pauze' }),
          appointment({ id: 5, startTimeSlot: null, startTimeSlotName: null }),
          appointment({ id: 6, startTimeSlot: 0, startTimeSlotName: 'u0' }),
        ]),
      ).lessons.map((l) => l.lessonHour);
      expect(hours).toEqual([4, 7, 10, null, null, 0]);
    });

    it('leaves subject and group out when Zermelo gives none, and defaults cancelled to false', () => {
      const [only] = parse(
        envelope([appointment({ subjects: [], groups: undefined, cancelled: undefined })]),
      ).lessons;
      assert.ok(only);
      assert.ok(!('subject' in only) && !('group' in only));
      assert.equal(only.cancelled, false);
    });

    it('measures real elapsed minutes across the autumn DST change', () => {
      // 2025-10-26 02:30 CEST (00:30Z) to 02:30 CET (01:30Z): the wall clock shows 0 minutes, 60 passed.
      const [night] = parse(envelope([appointment({ start: 1761438600, end: 1761442200 })])).lessons;
      expect([night.date, night.start, night.end, night.durationMinutes]).toEqual([
        '2025-10-26',
        '2025-10-26T00:30:00Z',
        '2025-10-26T01:30:00Z',
        60,
      ]);
    });

    it('dates a lesson by its Amsterdam start even when UTC is still on the previous day', () => {
      // 2026-01-12T23:30Z is 00:30 on 13 January in Amsterdam.
      const [late] = parse(envelope([appointment({ start: 1768260600, end: 1768263600 })])).lessons;
      assert.equal(late.date, '2026-01-13');
    });

    it('accepts a 12-hour appointment and quarantines anything longer', () => {
      const output = parse(
        envelope([
          appointment({ id: 1, end: 1768289400 + 12 * 3600 }),
          appointment({ id: 2, end: 1768289400 + 12 * 3600 + 1 }),
        ]),
      );
      expect(output.lessons.map((l) => [l.sourceId, l.durationMinutes])).toEqual([['1', 720]]);
      expect(output.quarantined.map((q) => [q.sourceId, q.reason])).toEqual([['2', 'IMPOSSIBLE_TIME']]);
    });

    it('reads a payload with a byte-order mark', () => {
      assert.equal(parse('\uFEFF' + envelope([appointment()])).lessons.length, 1);
    });

    it('quarantines an empty payload and JSON that is not an envelope', () => {
      for (const payload of ['', 'null', '"text"', '{}', '{"response":null}', '{"response":{"data":[]}}']) {
        const output = parse(payload);
        expect(output.quarantined.map((q) => [q.reason, q.sourceId])).toEqual([['MALFORMED_PAYLOAD', null]]); // payload
      }
    });

    it('uses only reasons from the domain list', () => {
      const output = parse(
        envelope([appointment({ start: 'x' }), appointment({ type: 3 }), appointment({ id: {} })]),
      );
      assert.equal(output.quarantined.length, 3);
      for (const q of output.quarantined) assert.ok(QUARANTINE_REASONS.includes(q.reason));
    });

    it('parses a 50 MB payload', () => {
      const data: unknown[] = [];
      let size = 0;
      for (let i = 0; size < 50 * 1024 * 1024; i += 1) {
        const item = appointment({
          id: i,
          start: 1768289400 + i * 60,
          end: 1768292400 + i * 60,
          remark: 'x'.repeat(700),
        });
        size += JSON.stringify(item).length + 1;
        data.push(item);
      }
      const payload = envelope(data);
      assert.ok(payload.length >= 50 * 1024 * 1024);
      const output = parse(payload);
      assert.equal(output.lessons.length, data.length);
      assert.equal(output.quarantined.length, 0);
    });
  });
});

/** `impossible-time.end-before-start.json` → `IMPOSSIBLE_TIME`. */
function codeOf(file: string): string {
  return file.split('.')[0].toUpperCase().replaceAll('-', '_');
}
