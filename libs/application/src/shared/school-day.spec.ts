import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type Actor, isDomainError } from '#domain';
import { isIsoDate, schoolInScope, schoolToday } from './school-day.js';

const DAY_MS = 86_400_000;
const instant = fc.date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true });

describe('isIsoDate', () => {
  it('accepts exactly the real calendar dates', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
        (d) => isIsoDate(d.toISOString().slice(0, 10)),
      ),
    );
    for (const bad of ['2026-02-29', '2025-13-01', '2025-1-01', 20250101, null])
      assert.equal(isIsoDate(bad), false);
  });
});

describe('schoolToday (Europe/Amsterdam)', () => {
  it('is a real date, the UTC date or the day after (Amsterdam is UTC+1 or UTC+2)', () => {
    fc.assert(
      fc.property(instant, (now) => {
        const today = schoolToday(now);
        assert.ok(isIsoDate(today));
        const utc = now.toISOString().slice(0, 10);
        const next = new Date(now.getTime() + DAY_MS).toISOString().slice(0, 10);
        assert.ok(today === utc || today === next, `${now.toISOString()} → ${today}`);
      }),
    );
  });

  it('never goes back as time goes on', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 10 * DAY_MS }), (now, later) => {
        assert.ok(schoolToday(now) <= schoolToday(new Date(now.getTime() + later)));
      }),
    );
  });

  it('turns at local midnight, not UTC midnight', () => {
    assert.equal(schoolToday(new Date('2026-01-14T23:30:00Z')), '2026-01-15'); // winter: UTC+1
    assert.equal(schoolToday(new Date('2026-07-14T21:59:00Z')), '2026-07-14'); // summer: UTC+2
    assert.equal(schoolToday(new Date('2026-07-14T22:00:00Z')), '2026-07-15');
  });
});

describe('schoolInScope', () => {
  const school = fc.stringMatching(/^\d{2}[A-Z]{2}$/);

  it("a staff member's own schools are in scope; any other looks like a missing school (404)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(school, { minLength: 1, maxLength: 5 }), school, (schools, asked) => {
        const actor: Actor = { role: 'school_staff', subject: 's', board: 'B', schools };
        if (schools.includes(asked)) {
          expect(schoolInScope(actor, 'read', asked)).toEqual({ board: 'B', school: asked });
        } else {
          assert.throws(
            () => schoolInScope(actor, 'read', asked),
            (e: unknown) => isDomainError(e) && e.code === 'SCHOOL_NOT_FOUND',
          );
        }
      }),
    );
  });

  it('a whole-board role covers every school of its board; a role without board scope is refused', () => {
    fc.assert(
      fc.property(school, (asked) => {
        const officer: Actor = { role: 'privacy_officer', subject: 'p', board: 'B' };
        expect(schoolInScope(officer, 'read', asked)).toEqual({ board: 'B', school: asked });
        const leerplicht: Actor = { role: 'leerplicht_officer', subject: 'l', municipalities: ['0363'] };
        assert.throws(
          () => schoolInScope(leerplicht, 'read', asked),
          (e: unknown) => isDomainError(e) && e.code === 'ROLE_NOT_ALLOWED',
        );
      }),
    );
  });
});
