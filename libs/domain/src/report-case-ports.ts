import type { Report, ReportStatus } from './report.js';

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

/** Count and hash sum of some reports (id, status, last change) or case endings: a part of a stamp. */
export interface StampPart {
  readonly count: number;
  /** The sum of the rows' 32-bit hashes, as a decimal integer (it outgrows a double on a national board). */
  readonly hash: string;
}

/** The werkvoorraad's fingerprint of a scope, with the latest change it saw of reports and of case endings. */
export interface WorklistStamp {
  readonly reports: StampPart;
  readonly cases: StampPart;
  /** The latest `updated_at` of the scope's reports and `ended_at` of its case endings (ISO), null when none. */
  readonly reportsChangedAt: string | null;
  readonly casesChangedAt: string | null;
}

/** The stamp's parts of one pupil. */
export interface PupilStamp extends CasePupil {
  readonly reports: StampPart;
  readonly cases: StampPart;
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
  ): Promise<Report[]>;
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
  ): Promise<Report[]>;
  /**
   * A fingerprint of the scope's reports (ids, statuses, last changes) and case endings: equal fingerprints,
   * equal cases. Lets the werkvoorraad keep its grouping between requests.
   */
  worklistStamp?(board: string, schools: readonly string[] | null): Promise<WorklistStamp>;
  /**
   * The stamp's parts per pupil of the scope (every pupil with a report or a case ending; `pupils` null: all of
   * them): their sums are the stamp's own, so a werkvoorraad that regrouped only some pupils can prove it holds
   * exactly what a full regrouping would.
   */
  worklistPupilStamps?(
    board: string,
    schools: readonly string[] | null,
    pupils: readonly CasePupil[] | null,
  ): Promise<PupilStamp[]>;
  /** The pupils of the scope with a report changed at or after `reports`, or a case ending at or after `cases`. */
  worklistChangedPupils?(
    board: string,
    schools: readonly string[] | null,
    since: { readonly reports: string | null; readonly cases: string | null },
    limit: number,
  ): Promise<CasePupil[]>;
  /** As `reportKeysOfPupilsWith`, for these pupils only. */
  reportKeysOfPupils?(
    board: string,
    pupils: readonly CasePupil[],
    status: ReportStatus,
    today: string,
  ): Promise<Report[]>;
  /** These reports of the board, whole (ids not found are left out). */
  reportsByIds?(board: string, ids: readonly string[], today: string): Promise<Report[]>;
  /** Every report of one pupil at one school. */
  reportsOfPupil(board: string, pupil: CasePupil, today: string): Promise<Report[]>;
  /** The stored case endings of these pupils, by case id. */
  endings(board: string, pupils: readonly CasePupil[]): Promise<Map<string, string>>;
  /** Sets (or moves) a case's end date. */
  saveEnding(board: string, ending: CaseEnding, by: string, at: Date): Promise<void>;
  /**
   * Writes an end date into these first reports while they are still drafts (they then leave with it); the ids
   * of the drafts it was written into.
   */
  endDraftsOn(board: string, ids: readonly string[], endDate: string, at: Date): Promise<string[]>;
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
  /** The names and classes of these pupils, for a list page (pupils without roster data are left out). */
  rosterOf?(board: string, pupils: readonly CasePupil[]): Promise<readonly PupilListName[]>;
}

/** A pupil's name and class as list pages show them (roster data: the school's own staff only). */
export interface PupilListName extends CasePupil {
  readonly displayName: string | null;
  readonly group: string | null;
}
