import { ADAPTER_ERRORS } from '#adapter-kit';
/**
 * The `moment` column: the school-local date and time of the absence, usually without a zone
 * (`2025-10-14T08:30:00`; `…T00:00:00` when only the date counts). An instant (`Z` or an offset) is read as
 * its Europe/Amsterdam date. Adapters do not share code, so this is the adapter's own small reader.
 */

export type MomentOutcome =
  | { readonly ok: true; readonly date: string }
  | {
      readonly ok: false;
      readonly reason: typeof ADAPTER_ERRORS.WRONG_TYPE | typeof ADAPTER_ERRORS.IMPOSSIBLE_TIME;
    };

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const AMSTERDAM_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The school-local date (YYYY-MM-DD) of a moment. */
export function momentDate(text: string): MomentOutcome {
  const m = PATTERN.exec(text);
  if (m === null) return { ok: false, reason: ADAPTER_ERRORS.WRONG_TYPE };
  const [, ys, mos, ds, hs = '00', mis = '00', ss = '00', fraction = '', zone] = m;
  const [year, month, day, hour, minute, second] = [ys, mos, ds, hs, mis, ss].map(Number);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 || day > lastDay) {
    return { ok: false, reason: ADAPTER_ERRORS.IMPOSSIBLE_TIME };
  }
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: ADAPTER_ERRORS.IMPOSSIBLE_TIME };
  if (zone === undefined) return { ok: true, date: `${ys}-${mos}-${ds}` };
  let epochMs = Date.UTC(
    year,
    month - 1,
    day,
    hour,
    minute,
    second,
    Number(fraction.padEnd(3, '0').slice(0, 3)),
  );
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const [offsetHours, offsetRest] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
    if (offsetHours > 14 || offsetRest > 59) return { ok: false, reason: ADAPTER_ERRORS.IMPOSSIBLE_TIME };
    const offsetMinutes = offsetHours * 60 + offsetRest;
    epochMs -= (zone.startsWith('-') ? -1 : 1) * offsetMinutes * 60_000;
  }
  return { ok: true, date: AMSTERDAM_DATE.format(new Date(epochMs)) };
}
