// Dates and hours as the console writes them (ADR 0015): "5 december 2026, 14:05" in Europe/Amsterdam and
// "16 lesuren (13 uur 20 min)". No imports: compiled by the gateway's test build too.

const ZONE = 'Europe/Amsterdam';

const dateParts = new Intl.DateTimeFormat('nl-NL', {
  timeZone: ZONE,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const timeParts = new Intl.DateTimeFormat('nl-NL', {
  timeZone: ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as "5 december 2026, 14:05" (Amsterdam time); an unreadable value as "—". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return `${dateParts.format(date)}, ${timeParts.format(date)}`;
}

/** The Amsterdam wall time of an instant as "14:05"; a bare "14:05" stays as it is; unreadable: "—". */
export function formatTime(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{2}:\d{2}(:\d{2})?$/.test(value)) return value.slice(0, 5);
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : timeParts.format(date);
}

/** The Amsterdam calendar day of an instant, as "5 december 2026"; an unreadable value as "—". */
export function formatInstantDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : dateParts.format(date);
}

/** A school-local calendar date ("2026-12-05") as "5 december 2026". */
export function formatDate(day: string | null | undefined): string {
  if (!day) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return '—';
  // Noon UTC is the same calendar day in Amsterdam all year round.
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12));
  if (date.toISOString().slice(0, 10) !== day) return '—';
  return dateParts.format(date);
}

/** Clock minutes as "13 uur 20 min", "45 min" or "2 uur". */
export function formatClockMinutes(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} uur` : `${hours} uur ${rest} min`;
}

/** "16 lesuren (13 uur 20 min)"; without clock minutes just the lesson hours. */
export function formatHours(lessons: number, clockMinutes: number | null): string {
  const unit = lessons === 1 ? 'lesuur' : 'lesuren';
  return clockMinutes === null
    ? `${lessons} ${unit}`
    : `${lessons} ${unit} (${formatClockMinutes(clockMinutes)})`;
}

/** Today's date in Amsterdam as "YYYY-MM-DD". */
export function todayInAmsterdam(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return parts.format(now);
}

/** Days from `today` to `day` (both YYYY-MM-DD); negative when past. */
export function daysUntil(day: string, today: string): number {
  const a = Date.UTC(+today.slice(0, 4), +today.slice(5, 7) - 1, +today.slice(8, 10));
  const b = Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10));
  return Math.round((b - a) / 86_400_000);
}

/** "te laat (3 dagen)", "vandaag", "nog 4 dagen". */
export function deadlineText(deadline: string | null, today: string): string {
  if (!deadline) return 'geen termijn';
  const days = daysUntil(deadline, today);
  if (days < 0) return `te laat (${-days} ${days === -1 ? 'dag' : 'dagen'})`;
  if (days === 0) return 'vandaag';
  return `nog ${days} ${days === 1 ? 'dag' : 'dagen'}`;
}

const monthParts = new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', month: 'long', year: 'numeric' });

/** A calendar month ("2026-12") as "december 2026". */
export function formatMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return '—';
  return monthParts.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 15)));
}

const PERIOD_UNITS: Record<string, [string, string]> = {
  Y: ['jaar', 'jaar'],
  M: ['maand', 'maanden'],
  W: ['week', 'weken'],
  D: ['dag', 'dagen'],
};

/** An ISO 8601 period in words: "P5Y" as "5 jaar", "P1Y6M" as "1 jaar en 6 maanden"; unreadable as "—". */
export function formatPeriod(iso: string | null | undefined): string {
  const match = iso ? /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(iso) : null;
  if (!match || iso === 'P') return '—';
  const parts: string[] = [];
  ['Y', 'M', 'W', 'D'].forEach((unit, i) => {
    const value = match[i + 1];
    if (value === undefined) return;
    const n = Number(value);
    parts.push(`${n} ${PERIOD_UNITS[unit][n === 1 ? 0 : 1]}`);
  });
  return parts.length <= 1 ? (parts[0] ?? '—') : `${parts.slice(0, -1).join(', ')} en ${parts.at(-1)}`;
}

const shortMonthParts = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'UTC',
  month: 'short',
  year: 'numeric',
});

/** A calendar month ("2026-12") as "dec 2026", for narrow table headings. */
export function formatMonthShort(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return '—';
  return shortMonthParts.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 15)));
}
