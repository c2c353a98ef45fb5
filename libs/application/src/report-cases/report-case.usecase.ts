import {
  type Actor,
  type Clock,
  DomainError,
  NotFoundError,
  type ReportCaseGroup,
  type ReportCaseStore,
  type Report,
  ValidationError,
  caseReportOf,
  groupReportsIntoCases,
  requireBoardScope,
  requireRole,
} from '#domain';
import type { DecideReportUseCase } from '../reports/decide-report.usecase.js';
import { type SchoolDeliveriesUseCase, parseReportEndDate } from '../dispatch/school-deliveries.usecase.js';
import { type ReportCaseView, viewOf, plain } from './report-case-view.js';
import { schoolToday } from '../shared/school-day.js';
import { REPORT_CASES_ERRORS } from './report-cases-error-codes.js';

/** A case with one timeline: its reports in period order, follow-ups after what they change. */
export interface ReportCaseDetail extends ReportCaseView {
  readonly reports: readonly Report[];
  /**
   * Ids of the case's first reports that are out but do not carry the case's end date yet (they left the school
   * after it was set): `POST …/end-date` with the same date sends it to them.
   */
  readonly awaitingEndDate: readonly string[];
}

const OUT: readonly string[] = ['SENT', 'REGISTERED', 'IN_BEHANDELING'];

/** The first reports that already have a live correction carrying this end date. */
function endDateCarriedBy(reports: readonly Report[], endDate: string): Set<string> {
  return new Set(
    reports
      .filter(
        (r) =>
          r.action === 'CORRECTION' &&
          r.supersedes !== null &&
          // A REJECTED correction waits in the work queue for a person (replay), so it is not sent twice.
          !['DISMISSED', 'WITHDRAWN'].includes(r.status) &&
          r.fields['absence.endDate'] === endDate,
      )
      .map((r) => r.supersedes as string),
  );
}

/**
 * The first reports of an ended case that are out but do not yet carry its end date (they left the school after
 * the end date was set): the case page offers to send it to them too.
 */
export function reportsAwaitingEndDate(found: Pick<ReportCaseDetail, 'endDate' | 'reports'>): Report[] {
  if (found.endDate === null) return [];
  const carries = endDateCarriedBy(found.reports, found.endDate);
  return found.reports.filter(
    (r) =>
      r.action === 'REPORT' &&
      OUT.includes(r.status) &&
      !carries.has(r.id) &&
      r.fields['absence.endDate'] !== found.endDate,
  );
}

function detailOf(
  group: ReportCaseGroup<Report & { beginDate: string; endDate: string }>,
  today: string,
): ReportCaseDetail {
  const reports = group.reports.map(plain);
  const awaitingEndDate = reportsAwaitingEndDate({ endDate: group.endDate, reports }).map((r) => r.id);
  return { ...viewOf(group, today), reports, awaitingEndDate };
}

