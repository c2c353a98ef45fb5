/**
 * The analysis screen's numbers, from the API's buckets (`GET /v1/schools/:brin/analysis`): absence is what the
 * signals count — geoorloofd, ongeoorloofd and not yet judged (`pending`) records — in lesuren (one record is one
 * lesson hour) and klokuren (the records' missed minutes). Present and "not an absence" records are left out.
 */

export interface AnalysisTotals {
  readonly minutes: number;
  readonly count: number;
}
export interface AnalysisBucket {
  readonly period: string;
  readonly key: string;
  readonly totals: Readonly<Record<string, AnalysisTotals>>;
}
export interface AnalysisResult {
  readonly school: string;
  readonly from: string;
  readonly to: string;
  readonly by: string;
  readonly period: string;
  readonly buckets: readonly AnalysisBucket[];
}

/** The legal classes that count as absence, in the order the screen shows them. */
export const ABSENCE_CLASSES = ['unauthorised', 'authorised', 'pending'] as const;
export const ABSENCE_CLASS_LABELS: Readonly<Record<(typeof ABSENCE_CLASSES)[number], string>> = {
  unauthorised: 'Ongeoorloofd',
  authorised: 'Geoorloofd',
  pending: 'Nog niet beoordeeld',
};
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
export const WEEKDAY_LABELS: Readonly<Record<string, string>> = {
  mon: 'maandag',
  tue: 'dinsdag',
  wed: 'woensdag',
  thu: 'donderdag',
  fri: 'vrijdag',
  sat: 'zaterdag',
  sun: 'zondag',
};

/** Lesuren and clock minutes. */
export interface Hours {
  readonly lessons: number;
  readonly minutes: number;
}
const ZERO: Hours = { lessons: 0, minutes: 0 };
const add = (a: Hours, b: Hours): Hours => ({
  lessons: a.lessons + b.lessons,
  minutes: a.minutes + b.minutes,
});

/** A bucket's absence (or one legal class of it). */
export function absenceOf(bucket: AnalysisBucket, only?: (typeof ABSENCE_CLASSES)[number]): Hours {
  const classes: readonly (typeof ABSENCE_CLASSES)[number][] = only ? [only] : ABSENCE_CLASSES;
  return classes.reduce<Hours>((sum, c) => {
    const t = bucket.totals[c];
    return t ? add(sum, { lessons: t.count, minutes: t.minutes }) : sum;
  }, ZERO);
}

/** "2026-W46" → "week 46 (2026)"; "2026-11" → "november 2026". */
export function periodLabel(period: string): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (week) return `week ${Number(week[2])} (${week[1]})`;
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    const date = new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 15));
    return new Intl.DateTimeFormat('nl-NL', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
  }
  return period;
}

export interface CategoryRow {
  readonly period: string;
  readonly category: string;
  readonly hours: Hours;
}
/** Absence per period and category (buckets of `by=reason`), without empty cells, in period order. */
export function byPeriodAndCategory(result: AnalysisResult): CategoryRow[] {
  return result.buckets
    .map((b) => ({ period: b.period, category: b.key, hours: absenceOf(b) }))
    .filter((r) => r.hours.lessons > 0)
    .sort((a, b) => a.period.localeCompare(b.period) || a.category.localeCompare(b.category));
}

export interface GroupRow {
  readonly group: string;
  readonly perClass: Readonly<Record<(typeof ABSENCE_CLASSES)[number], Hours>>;
  readonly total: Hours;
}
/** Absence per class (group) over the whole period, split by legal class (buckets of `by=group`). */
export function byGroup(result: AnalysisResult): GroupRow[] {
  const groups = new Map<string, Record<(typeof ABSENCE_CLASSES)[number], Hours>>();
  for (const b of result.buckets) {
    const row = groups.get(b.key) ?? { unauthorised: ZERO, authorised: ZERO, pending: ZERO };
    for (const c of ABSENCE_CLASSES) row[c] = add(row[c], absenceOf(b, c));
    groups.set(b.key, row);
  }
  return [...groups.entries()]
    .map(([group, perClass]) => ({
      group,
      perClass,
      total: ABSENCE_CLASSES.reduce<Hours>((sum, c) => add(sum, perClass[c]), ZERO),
    }))
    .filter((r) => r.total.lessons > 0)
    .sort((a, b) =>
      a.group === 'onbekend' ? 1 : b.group === 'onbekend' ? -1 : a.group.localeCompare(b.group),
    );
}

export interface HeatCell {
  readonly weekday: string;
  readonly lessonHour: string;
  readonly hours: Hours;
}
/** Absence per weekday and lesson hour over the whole period (buckets of `by=weekdayLessonHour`), every cell. */
export function byWeekdayAndLessonHour(result: AnalysisResult): { hours: string[]; cells: HeatCell[] } {
  const sums = new Map<string, Hours>();
  const lessonHours = new Set<string>();
  for (const b of result.buckets) {
    const [weekday, hour] = b.key.split('-') as [string, string];
    if (!(WEEKDAYS as readonly string[]).includes(weekday)) continue;
    const h = absenceOf(b);
    if (h.lessons === 0) continue;
    lessonHours.add(hour);
    sums.set(b.key, add(sums.get(b.key) ?? ZERO, h));
  }
  const hours = [...lessonHours].sort((a, b) =>
    a === 'onbekend' ? 1 : b === 'onbekend' ? -1 : Number(a) - Number(b),
  );
  const cells = hours.flatMap((lessonHour) =>
    WEEKDAYS.map((weekday) => ({ weekday, lessonHour, hours: sums.get(`${weekday}-${lessonHour}`) ?? ZERO })),
  );
  return { hours, cells };
}

/** Clock hours as a number with two decimals (13 uur 20 min → 13.33). */
export const clockHours = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;

/** A number as Dutch Excel reads it: decimal comma, no thousands separator. */
export const dutchNumber = (value: number): string => String(value).replace('.', ',');

/**
 * A CSV file as Dutch Excel opens it by double-click: UTF-8 with a byte-order mark (else Excel reads Windows-1252
 * and breaks "ë"), `;` between fields (the list separator of the Dutch locale, because `,` is the decimal
 * comma), CRLF line ends, and every field quoted when it holds `;`, `"` or a line break.
 */
export function toCsv(headings: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const field = (value: string | number): string => {
    const text = typeof value === 'number' ? dutchNumber(value) : value;
    return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [headings, ...rows].map((row) => row.map(field).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
