import {
  ANALYSIS_DIMENSIONS,
  ANALYSIS_PERIODS,
  type Actor,
  type AnalysisBucket,
  type AnalysisDimension,
  type AnalysisPeriod,
  type AnalysisStore,
  type ErrorIssue,
  ValidationError,
} from '#domain';
import { isIsoDate, schoolInScope } from '../shared/school-day.js';
import { SIGNAL_ANALYSIS_ERRORS } from './signal-analysis-error-codes.js';

/** At most about two school years per request. */
const MAX_DAYS = 800;

export interface AnalysisResult {
  readonly school: string;
  readonly from: string;
  readonly to: string;
  readonly by: AnalysisDimension;
  readonly period: AnalysisPeriod;
  readonly buckets: readonly AnalysisBucket[];
}

/**
 * Periodic analysis (seed report ch. 3): totals per legal class in minutes and counts, per week or month and per
 * pupil, group, teacher, weekday, lesson hour or reason, over the current canonical records. Only aggregates.
 */
export class AnalyseAbsenceUseCase {
  constructor(private readonly store: AnalysisStore) {}

  async execute(
    actor: Actor,
    school: string,
    query: { from?: string; to?: string; by?: string; period?: string },
  ): Promise<AnalysisResult> {
    const scope = schoolInScope(actor, 'read', school);
    const issues: ErrorIssue[] = [];
    if (!isIsoDate(query.from))
      issues.push({ field: 'from', code: SIGNAL_ANALYSIS_ERRORS.INVALID_DATE, message: 'a date YYYY-MM-DD' });
    if (!isIsoDate(query.to))
      issues.push({ field: 'to', code: SIGNAL_ANALYSIS_ERRORS.INVALID_DATE, message: 'a date YYYY-MM-DD' });
    if (isIsoDate(query.from) && isIsoDate(query.to)) {
      if (query.to < query.from)
        issues.push({ field: 'to', code: SIGNAL_ANALYSIS_ERRORS.DATE_ORDER, message: 'to before from' });
      else if ((Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 > MAX_DAYS) {
        issues.push({
          field: 'to',
          code: SIGNAL_ANALYSIS_ERRORS.SPAN_TOO_LONG,
          message: `at most ${MAX_DAYS} days`,
        });
      }
    }
    const by = query.by ?? 'pupil';
    const period = query.period ?? 'week';
    if (!(ANALYSIS_DIMENSIONS as readonly string[]).includes(by)) {
      issues.push({
        field: 'by',
        code: SIGNAL_ANALYSIS_ERRORS.UNKNOWN_DIMENSION,
        message: `one of ${ANALYSIS_DIMENSIONS.join(', ')}`,
      });
    }
    if (!(ANALYSIS_PERIODS as readonly string[]).includes(period)) {
      issues.push({
        field: 'period',
        code: SIGNAL_ANALYSIS_ERRORS.UNKNOWN_PERIOD,
        message: `one of ${ANALYSIS_PERIODS.join(', ')}`,
      });
    }
    if (issues.length > 0)
      throw new ValidationError(
        SIGNAL_ANALYSIS_ERRORS.ANALYSIS_QUERY_INVALID,
        'The analysis query was refused',
        issues,
      );
    const q = {
      board: scope.board,
      school,
      from: query.from as string,
      to: query.to as string,
      by: by as AnalysisDimension,
      period: period as AnalysisPeriod,
    };
    const buckets = await this.store.analyse(q);
    return { school, from: q.from, to: q.to, by: q.by, period: q.period, buckets };
  }
}
