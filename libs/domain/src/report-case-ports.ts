import type { ReportDraft, ReportStatus } from './report.js';

/** A pupil at a school: the unit cases are grouped in. */
export interface CasePupil {
  readonly school: string;
  readonly localId: string;
}

/** The end date staff set on a case (the pupil is back), kept per case id (its earliest report's id). */
export interface CaseEnding extends CasePupil {
  readonly caseId: string;
  readonly endDate: string;
}

/** Daily-check signals folded per lesson: how many pupils a lesson hour of a day needs looked at. */
export interface DailyCheckLesson {
  readonly school: string;
  /** `YYYY-MM-DD`, school-local. */
  readonly date: string;
  /** The lesson hour, or null when the records name none. */
  readonly lessonHour: number | null;
  /** `UNCHECKED_LESSON` or `CALL_BACK`. */
  readonly rule: string;
  /** Distinct pupils. */
  readonly pupils: number;
  /** Group and teacher when the timetable names them (not yet stored: null). */
  readonly group: string | null;
  readonly teacher: string | null;
}

export interface Page {
  readonly limit: number;
  readonly offset: number;
}

/**
 * What the werkvoorraad and the case page read (ADR 0018). Reports are grouped into cases by the pure
 * `groupReportsIntoCases`; only case endings are stored. Every read is bounded by board and schools.
 */
export const REPORT_CASE_STORE = Symbol('ReportCaseStore');
export interface ReportCaseStore {
  /**
   * Every report (any status) of each pupil in scope that has at least one report in `status`: the reports the
   * cases of those pupils are made of. `schools` null: the whole board.
   */
  reportsOfPupilsWith(
    board: string,
    schools: readonly string[] | null,
    status: ReportStatus,
    today: string,
  ): Promise<ReportDraft[]>;
  /**
   * The same reports as `reportsOfPupilsWith`, light: their `fields` hold only `absence.beginDate` and
   * `absence.endDate` (what grouping into cases needs). The werkvoorraad groups a whole scope's reports per
   * request, and then reads only its page's reports whole (`reportsByIds`).
   */
  reportKeysOfPupilsWith?(
    board: string,
    schools: readonly string[] | null,
    status: ReportStatus,
    today: string,
  ): Promise<ReportDraft[]>;
  /**
   * A fingerprint of the scope's reports (ids, statuses, last changes) and the board's case endings: equal
   * fingerprints, equal cases. Lets the werkvoorraad keep its grouping between requests.
   */
  worklistStamp?(board: string, schools: readonly string[] | null): Promise<string>;
  /** These reports of the board, whole (ids not found are left out). */
  reportsByIds?(board: string, ids: readonly string[], today: string): Promise<ReportDraft[]>;
  /** Every report of one pupil at one school. */
  reportsOfPupil(board: string, pupil: CasePupil, today: string): Promise<ReportDraft[]>;
  /** The stored case endings of these pupils, by case id. */
  endings(board: string, pupils: readonly CasePupil[]): Promise<Map<string, string>>;
  /** Sets (or moves) a case's end date. */
  saveEnding(board: string, ending: CaseEnding, by: string, at: Date): Promise<void>;
  /** Open daily-check signals folded per school, date, lesson hour and rule; newest day first. */
  dailyChecks(
    board: string,
    schools: readonly string[] | null,
    page: Page,
  ): Promise<{ items: DailyCheckLesson[]; total: number }>;
}

/**
 * Finds pupils by class (group), mentor or a search text, for the werkvoorraad's filters. Optional: where no
 * directory is bound, group and mentor filters match no pupil and the search matches pupil numbers only.
 */
export const PUPIL_FINDER = Symbol('PupilFinder');
export interface PupilFinder {
  find(
    board: string,
    schools: readonly string[] | null,
    query: { readonly q?: string; readonly group?: string; readonly mentor?: string },
  ): Promise<readonly CasePupil[]>;
}