/** One answer per report of a bulk action on a case. */
export type CaseActionResult =
  | {
      readonly reportId: string;
      /** END_DATE_SET: a draft that will leave with the end date; END_DATE_SENT: a correction of one that is out. */
      readonly outcome: 'APPROVED' | 'END_DATE_SENT' | 'END_DATE_SET';
      readonly followUpId?: string;
    }
  | { readonly reportId: string; readonly outcome: 'SKIPPED' | 'FAILED'; readonly code: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One case: read it, approve all its pending reports (each through the single approve, with its audit entry and
 * outbox event), or set its end date (stored on the case, and sent as a correction on every report of it that is
 * out, through the per-report end-date path).
 */
export class ReportCaseUseCase {
  constructor(
    private readonly cases: Pick<
      ReportCaseStore,
      'reportsOfPupil' | 'endings' | 'saveEnding' | 'endDraftsOn'
    >,
    private readonly reports: {
      get: (b: string, s: readonly string[] | null, id: string, t: string) => Promise<Report | null>;
    },
    private readonly decide: Pick<DecideReportUseCase, 'approve'>,
    private readonly deliveries: Pick<SchoolDeliveriesUseCase, 'endDate'>,
    private readonly clock: Clock,
  ) {}

  async get(actor: Actor, id: string): Promise<ReportCaseDetail> {
    const { found } = await this.load(actor, 'read', id);
    return found;
  }

  /** Every case of one pupil at one school, newest episode first (the pupil page's case history). */
  async ofPupil(actor: Actor, school: string, localId: string): Promise<{ items: ReportCaseDetail[] }> {
    const scope = requireBoardScope(actor, 'read');
    if (scope.schools !== null && !scope.schools.includes(school)) {
      throw new NotFoundError(REPORT_CASES_ERRORS.SCHOOL_NOT_FOUND, 'This school is not in your scope');
    }
    if (localId.trim() === '' || localId.length > 100) {
      throw new ValidationError(REPORT_CASES_ERRORS.FILTER_INVALID, 'A pupil number is needed', [
        {
          field: 'pupil',
          code: REPORT_CASES_ERRORS.REQUIRED,
          message: 'a pupil number of 1..100 characters',
        },
      ]);
    }
    const today = schoolToday(this.clock.now());
    const pupil = { school, localId };
    const [stored, endings] = await Promise.all([
      this.cases.reportsOfPupil(scope.board, pupil, today),
      this.cases.endings(scope.board, [pupil]),
    ]);
    const items = groupReportsIntoCases(stored.map(caseReportOf), endings)
      .map((group) => detailOf(group, today))
      .reverse();
    return { items };
  }

  async approveAll(
    actor: Actor,
    id: string,
  ): Promise<{ case: ReportCaseDetail; results: CaseActionResult[] }> {
    requireRole(actor, ['school_staff'], 'Only school staff approve reports');
    const { found } = await this.load(actor, 'write', id);
    const drafts = found.reports.filter((r) => r.status === 'DRAFT');
    if (drafts.length === 0) {
      throw new DomainError(
        REPORT_CASES_ERRORS.CASE_NOTHING_PENDING,
        'conflict',
        'This case has no report waiting for approval',
      );
    }
    const results: CaseActionResult[] = [];
    for (const draft of drafts) {
      try {
        await this.decide.approve(actor, draft.id);
        results.push({ reportId: draft.id, outcome: 'APPROVED' });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results.push({ reportId: draft.id, outcome: 'FAILED', code: error.code });
      }
    }
    return { case: (await this.load(actor, 'read', found.id)).found, results };
  }

  async setEndDate(
    actor: Actor,
    id: string,
    endDate: string,
  ): Promise<{ case: ReportCaseDetail; results: CaseActionResult[] }> {
    requireRole(actor, ['school_staff'], 'Only school staff set an end date');
    const invalid = (code: string, message: string): ValidationError =>
      new ValidationError(REPORT_CASES_ERRORS.END_DATE_INVALID, 'The end date was refused', [
        { field: 'endDate', code, message },
      ]);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(endDate) ||
      Number.isNaN(Date.parse(endDate)) ||
      new Date(`${endDate}T00:00:00Z`).toISOString().slice(0, 10) !== endDate
    ) {
      throw invalid(REPORT_CASES_ERRORS.INVALID_DATE, 'a date YYYY-MM-DD');
    }
    const today = schoolToday(this.clock.now());
    if (endDate > today)
      throw invalid(REPORT_CASES_ERRORS.IN_FUTURE, `on or before ${today}: the pupil is back`);
    const { found, board } = await this.load(actor, 'write', id);
    if (endDate < found.beginDate)
      throw invalid(REPORT_CASES_ERRORS.BEFORE_BEGIN, `on or after ${found.beginDate}`);
    await this.cases.saveEnding(
      board,
      { caseId: found.id, school: found.school, localId: found.pupil.localId, endDate },
      actor.subject,
      this.clock.now(),
    );
    const carries = endDateCarriedBy(found.reports, endDate);
    const results: CaseActionResult[] = [];
    // Drafts that began on or before the end date leave with it (a draft beginning later is a new episode).
    const drafts = found.reports.filter(
      (r) =>
        r.action === 'REPORT' &&
        r.status === 'DRAFT' &&
        (typeof r.fields['absence.beginDate'] !== 'string' || r.fields['absence.beginDate'] <= endDate),
    );
    const ended = new Set(
      await this.cases.endDraftsOn(
        board,
        drafts.map((r) => r.id),
        endDate,
        this.clock.now(),
      ),
    );
    for (const report of found.reports.filter((r) => r.action === 'REPORT')) {
      if (ended.has(report.id)) {
        results.push({ reportId: report.id, outcome: 'END_DATE_SET' });
        continue;
      }
      if (!OUT.includes(report.status)) {
        results.push({ reportId: report.id, outcome: 'SKIPPED', code: REPORT_CASES_ERRORS.REPORT_NOT_OUT });
        continue;
      }
      if (carries.has(report.id) || report.fields['absence.endDate'] === endDate) {
        results.push({
          reportId: report.id,
          outcome: 'SKIPPED',
          code: REPORT_CASES_ERRORS.ALREADY_CORRECTED,
        });
        continue;
      }
      try {
        const { id: followUpId } = await this.deliveries.endDate(
          actor,
          report.school,
          report.id,
          parseReportEndDate({ endDate }),
        );
        results.push({ reportId: report.id, outcome: 'END_DATE_SENT', followUpId });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results.push({ reportId: report.id, outcome: 'FAILED', code: error.code });
      }
    }
    return { case: (await this.load(actor, 'read', found.id)).found, results };
  }

  /** The case that holds report `id` (a case id is its earliest report's id; any report of it finds it too). */
  private async load(
    actor: Actor,
    access: 'read' | 'write',
    id: string,
  ): Promise<{ found: ReportCaseDetail; board: string }> {
    const scope = requireBoardScope(actor, access);
    const notFound = (): NotFoundError =>
      new NotFoundError(REPORT_CASES_ERRORS.CASE_NOT_FOUND, 'No such case');
    if (!UUID.test(id)) throw notFound();
    const today = schoolToday(this.clock.now());
    const report = await this.reports.get(scope.board, scope.schools, id, today);
    if (report === null) throw notFound();
    const pupil = { school: report.school, localId: report.pupil.localId };
    const [stored, endings] = await Promise.all([
      this.cases.reportsOfPupil(scope.board, pupil, today),
      this.cases.endings(scope.board, [pupil]),
    ]);
    const group = groupReportsIntoCases(stored.map(caseReportOf), endings).find((c) =>
      c.reports.some((r) => r.id === id),
    );
    if (!group) throw notFound();
    return { found: detailOf(group, today), board: scope.board };
  }
}
