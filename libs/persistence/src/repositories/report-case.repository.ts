import type { DataSource } from 'typeorm';
import {
  type CaseEnding,
  type CasePupil,
  DAILY_CHECK_RULES,
  type DailyCheckLesson,
  type Page,
  type ReportCaseStore,
  type ReportDraft,
  type ReportStatus,
} from '#domain';
import { REPORT_COLUMNS, type ReportRow, toReport } from './report-draft.repository.js';

/** At most this many reports feed one werkvoorraad request (a board's pending work, with its pupils' history). */
const MAX_WORKLIST_REPORTS = 20_000;

/** Reports grouped into cases by the domain; this store reads them per pupil and keeps case end dates. */
export class TypeOrmReportCaseStore implements ReportCaseStore {
  constructor(private readonly dataSource: DataSource) {}

  reportsOfPupilsWith(
    board: string,
    schools: readonly string[] | null,
    status: ReportStatus,
    today: string,
  ): Promise<ReportDraft[]> {
    return this.ofPupilsWith(REPORT_COLUMNS('$3'), board, schools, status, today);
  }

  reportKeysOfPupilsWith(
    board: string,
    schools: readonly string[] | null,
    status: ReportStatus,
    today: string,
  ): Promise<ReportDraft[]> {
    // Only the period out of `fields` (the jsonb of a report is most of its bytes).
    const columns = REPORT_COLUMNS('$3').replace(
      /\bfields\b/,
      `jsonb_strip_nulls(jsonb_build_object('absence.beginDate', fields->'absence.beginDate',
         'absence.endDate', fields->'absence.endDate')) AS fields`,
    );
    return this.ofPupilsWith(columns, board, schools, status, today);
  }

  async reportsByIds(board: string, ids: readonly string[], today: string): Promise<ReportDraft[]> {
    if (ids.length === 0) return [];
    const rows: ReportRow[] = await this.dataSource.query(
      `SELECT ${REPORT_COLUMNS('$3')} FROM report_draft WHERE board = $1 AND id = ANY($2::uuid[])`,
      [board, [...ids], today],
    );
    return rows.map(toReport);
  }

  private async ofPupilsWith(
    columns: string,
    board: string,
    schools: readonly string[] | null,
    status: ReportStatus,
    today: string,
  ): Promise<ReportDraft[]> {
    const rows: ReportRow[] = await this.dataSource.query(
      `SELECT ${columns} FROM report_draft r
       WHERE r.board = $1 AND ($4::text[] IS NULL OR r.school = ANY($4::text[]))
         AND (r.school, r.pupil_local_id) IN (
           SELECT DISTINCT p.school, p.pupil_local_id FROM report_draft p
           WHERE p.board = $1 AND p.status = $2 AND ($4::text[] IS NULL OR p.school = ANY($4::text[])))
       ORDER BY r.school, r.pupil_local_id, r.created_at, r.id LIMIT ${MAX_WORKLIST_REPORTS}`,
      [board, status, today, schools === null ? null : [...schools]],
    );
    return rows.map(toReport);
  }

  async reportsOfPupil(board: string, pupil: CasePupil, today: string): Promise<ReportDraft[]> {
    const rows: ReportRow[] = await this.dataSource.query(
      `SELECT ${REPORT_COLUMNS('$4')} FROM report_draft
       WHERE board = $1 AND school = $2 AND pupil_local_id = $3 ORDER BY created_at, id LIMIT 1000`,
      [board, pupil.school, pupil.localId, today],
    );
    return rows.map(toReport);
  }

  async endings(board: string, pupils: readonly CasePupil[]): Promise<Map<string, string>> {
    if (pupils.length === 0) return new Map();
    const rows: { case_id: string; end_date: string }[] = await this.dataSource.query(
      `SELECT c.case_id::text AS case_id, c.end_date::text AS end_date FROM report_case c
       JOIN jsonb_to_recordset($2::jsonb) AS x(school text, local_id text)
         ON c.school = x.school AND c.pupil_local_id = x.local_id
       WHERE c.board = $1`,
      [board, JSON.stringify(pupils.map((p) => ({ school: p.school, local_id: p.localId })))],
    );
    return new Map(rows.map((r) => [r.case_id, r.end_date]));
  }

  async saveEnding(board: string, ending: CaseEnding, by: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO report_case (board, case_id, school, pupil_local_id, end_date, ended_by, ended_at)
       VALUES ($1, $2::uuid, $3, $4, $5::date, $6, $7)
       ON CONFLICT (board, case_id) DO UPDATE SET end_date = EXCLUDED.end_date, ended_by = EXCLUDED.ended_by,
         ended_at = EXCLUDED.ended_at`,
      [board, ending.caseId, ending.school, ending.localId, ending.endDate, by, at],
    );
  }

  async dailyChecks(
    board: string,
    schools: readonly string[] | null,
    page: Page,
  ): Promise<{ items: DailyCheckLesson[]; total: number }> {
    const rows: {
      school: string;
      date: string;
      lesson_hour: string | null;
      rule: string;
      pupils: number;
      total: number;
    }[] = await this.dataSource.query(
      `WITH lessons AS (
         SELECT s.school, s.payload->>'beginDate' AS date, h.hour AS lesson_hour, s.rule, s.pupil_local_id
         FROM signal s
         LEFT JOIN LATERAL jsonb_array_elements_text(
           CASE WHEN jsonb_typeof(s.payload->'detail'->'lessonHours') = 'array'
             THEN s.payload->'detail'->'lessonHours' ELSE '[]'::jsonb END) AS h(hour) ON true
         WHERE s.board = $1 AND s.status = 'OPEN' AND s.rule = ANY($2::text[])
           AND ($3::text[] IS NULL OR s.school = ANY($3::text[])))
       SELECT school, date, lesson_hour, rule, count(DISTINCT pupil_local_id)::int AS pupils,
         (count(*) OVER ())::int AS total
       FROM lessons GROUP BY school, date, lesson_hour, rule
       ORDER BY date DESC, school, lesson_hour NULLS LAST, rule
       LIMIT $4 OFFSET $5`,
      [board, [...DAILY_CHECK_RULES], schools === null ? null : [...schools], page.limit, page.offset],
    );
    let total = rows[0]?.total ?? 0;
    if (rows.length === 0 && page.offset > 0) {
      const counted: { n: number }[] = await this.dataSource.query(
        `SELECT count(*)::int AS n FROM (
           SELECT DISTINCT s.school, s.payload->>'beginDate', h.hour, s.rule FROM signal s
           LEFT JOIN LATERAL jsonb_array_elements_text(
             CASE WHEN jsonb_typeof(s.payload->'detail'->'lessonHours') = 'array'
               THEN s.payload->'detail'->'lessonHours' ELSE '[]'::jsonb END) AS h(hour) ON true
           WHERE s.board = $1 AND s.status = 'OPEN' AND s.rule = ANY($2::text[])
             AND ($3::text[] IS NULL OR s.school = ANY($3::text[]))) AS folded`,
        [board, [...DAILY_CHECK_RULES], schools === null ? null : [...schools]],
      );
      total = counted[0]?.n ?? 0;
    }
    return {
      items: rows.map((r) => ({
        school: r.school,
        date: r.date,
        lessonHour: r.lesson_hour === null ? null : Number(r.lesson_hour),
        rule: r.rule,
        pupils: Number(r.pupils),
        group: null,
        teacher: null,
      })),
      total: Number(total),
    };
  }
}
