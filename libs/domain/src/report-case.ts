import type { ReportAction, Report } from './report.js';

// Cases (dossiers): the reports of one pupil at one school that belong to one absence episode (ADR 0018).

/** Daily-check signals are work for a person but never a case: they do not report an absence episode. */
export const DAILY_CHECK_RULES: readonly string[] = ['UNCHECKED_LESSON', 'CALL_BACK'];

/**
 * Without an end date, a case stays open until no new report of the pupil begins within this many calendar days
 * after the end of the case's last report period (4 weeks; ADR 0018 says why calendar days).
 */
export const CASE_GAP_DAYS = 28;

/** What the grouping reads of a report. */
export interface CaseReportLike {
  readonly id: string;
  readonly action: ReportAction;
  readonly supersedes: string | null;
  readonly board: string;
  readonly school: string;
  readonly rule: string;
  readonly pupil: { readonly localId: string };
  /** `YYYY-MM-DD`: the report's period (fields `absence.beginDate` / `absence.endDate`). */
  readonly beginDate: string;
  readonly endDate: string;
}

/** One absence episode: its first reports (action REPORT) in period order, and their corrections/withdrawals. */
export interface ReportCaseGroup<R extends CaseReportLike = CaseReportLike> {
  /** The id of the case's earliest report: stable while the episode grows. */
  readonly id: string;
  readonly board: string;
  readonly school: string;
  readonly pupil: { readonly localId: string };
  /** Begin of the earliest report's period. */
  readonly beginDate: string;
  /** The latest end of a report period in the case. */
  readonly lastDate: string;
  /** The end date staff set on the case (the pupil is back), or null. */
  readonly endDate: string | null;
  /** Every report of the case, first reports and follow-ups, in period order (follow-ups after what they change). */
  readonly reports: readonly R[];
}

export type CaseState = 'OPEN' | 'ENDED' | 'LAPSED';

