import { DateTime } from 'luxon';
import { shiftByPeriod } from '#domain';

const ZONE = 'Europe/Amsterdam';

/** Rows of one category that expire together, with the period(s) that apply (the latest expiry counts). */
export interface ForecastInput {
  readonly category: string;
  /** `YYYY-MM-DD` (midnight UTC, as the retention job reads a leaving date) or an ISO 8601 instant. */
  readonly from: string;
  readonly periods: readonly string[];
  readonly count: number;
}

export interface RetentionForecast {
  /** `YYYY-MM` months in Europe/Amsterdam, the current month first. */
  readonly months: readonly string[];
  readonly categories: readonly {
    readonly category: string;
    /** Rows deleted in each month; what already expired counts in the first (the next run deletes it). */
    readonly perMonth: readonly number[];
    /** Of the first month's count: already past its period now. */
    readonly overdue: number;
    /** Expiring after the last month. */
    readonly later: number;
    readonly total: number;
  }[];
}

/** The moment the rows expire: the latest of `from` + each period. */
export function expiryOf(input: Pick<ForecastInput, 'from' | 'periods'>): Date {
  const start = /^\d{4}-\d{2}-\d{2}$/.test(input.from)
    ? new Date(`${input.from}T00:00:00Z`)
    : new Date(input.from);
  let latest = start;
  for (const period of input.periods) {
    const end = shiftByPeriod(start, period);
    if (end.getTime() > latest.getTime()) latest = end;
  }
  return latest;
}

/** `YYYY-MM` of an instant in Europe/Amsterdam. */
export function amsterdamMonth(at: Date): string {
  return DateTime.fromMillis(at.getTime(), { zone: ZONE }).toFormat('yyyy-MM');
}

/**
 * What retention will delete per category per month (Europe/Amsterdam) for `months` months from `now`'s month:
 * each group of rows lands in the month its period ends; what expired already lands in the current month.
 * Counts only.
 */
export function retentionForecast(
  inputs: readonly ForecastInput[],
  now: Date,
  months: number,
): RetentionForecast {
  const first = DateTime.fromMillis(now.getTime(), { zone: ZONE }).startOf('month');
  const keys = Array.from({ length: months }, (_, i) => first.plus({ months: i }).toFormat('yyyy-MM'));
  const index = new Map(keys.map((k, i) => [k, i]));
  const byCategory = new Map<string, { perMonth: number[]; overdue: number; later: number; total: number }>();
  for (const input of inputs) {
    if (input.count <= 0) continue;
    let row = byCategory.get(input.category);
    if (!row) {
      row = { perMonth: keys.map(() => 0), overdue: 0, later: 0, total: 0 };
      byCategory.set(input.category, row);
    }
    row.total += input.count;
    const expiry = expiryOf(input);
    if (expiry.getTime() <= now.getTime()) {
      row.overdue += input.count;
      row.perMonth[0] += input.count;
      continue;
    }
    const at = index.get(amsterdamMonth(expiry));
    if (at === undefined) row.later += input.count;
    else row.perMonth[at] += input.count;
  }
  return {
    months: keys,
    categories: [...byCategory.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([category, row]) => ({ category, ...row })),
  };
}
