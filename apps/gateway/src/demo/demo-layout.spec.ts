import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { dateOfDay, dayNumber, deriveSchoolYear, weekdayOf } from './demo-calendar.js';
import { type DemoLayout, planDemoLayout } from './demo-layout.js';

const boardDir = fileURLToPath(new URL('../../../../../config/demo/board/', import.meta.url));
const read = (name: string): string => readFileSync(`${boardDir}${name}`, 'utf8');
const shipped = JSON.parse(readFileSync(`${boardDir}../calendar.json`, 'utf8')) as {
  holidays: { name: string; start: string; end: string }[];
  closedDays: { date: string; name: string }[];
};
const board = JSON.parse(read('board.json')) as { term: { from: string; to: string } };
const term = { ...JSON.parse(read('99XX/calendar.json')), ...board.term };
const pupils = JSON.parse(read('pupils.json')) as { localId: string; birthDate: string }[];

/** Every absence of the board as [pupil localId, Amsterdam date-time text] (Magister per person; SOMtoday). */
function absences(shift: (text: string) => string): [string, string][] {
  const out: [string, string][] = [];
  for (const file of readdirSync(`${boardDir}99XX/absenties`)) {
    const items = (
      JSON.parse(shift(read(`99XX/absenties/${file}`))) as { Items: { Afspraak: { Start: string } }[] }
    ).Items;
    for (const item of items) out.push([file.replace('.json', ''), item.Afspraak.Start]);
  }
  const somtoday = JSON.parse(shift(read('99XY/absentiemeldingen.json'))) as {
    items: { leerling: { links: { id: number }[] }; beginDatumTijd: string }[];
  };
  for (const item of somtoday.items) out.push([String(item.leerling.links[0]?.id), item.beginDatumTijd]);
  return out;
}
/** Every lesson start of the board (both timetables). */
function lessons(shift: (text: string) => string): string[] {
  const out: string[] = [];
  for (const file of readdirSync(`${boardDir}99XX/afspraken`)) {
    const items = (JSON.parse(shift(read(`99XX/afspraken/${file}`))) as { Items: { Start: string }[] }).Items;
    out.push(...items.map((i) => i.Start));
  }
  const somtoday = JSON.parse(shift(read('99XY/afspraken.json'))) as { items: { beginDatumTijd: string }[] };
  out.push(...somtoday.items.map((i) => i.beginDatumTijd));
  return out;
}
const local = (text: string): DateTime =>
  DateTime.fromISO(text, { setZone: true }).setZone('Europe/Amsterdam');
const ageAt = (birth: string, date: string): number => {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
};

function isSchoolDay(layout: DemoLayout, date: string): boolean {
  const day = dayNumber(date);
  const { calendar } = layout;
  return (
    weekdayOf(day) < 5 &&
    date >= calendar.firstSchoolDay &&
    date <= calendar.lastSchoolDay &&
    !calendar.holidays.some((h) => date >= h.start && date <= h.end) &&
    !calendar.closedDays.some((c) => c.date === date)
  );
}

describe('the demo calendar derived by rule (region midden)', () => {
  it('reproduces the published 2025-2026 holidays and closed days of the shipped calendar', () => {
    const derived = deriveSchoolYear(2025);
    assert.equal(derived.confirmed, true);
    assert.equal(derived.firstSchoolDay, '2025-09-01');
    assert.equal(derived.lastSchoolDay, '2026-07-17');
    expect(derived.holidays).toEqual(shipped.holidays);
    expect(derived.closedDays).toEqual(
      shipped.closedDays.filter((c) => c.name !== 'Studiedag').sort((a, b) => a.date.localeCompare(b.date)),
    );
  });

  it('marks the years it has not checked against the publication as unconfirmed, and keeps them consistent', () => {
    for (let year = 2026; year <= 2032; year++) {
      const derived = deriveSchoolYear(year);
      assert.equal(derived.confirmed, false);
      assert.equal(weekdayOf(dayNumber(derived.firstSchoolDay)), 0, `${year} starts on a Monday`);
      assert.equal(weekdayOf(dayNumber(derived.lastSchoolDay)), 4, `${year} ends on a Friday`);
      const next = deriveSchoolYear(year + 1);
      assert.equal(
        dayNumber(next.firstSchoolDay) - dayNumber(derived.lastSchoolDay),
        45,
        'six weeks of summer',
      );
      for (const h of derived.holidays)
        assert.ok(h.start < h.end && weekdayOf(dayNumber(h.start)) === 5, h.name);
    }
    // Easter 2027 is 28 March: Goede Vrijdag 26 March, Tweede Paasdag 29 March, Tweede Pinksterdag 17 May;
    // Hemelvaartsdag (6 May) falls in the meivakantie (1–9 May) and is no separate closed day.
    const closed = deriveSchoolYear(2026).closedDays.map((c) => c.date);
    expect(['2027-03-26', '2027-03-29', '2027-05-17'].filter((d) => closed.includes(d))).toEqual([
      '2027-03-26',
      '2027-03-29',
      '2027-05-17',
    ]);
    assert.equal(closed.includes('2027-05-06'), false);
  });
});

