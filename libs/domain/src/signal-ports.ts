import type { CanonicalRecord } from './canonical-record.js';
import type { LegalClass } from './categories.js';
import type { Report, ReportStatus } from './report.js';
import type { Signal, SchoolCalendar, SignalPupil } from './signal.js';

/**
 * The rules engine as the stateful side needs it: a rulepack already bound inside, so the store hands in one
 * pupil's facts, current records and school calendar and gets that pupil's signals back (contracts §4, §5).
 */
export const SIGNAL_EVALUATOR = Symbol('SignalEvaluator');
export interface SignalEvaluator {
  evaluatePupil(input: {
    readonly pupil: SignalPupil;
    readonly records: readonly CanonicalRecord[];
    readonly calendar: SchoolCalendar;
    /** `YYYY-MM-DD`: evaluate as if today were that (school-local) date. */
    readonly asOf: string;
  }): Signal[];
}

export const SIGNAL_STATUSES = ['OPEN', 'WITHDRAWN'] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];

/** A signal as the store keeps it: the engine's signal plus where it belongs and what became of it. */
export interface StoredSignal {
  readonly board: string;
  readonly school: string;
  readonly status: SignalStatus;
  /** Why a signal was withdrawn: `NO_LONGER_RAISED` (its evidence went away) or `SUPERSEDED` (a changed signal replaced it). */
  readonly withdrawnReason: string | null;
  /** The signal that replaced this one (reason `SUPERSEDED`). */
  readonly replacedBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly signal: Signal;
}

export interface SignalFilter {
  readonly status?: SignalStatus;
  readonly rule?: string;
}

export interface StoredCalendar {
  readonly school: string;
  readonly calendar: SchoolCalendar;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export const SCHOOL_CALENDAR_STORE = Symbol('SchoolCalendarStore');
export interface SchoolCalendarStore {
  get(board: string, school: string): Promise<StoredCalendar | null>;
  save(board: string, entry: Omit<StoredCalendar, 'updatedAt'>, at: Date): Promise<void>;
}

export interface SchoolSettings {
  readonly school: string;
  /** Mandatory report drafts are APPROVED when they are created (no person in between). */
  readonly autoApproveMandatory: boolean;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

export const SCHOOL_SETTINGS_STORE = Symbol('SchoolSettingsStore');
export interface SchoolSettingsStore {
  /** The school's settings; the defaults (nothing automatic) when none were stored. */
  get(board: string, school: string): Promise<SchoolSettings>;
  save(board: string, settings: Omit<SchoolSettings, 'updatedAt'>, at: Date): Promise<SchoolSettings>;
}

export interface ReportFilter {
  readonly status?: ReportStatus;
  /** With `today`: only drafts past their deadline (true) or not (false). */
  readonly overdue?: boolean;
  /** School-local `YYYY-MM-DD`; decides `overdue`. */
  readonly today: string;
}

// ---- the store behind evaluation ----

/** What one evaluation changes in the signals (the reports it drafts are written beside it, in one unit of work). */
export interface SignalChanges {
  readonly board: string;
  /** Signals new (or back after a withdrawal): stored OPEN. */
  readonly opened: readonly { readonly school: string; readonly signal: Signal }[];
  readonly withdrawn: readonly {
    readonly signalId: string;
    readonly reason: 'NO_LONGER_RAISED' | 'SUPERSEDED';
    readonly replacedBy: string | null;
  }[];
  /** Drafts still DRAFT whose signal went away: WITHDRAWN. */
  readonly withdrawnDrafts: readonly string[];
}

/** A pupil number as a record or signal names it: with its school (null for records stored without one). */
export interface PupilAt {
  readonly school: string | null;
  readonly localId: string;
}

export const SIGNAL_STORE = Symbol('SignalStore');
export interface SignalStore {
  /** Whether a message was already handled by a consumer (the processed-message table). */
  wasProcessed(consumer: string, key: string): Promise<boolean>;
  /** Pupils (school and local id) of the given canonical record ids, deleted versions included. */
  pupilsOfRecords(board: string, recordIds: readonly string[]): Promise<PupilAt[]>;
  /** Pupils to evaluate for a whole school: its registered pupils and pupils with signals there. */
  pupilsOfSchool(board: string, school: string): Promise<PupilAt[]>;
  /** Current, not deleted canonical records of the pupils, by date and record id. */
  currentRecords(board: string, localIds: readonly string[]): Promise<Map<string, CanonicalRecord[]>>;
  /**
   * What the rules read of the pupils' current records: `currentRecords` as `recordsTheRulesRead` leaves them (by
   * date and record id). What the evaluation of signals reads; a person's view of the records reads them all.
   */
  recordsForRules(board: string, localIds: readonly string[]): Promise<Map<string, CanonicalRecord[]>>;
  /** Every stored signal (any status) of the pupils. */
  signalsOf(board: string, localIds: readonly string[]): Promise<StoredSignal[]>;
  /** Reports of the given signals, any status. */
  reportsOfSignals(board: string, signalIds: readonly string[]): Promise<Report[]>;
  list(scope: { board: string; school: string }, filter: SignalFilter): Promise<StoredSignal[]>;
}

export const REPORT_STORE = Symbol('ReportStore');
export interface ReportStore {
  list(scope: { board: string; school: string }, filter: ReportFilter): Promise<Report[]>;
  /** null when missing or outside the board and schools. */
  get(board: string, schools: readonly string[] | null, id: string, today: string): Promise<Report | null>;
}

// ---- periodic analysis ----

export const ANALYSIS_DIMENSIONS = [
  'pupil',
  'group',
  'teacher',
  'weekday',
  'lessonHour',
  'reason',
  'weekdayLessonHour',
] as const;
export type AnalysisDimension = (typeof ANALYSIS_DIMENSIONS)[number];
export const ANALYSIS_PERIODS = ['week', 'month'] as const;
export type AnalysisPeriod = (typeof ANALYSIS_PERIODS)[number];

export interface AnalysisBucket {
  /** `2026-W46` (ISO week) or `2026-11`. */
  readonly period: string;
  /**
   * The pupil's local id, group, teacher, weekday (`mon`…), lesson hour or category; `onbekend` when unknown.
   * `weekdayLessonHour`: the weekday and the lesson hour, `mon-3` (`mon-onbekend` without a lesson hour).
   */
  readonly key: string;
  /** Per legal class: missed minutes (summed, null minutes count 0) and number of records. */
  readonly totals: Readonly<Record<LegalClass, { minutes: number; count: number }>>;
}

export interface AnalysisQuery {
  readonly board: string;
  readonly school: string;
  readonly from: string;
  readonly to: string;
  readonly by: AnalysisDimension;
  readonly period: AnalysisPeriod;
}

export const ANALYSIS_STORE = Symbol('AnalysisStore');
export interface AnalysisStore {
  analyse(query: AnalysisQuery): Promise<AnalysisBucket[]>;
}
