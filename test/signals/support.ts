import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CATEGORY_INFO,
  type CanonicalRecord,
  type Category,
  type LegalClass,
  type SchoolCalendar,
  type SignalPupil,
} from '#domain';
import { exampleSchoolCalendar } from '#testing';
import { type Rulepack, dateOf, dayNumber, indexCalendar, loadRulepack, parseRulepack } from '#signals';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The example school calendar of shared/fixtures (vo, region midden, 2025-2026), as the fixture has it. */
export const CALENDAR: SchoolCalendar = exampleSchoolCalendar('99XX');

function loadPack(path: string): Rulepack {
  const result = parseRulepack(readFileSync(`${ROOT}${path}`, 'utf8'), path);
  if (!result.ok) throw new Error(`${path}: ${JSON.stringify(result.issues)}`);
  return result.value;
}
export const NATIONAL_RAW = loadPack('config/rulepacks/national.yaml');
export const REGIONAL_RAW = loadPack('config/rulepacks/regional/rmc-utrecht.yaml');
export const NATIONAL = loadRulepack(NATIONAL_RAW);
export const UTRECHT = loadRulepack(NATIONAL_RAW, REGIONAL_RAW);

export function pupil(over: Partial<SignalPupil> = {}): SignalPupil {
  return { localId: 'p1', birthDate: '2011-03-15', sector: 'vo', ...over };
}

export interface RecOptions {
  readonly via?: CanonicalRecord['registeredVia'];
  readonly legalClass?: LegalClass;
  readonly minutes?: number | null;
  readonly lessons?: number | null;
  readonly wholeDay?: boolean;
  readonly reasonCode?: string | null;
  readonly explainedBy?: string | null;
  readonly start?: string | null;
  readonly end?: string | null;
  readonly pupilId?: string;
  readonly tag?: string;
}

/** One record per lesson hour `from..to` (a 50-minute lesson each unless `minutes` says otherwise). */
export function lessons(
  date: string,
  from: number,
  to: number,
  category: Category,
  o: RecOptions = {},
): CanonicalRecord[] {
  const out: CanonicalRecord[] = [];
  for (let h = from; h <= to; h++) out.push(rec(date, category, { ...o }, h));
  return out;
}

export function rec(
  date: string,
  category: Category,
  o: RecOptions = {},
  hour: number | null = null,
): CanonicalRecord {
  const via = o.via ?? 'REPORT';
  const legalClass = o.legalClass ?? CATEGORY_INFO[category].legalClass ?? 'authorised';
  const pupilId = o.pupilId ?? 'p1';
  return {
    recordId: `r-${pupilId}-${date}-${hour ?? 'd'}-${category}-${via}${o.tag ? `-${o.tag}` : ''}`,
    sourceSystem: 'somtoday',
    sourceRecordType: via === 'TEACHER_CHECK' ? 'waarneming' : 'absentiemelding',
    sourceId: `s-${date}-${hour ?? 'd'}`,
    pupil: { localId: pupilId },
    school: { brin: '99XX' },
    date,
    start: o.start ?? null,
    end: o.end ?? null,
    wholeDay: o.wholeDay ?? hour === null,
    lessonHourFrom: hour,
    lessonHourTo: hour,
    category,
    legalClass,
    registeredVia: via,
    missedMinutes: o.minutes === undefined ? (hour === null ? 360 : 50) : o.minutes,
    missedLessons: o.lessons === undefined ? (hour === null ? 7 : 1) : o.lessons,
    reasonCode: o.reasonCode ?? null,
    explainedBy: o.explainedBy ?? null,
    mapping: { source: 'school' },
  };
}

/** The school days from `from` to `to` inclusive, in the example calendar. */
export function schoolDays(from: string, to: string): string[] {
  const cal = indexCalendar(CALENDAR);
  const out: string[] = [];
  for (let d = dayNumber(from); d <= dayNumber(to); d++) if (cal.isSchoolDay(d)) out.push(dateOf(d));
  return out;
}

/** `n` school days starting at `from`. */
export function nSchoolDays(from: string, n: number): string[] {
  const cal = indexCalendar(CALENDAR);
  const out: string[] = [];
  for (let d = dayNumber(from); out.length < n; d++) if (cal.isSchoolDay(d)) out.push(dateOf(d));
  return out;
}

/** Whole unauthorised days (8 lessons of 50 minutes each). */
export function truantDays(
  days: readonly string[],
  category: Category = 'UNAUTHORISED',
  o: RecOptions = {},
): CanonicalRecord[] {
  return days.flatMap((d) => lessons(d, 1, 8, category, { ...o, wholeDay: true }));
}
