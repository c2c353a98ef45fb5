import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { type Actor, type Pupil, type SchoolCalendar, FixedClock } from '#domain';
import { PupilOverviewUseCase } from './pupil-overview.usecase.js';

// Compiled to dist/libs/application/src/pupil-overview/: six levels up is the folder holding ../shared.
const calendar = JSON.parse(
  readFileSync(
    fileURLToPath(
      new URL('../../../../../../shared/fixtures/calendars/example-school-2025-2026.json', import.meta.url),
    ),
    'utf8',
  ),
) as SchoolCalendar;

const staff: Actor = { role: 'school_staff', subject: 's', board: 'B', schools: ['99XX'] };
const pupil: Pupil = {
  board: 'B',
  localId: 'p1',
  school: '99XX',
  administration: '99XX',
  birthDate: '2011-01-01',
  sector: 'vo',
  startkwalificatie: null,
  woongemeente: null,
  enrolledFrom: '2023-08-21',
  leftOn: null,
  hasBsn: false,
  legalHold: null,
  updatedAt: '2025-09-01T00:00:00.000Z',
};

function overviewAt(now: string) {
  return new PupilOverviewUseCase(
    { find: () => Promise.resolve(pupil) },
    { get: () => Promise.resolve(null) },
    {
      currentRecords: () => Promise.resolve(new Map()),
      signalsOf: () => Promise.resolve([]),
      reportsOfSignals: () => Promise.resolve([]),
    },
    {
      get: () =>
        Promise.resolve({ school: '99XX', calendar, updatedAt: '2025-09-01T00:00:00Z', updatedBy: 's' }),
    },
    new FixedClock(new Date(now)),
  );
}

describe('pupil overview: the default period counts school weeks by the school calendar', () => {
  it('12 school weeks back from this week skip the holiday weeks (Kerst, herfst)', async () => {
    const overview = await overviewAt('2026-01-14T10:00:00Z').execute(staff, '99XX', 'p1');
    expect(overview.period).toEqual({ from: '2025-10-06', to: '2026-01-18' });
    assert.equal(overview.weeks.length, 15, '12 school weeks and 3 weeks of holiday');
    const christmas = overview.weeks.find((w) => w.weekStart === '2025-12-29')!;
    expect(christmas.days.map((d) => [d.schoolDay, d.closedFor])).toEqual(
      Array.from({ length: 5 }, () => [false, 'Kerstvakantie']),
    );
    const studiedag = overview.weeks.flatMap((w) => w.days).find((d) => d.date === '2025-11-12')!;
    expect([studiedag.schoolDay, studiedag.closedFor]).toEqual([false, 'Studiedag']);
    expect(overview.lessonHours).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("takes today's date in Amsterdam: Sunday 23:30 UTC is already Monday, a new week", async () => {
    const sunday = await overviewAt('2026-01-18T22:30:00Z').execute(staff, '99XX', 'p1');
    assert.equal(sunday.period.to, '2026-01-18');
    const monday = await overviewAt('2026-01-18T23:30:00Z').execute(staff, '99XX', 'p1');
    assert.equal(monday.period.to, '2026-01-25');
    assert.equal(monday.period.from, '2025-10-13');
  });

  it('a chosen period of exactly 182 days is shown, one more day is refused', async () => {
    const use = overviewAt('2026-01-14T10:00:00Z');
    const ok = await use.execute(staff, '99XX', 'p1', { from: '2025-09-01', to: '2026-03-01' });
    assert.equal(ok.period.to, '2026-03-01');
    await assert.rejects(use.execute(staff, '99XX', 'p1', { from: '2025-09-01', to: '2026-03-02' }), {
      code: 'OVERVIEW_INVALID',
    });
  });

  it('a school outside the token is not found, before anything is read', async () => {
    await assert.rejects(overviewAt('2026-01-14T10:00:00Z').execute(staff, '98YY', 'p1'), {
      code: 'PUPIL_NOT_FOUND',
    });
  });
});