describe('the demo board laid out in the school year of today', () => {
  const original = absences((t) => t);
  const originalLessons = lessons((t) => t);

  // Day of first start → the Monday of the board's last week: the latest full school week before that day with
  // nothing but holidays between the board's weeks; and, for the pupils whose story needs the board's autumn
  // holiday (luxe verzuim), the latest at which that holiday falls on a holiday again.
  const LAST_WEEK: Readonly<Record<string, readonly [string, string]>> = {
    '2026-12-05': ['2026-11-30', '2026-10-26'], // autumn: holiday layout back across the summer holiday
    '2027-03-01': ['2027-02-15', '2026-12-14'], // voorjaarsvakantie right before today; herfstvakantie 2026
    '2027-08-20': ['2027-03-15', '2027-03-01'], // summer holiday: Easter breaks the weeks after 15 March
    '2028-02-29': ['2028-02-14', '2028-01-03'], // leap day
    '2026-09-07': ['2026-03-23', '2026-03-02'], // first week of a school year: the previous one
    '2029-06-15': ['2029-03-19', '2029-03-05'],
  };
  const variants = Object.entries(LAST_WEEK).flatMap(([today, [recent, holiday]]) => [
    { today, lastWeek: recent, alignHolidays: false },
    { today, lastWeek: holiday, alignHolidays: true },
  ]);
  for (const { today, lastWeek, alignHolidays } of variants) {
    it(`on ${today}${alignHolidays ? ' (holiday stories)' : ''}: every lesson and absence on a school day of the loaded calendar, the absences ending in the last weeks before today`, () => {
      const layout = planDemoLayout(new Date(`${today}T11:00:00Z`), term, { alignHolidays });
      // The loader loads the calendar of the holiday layout (it starts no later): both layouts lie in it.
      const loaded = planDemoLayout(new Date(`${today}T11:00:00Z`), term, { alignHolidays: true });
      assert.ok(loaded.calendar.firstSchoolDay <= layout.calendar.firstSchoolDay);
      const moved = absences(layout.shiftText);
      assert.equal(moved.length, original.length);
      const dates = moved.map(([, at]) => local(at).toISODate() as string);
      for (const date of dates) assert.ok(isSchoolDay(loaded, date), `absence on ${date}`);
      for (const at of lessons(layout.shiftText)) {
        const date = local(at).toISODate() as string;
        assert.ok(isSchoolDay(loaded, date), `lesson on ${date}`);
      }
      const last = dates.reduce((a, b) => (a > b ? a : b));
      assert.ok(last < today, `last absence ${last} before ${today}`);
      assert.equal(layout.weeks.at(-1)?.to, lastWeek);
      assert.ok(dayNumber(last) >= dayNumber(lastWeek) && dayNumber(last) < dayNumber(lastWeek) + 5);
      // The week before the board's autumn holiday lies right before a holiday of the new calendar, the week after
      // it right after one: the luxe-verzuim story (absent Thursday and Friday before the holiday) holds.
      const inHoliday = (date: string): boolean =>
        loaded.calendar.holidays.some((h) => date >= h.start && date <= h.end);
      assert.equal(
        inHoliday(dateOfDay(dayNumber(layout.shiftDate('2025-10-17')) + 1)) &&
          inHoliday(dateOfDay(dayNumber(layout.shiftDate('2025-10-27')) - 1)),
        alignHolidays || layout.weeks.at(-1)?.to === loaded.weeks.at(-1)?.to,
        'the board week before its holiday right before a holiday, the week after right after one',
      );
      // Whole weeks: weekday and Amsterdam wall time stay as the board has them.
      original.forEach(([, at], i) => {
        const before = local(at);
        const after = local(moved[i][1]);
        assert.equal(after.weekday, before.weekday);
        assert.equal(after.toFormat('HH:mm'), before.toFormat('HH:mm'));
        assert.equal(((after.startOf('day').diff(before.startOf('day'), 'days').days % 7) + 7) % 7, 0);
      });
      assert.equal(lessons(layout.shiftText).length, originalLessons.length);
      // The calendar stays within the store's limit and the loaded school year names today's.
      assert.ok(dayNumber(layout.calendar.lastSchoolDay) - dayNumber(layout.calendar.firstSchoolDay) < 400);
      assert.equal(layout.schoolYear.length, 9);
      // Ages at the absences as the board intends (birth dates move with the board; minors stay minors).
      const births = new Map(
        (JSON.parse(layout.shiftText(read('pupils.json'))) as { localId: string; birthDate: string }[]).map(
          (p) => [p.localId, p.birthDate],
        ),
      );
      const originalBirths = new Map(pupils.map((p) => [p.localId, p.birthDate]));
      original.forEach(([pupil, at], i) => {
        const before = ageAt(originalBirths.get(pupil) as string, local(at).toISODate() as string);
        const after = ageAt(births.get(pupil) as string, dates[i]);
        assert.equal(after >= 18, before >= 18, `pupil ${pupil} adult on ${dates[i]} as on ${at}`);
        assert.ok(Math.abs(after - before) <= 1, `pupil ${pupil} age`);
      });
    });
  }

  it('keeps Magister local midnights and SOMtoday offsets right across a change of daylight saving time', () => {
    const layout = planDemoLayout(new Date('2026-12-05T11:00:00Z'), term);
    const week = layout.weeks.find((w) => w.from === '2025-09-15');
    assert.ok(week);
    const delta = dayNumber(week.to) - dayNumber(week.from);
    const monday = dateOfDay(dayNumber('2025-09-15') + delta);
    const moved = layout.shiftText(
      '{"a":"2025-09-14T22:00:00.0000000Z","b":"2025-09-15T08:30:00.000+02:00","c":"2025-09-15","d":"id-12025-09-150"}',
    );
    const parsed = JSON.parse(moved) as Record<string, string>;
    assert.equal(local(parsed['a']).toFormat("yyyy-MM-dd'T'HH:mm"), `${monday}T00:00`);
    assert.equal(local(parsed['b']).toFormat("yyyy-MM-dd'T'HH:mm"), `${monday}T08:30`);
    assert.match(parsed['a'], /^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.0000000Z$/);
    assert.match(parsed['b'], /^\d{4}-\d{2}-\d{2}T08:30:00\.000\+0[12]:00$/);
    assert.equal(parsed['c'], monday);
    assert.equal(parsed['d'], 'id-12025-09-150');
  });
});
