import type { ReportKind } from './disclosure.js';
import type { SchoolSector } from './pupil-sector.js';

/** The rules of contracts §4. `LPW_16H_4W` … `CALL_BACK`; a rulepack may not invent others. */
export const SIGNAL_RULES = [
  'LPW_16H_4W',
  'LPW_LRV',
  'LPW_LUXE',
  'WEB_DOORSTROOMPUNT',
  'LATENESS_LADDER',
  'MAZL',
  'LEAVE_LIMIT',
  'SUSPENSION_NOTICE',
  'EXPULSION_NOTICE',
  'UNCHECKED_LESSON',
  'CALL_BACK',
] as const;
export type SignalRule = (typeof SIGNAL_RULES)[number];

export type MeasureUnit = 'CLOCK_HOUR' | 'LESSON_HOUR';

/** A signal of the rules engine (contracts §4). */
export interface Signal {
  /** Stable for the same evidence: the same inputs always give the same id. */
  readonly signalId: string;
  readonly rule: SignalRule;
  readonly reportKind: ReportKind | null;
  readonly mandatory: boolean;
  readonly pupil: { readonly localId: string };
  readonly beginDate: string;
  readonly endDate: string;
  readonly measured: {
    readonly unauthorisedMinutes: number;
    readonly unauthorisedLessons: number;
    readonly unit: MeasureUnit;
    readonly hours: number;
  };
  readonly threshold: number;
  readonly deadline: string | null;
  readonly evidence: readonly string[];
  readonly rulepack: { readonly id: string; readonly version: string };
  readonly legalBasis: string;
  /** Extensions (contracts allow new optional fields): e.g. the lateness step and its action. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Pupil facts as `evaluate` reads them (contracts §5). */
export interface SignalPupil {
  readonly localId: string;
  readonly birthDate: string;
  readonly sector: SchoolSector;
  readonly startkwalificatie?: boolean;
  /** Extension: the date the startkwalificatie was obtained; before it the pupil had none (ages/dates matter). */
  readonly startkwalificatieSince?: string;
  readonly woongemeente?: string;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** A school calendar (contracts §5; shape of `fixtures/calendars/example-school-2025-2026.json`); dates inclusive. */
export interface SchoolCalendar {
  readonly school?: { readonly brin?: string; readonly vestiging?: string; readonly sector?: string };
  readonly schoolYear?: string;
  readonly timezone?: string;
  readonly firstSchoolDay: string;
  readonly lastSchoolDay: string;
  readonly schoolDays: readonly Weekday[];
  readonly holidays: readonly { readonly name: string; readonly start: string; readonly end: string }[];
  readonly closedDays: readonly { readonly date: string; readonly name: string }[];
  readonly bellSchedule?: readonly {
    readonly lessonHour: number;
    readonly start: string;
    readonly end: string;
  }[];
}