/** `YYYY-MM-DD` plus whole days (UTC arithmetic on dates: no time zone can move a day). */
export function addDaysIso(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` lies before). */
export function daysBetweenIso(from: string, to: string): number {
  const ms = (s: string): number => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((ms(to) - ms(from)) / 86_400_000);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const byPeriod = (a: CaseReportLike, b: CaseReportLike): number =>
  cmp(a.beginDate, b.beginDate) || cmp(a.endDate, b.endDate) || cmp(a.id, b.id);

/** Whether a report takes part in cases at all: daily checks never do. */
export function isCaseReport(report: Pick<CaseReportLike, 'rule'>): boolean {
  return !DAILY_CHECK_RULES.includes(report.rule);
}

/**
 * Groups reports into cases, one per absence episode (ADR 0018), for any mix of pupils and schools:
 * - per pupil and school, first reports (action REPORT) in period order; the earliest opens a case;
 * - a case with an end date takes the next report only if it begins on or before that end date (or within the
 *   case's own periods); a later report opens a new case;
 * - a case without an end date takes the next report if it begins at most `gapDays` after the case's last
 *   period end; a longer gap opens a new case;
 * - a correction or withdrawal belongs to the case of the report it changes (following `supersedes`); one whose
 *   report is gone (retention) forms a case of its own.
 * `endings` maps a case id (its earliest report's id) to the end date staff set. Pure and order-independent:
 * the same reports in any order give the same cases.
 */
export function groupReportsIntoCases<R extends CaseReportLike>(
  reports: readonly R[],
  endings: ReadonlyMap<string, string> = new Map(),
  gapDays: number = CASE_GAP_DAYS,
): ReportCaseGroup<R>[] {
  const relevant = reports.filter(isCaseReport);
  const byId = new Map(relevant.map((r) => [r.id, r]));
  const rootOf = (r: R): R => {
    let current = r;
    const seen = new Set<string>([r.id]);
    while (current.action !== 'REPORT' && current.supersedes !== null) {
      const next = byId.get(current.supersedes);
      if (!next || seen.has(next.id)) break;
      seen.add(next.id);
      current = next;
    }
    return current;
  };
  const pupilKey = (r: CaseReportLike): string => JSON.stringify([r.board, r.school, r.pupil.localId]);

  const firstsByPupil = new Map<string, R[]>();
  const orphans: R[] = [];
  const followUpsByRoot = new Map<string, R[]>();
  for (const r of relevant) {
    if (r.action === 'REPORT') {
      const list = firstsByPupil.get(pupilKey(r)) ?? [];
      list.push(r);
      firstsByPupil.set(pupilKey(r), list);
      continue;
    }
    const root = rootOf(r);
    if (root.action === 'REPORT' && root.id !== r.id) {
      const list = followUpsByRoot.get(root.id) ?? [];
      list.push(r);
      followUpsByRoot.set(root.id, list);
    } else {
      orphans.push(r);
    }
  }

  interface Building {
    id: string;
    first: R;
    lastDate: string;
    endDate: string | null;
    firsts: R[];
  }
  const built: Building[] = [];
  for (const firsts of firstsByPupil.values()) {
    let current: Building | null = null;
    for (const r of [...firsts].sort(byPeriod)) {
      if (current !== null) {
        const boundary: string =
          current.endDate !== null
            ? current.endDate > current.lastDate
              ? current.endDate
              : current.lastDate
            : addDaysIso(current.lastDate, gapDays);
        if (r.beginDate <= boundary) {
          current.firsts.push(r);
          if (r.endDate > current.lastDate) current.lastDate = r.endDate;
          continue;
        }
      }
      current = {
        id: r.id,
        first: r,
        lastDate: r.endDate > r.beginDate ? r.endDate : r.beginDate,
        endDate: endings.get(r.id) ?? null,
        firsts: [r],
      };
      built.push(current);
    }
  }

  const cases: ReportCaseGroup<R>[] = built.map((b) => {
    const ordered: R[] = [];
    for (const r of b.firsts) {
      ordered.push(r);
      const followUps = (followUpsByRoot.get(r.id) ?? []).sort(byPeriod);
      ordered.push(...followUps);
    }
    return {
      id: b.id,
      board: b.first.board,
      school: b.first.school,
      pupil: { localId: b.first.pupil.localId },
      beginDate: b.first.beginDate,
      lastDate: b.lastDate,
      endDate: b.endDate,
      reports: ordered,
    };
  });
  for (const o of orphans) {
    cases.push({
      id: o.id,
      board: o.board,
      school: o.school,
      pupil: { localId: o.pupil.localId },
      beginDate: o.beginDate,
      lastDate: o.endDate > o.beginDate ? o.endDate : o.beginDate,
      endDate: endings.get(o.id) ?? null,
      reports: [o],
    });
  }
  return cases.sort(
    (a, b) =>
      cmp(a.board, b.board) ||
      cmp(a.school, b.school) ||
      cmp(a.pupil.localId, b.pupil.localId) ||
      cmp(a.beginDate, b.beginDate) ||
      cmp(a.id, b.id),
  );
}

/** ENDED: staff set an end date; LAPSED: the gap after the last period has passed with no new report; else OPEN. */
export function caseStateOf(
  c: Pick<ReportCaseGroup, 'endDate' | 'lastDate'>,
  today: string,
  gapDays: number = CASE_GAP_DAYS,
): CaseState {
  if (c.endDate !== null) return 'ENDED';
  return addDaysIso(c.lastDate, gapDays) < today ? 'LAPSED' : 'OPEN';
}

/** A stored report as the grouping reads it: its period from the fields, the created date when they lack one. */
export function caseReportOf(report: Report): Report & Pick<CaseReportLike, 'beginDate' | 'endDate'> {
  // A store that read the period already (the werkvoorraad's light rows) hands it on as it is.
  const read = report as Report & Partial<Pick<CaseReportLike, 'beginDate' | 'endDate'>>;
  if (typeof read.beginDate === 'string' && typeof read.endDate === 'string') {
    return read as Report & Pick<CaseReportLike, 'beginDate' | 'endDate'>;
  }
  const begin = report.fields['absence.beginDate'];
  const end = report.fields['absence.endDate'];
  const beginDate = typeof begin === 'string' ? begin : report.createdAt.slice(0, 10);
  const endDate = typeof end === 'string' && end >= beginDate ? end : beginDate;
  return { ...report, beginDate, endDate };
}

/** Where a deadline stands relative to today (school-local dates). */
export type DueState =
  | { readonly state: 'overdue'; readonly days: number }
  | { readonly state: 'today' }
  | { readonly state: 'daysLeft'; readonly days: number };

export function dueStateOf(deadline: string, today: string): DueState {
  const days = daysBetweenIso(today, deadline);
  if (days < 0) return { state: 'overdue', days: -days };
  if (days === 0) return { state: 'today' };
  return { state: 'daysLeft', days };
}
