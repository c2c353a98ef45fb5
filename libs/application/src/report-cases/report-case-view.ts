import { type CaseState, type ReportCaseGroup, type Report, type ReportKind, caseStateOf } from '#domain';

export const DEFAULT_PAGE_SIZE = 25;

/** A case as the API answers it: the grouping plus where it stands. */
export interface ReportCaseView {
  readonly id: string;
  readonly school: string;
  readonly pupil: { readonly localId: string };
  readonly beginDate: string;
  readonly lastDate: string;
  readonly endDate: string | null;
  readonly state: CaseState;
  /** Rules and report kinds of the case's reports. */
  readonly rules: readonly string[];
  readonly kinds: readonly ReportKind[];
}

export const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

export function viewOf(c: ReportCaseGroup<Report & { beginDate: string; endDate: string }>, today: string) {
  const base: ReportCaseView = {
    id: c.id,
    school: c.school,
    pupil: c.pupil,
    beginDate: c.beginDate,
    lastDate: c.lastDate,
    endDate: c.endDate,
    state: caseStateOf(c, today),
    rules: uniq(c.reports.map((r) => r.rule)),
    kinds: uniq(c.reports.map((r) => r.kind)),
  };
  return base;
}

/** Strips the grouping's helper fields so a report answers in its stored shape. */
export function plain(r: Report & { beginDate?: string; endDate?: string }): Report {
  const { beginDate: _b, endDate: _e, ...report } = r;
  return report;
}
